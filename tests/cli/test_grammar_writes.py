"""Every writing command takes --yes, --dry-run and --diff, and none of them writes on a preview."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import SENTINEL

KEY = "sk-ld-0123456789abcdef0123456789abcdef"


def setup(run: Any, config_dir: Path, key: str = KEY, *args: str) -> Path:
    """Write a config with init (no probe) and return its path."""
    result = run("init", "--yes", "--no-ping", "--config-dir", str(config_dir), *args,
                 env={"LANGDOCK_API_KEY": key})
    assert result.exit_code == 0, result.output
    return config_dir / "config.json"


def snapshot(directory: Path) -> dict[str, str]:
    """Every file of ``directory`` and its text."""
    return {p.name: p.read_text() for p in sorted(directory.iterdir()) if p.is_file()}


def test_rotate_key_diff_shows_where_without_a_key(run: Any, config_dir: Path) -> None:
    """rotate-key --diff prints a masked diff ("key changed") and writes nothing."""
    setup(run, config_dir)
    before = snapshot(config_dir)
    result = run("rotate-key", "--diff", "--config-dir", str(config_dir),
                 env={"LANGDOCK_API_KEY": SENTINEL})
    assert result.exit_code == 0, result.output
    assert "(key changed)" in result.stdout and "+++" in result.stdout
    assert SENTINEL not in result.output and KEY not in result.output
    assert snapshot(config_dir) == before


def test_restore_diff_shows_what_would_come_back(run: Any, config_dir: Path) -> None:
    """restore --diff prints the backup against the current file and writes nothing."""
    setup(run, config_dir)
    setup(run, config_dir, KEY, "--entries", "gpt")  # a second write keeps a backup
    before = snapshot(config_dir)
    result = run("restore", "--diff", "--yes", "--config-dir", str(config_dir))
    assert result.exit_code == 0, result.output
    assert "+++" in result.stdout and "+  \"tabAutocompleteModel\"" in result.stdout
    assert KEY not in result.output
    assert snapshot(config_dir) == before


def test_migrate_diff_shows_the_new_file_and_writes_nothing(run: Any, config_dir: Path) -> None:
    """migrate --diff prints config.yaml as a diff from nothing; no config.yaml appears."""
    setup(run, config_dir)
    result = run("migrate", "--diff", "--yes", "--config-dir", str(config_dir))
    assert result.exit_code == 0, result.output
    assert "--- /dev/null" in result.stdout and "+models:" in result.stdout
    assert not (config_dir / "config.yaml").exists() and KEY not in result.output


def test_doctor_fix_dry_run_and_diff_apply_nothing(run: Any, config_dir: Path) -> None:
    """doctor --fix with --dry-run or --diff only shows the fixes; --diff shows their diffs."""
    path = setup(run, config_dir)
    data = json.loads(path.read_text())
    data["models"][0]["apiBase"] += "/responses"
    path.write_text(json.dumps(data))
    before = snapshot(config_dir)
    dry = run("doctor", "--offline", "--fix", "--dry-run", "--config-dir", str(config_dir))
    diff = run("doctor", "--offline", "--fix", "--diff", "--yes", "--config-dir",
               str(config_dir))
    assert dry.exit_code == diff.exit_code == 1
    assert "+++" not in dry.stdout and "+++" in diff.stdout and KEY not in diff.output
    assert snapshot(config_dir) == before


def test_remove_takes_yes(run: Any, config_dir: Path) -> None:
    """remove --yes is accepted (it never asks) and removes as without it."""
    setup(run, config_dir)
    result = run("remove", "--yes", "--config-dir", str(config_dir))
    assert result.exit_code == 0, result.output
    assert "removed" in result.stdout
