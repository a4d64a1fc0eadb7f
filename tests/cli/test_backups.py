"""``backups`` lists what every write kept, ``restore`` puts a version back, ``--keep`` prunes."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SENTINEL

OTHER_KEY = "sk-ld-other-0123456789abcdef"


def init(run: Any, *args: str, key: str = SENTINEL) -> Any:
    """Run init without probing, with ``key`` from the environment."""
    result = run("init", "--yes", "--no-ping", *args, env={"LANGDOCK_API_KEY": key})
    assert result.exit_code == 0, result.output
    return result


def backup_names(config_dir: Path) -> list[str]:
    """Return the backup files in ``config_dir``, sorted."""
    return sorted(p.name for p in config_dir.iterdir() if ".bak-" in p.name)


def dated(config_dir: Path) -> list[str]:
    """Return the regular files named like our backups (not symlinks, not other names)."""
    return [n for n in backup_names(config_dir)
            if re.fullmatch(r"config\.json\.bak-\d{8}-\d{6}(-\d+)?", n)
            and not (config_dir / n).is_symlink()]


def test_backups_lists_what_changed_and_never_a_key(run: Any, config_dir: Path) -> None:
    """After a key change, backups names the apiKey places as 'key changed', masked."""
    init(run)
    init(run, key=OTHER_KEY)
    text = run("backups")
    assert text.exit_code == 0
    assert "config.json.bak-" in text.stdout and "(key changed)" in text.stdout
    listed = json.loads(run("backups", "--json").stdout)
    config = next(f for f in listed["files"] if f["path"].endswith("config.json"))
    (only,) = config["backups"]
    assert "/models/0/apiKey" in only["changed"] and only["identical_to_current"] is False
    assert only["size"] == (config_dir / only["name"]).stat().st_size
    for output in (text.output, json.dumps(listed)):
        assert SENTINEL not in output and OTHER_KEY not in output


def test_restore_puts_the_newest_backup_back_and_keeps_the_current_one(
        run: Any, config_dir: Path) -> None:
    """restore with no WHEN brings back the previous file; the replaced one becomes a backup."""
    init(run, "--region", "eu")
    first = (config_dir / "config.json").read_bytes()
    init(run, "--region", "us")
    second = (config_dir / "config.json").read_bytes()
    assert first != second
    dry = run("restore", "--dry-run")
    assert dry.exit_code == 0 and (config_dir / "config.json").read_bytes() == second
    assert run("restore", "--check").exit_code == 1
    result = run("restore", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["changed"] is True
    kept = Path(payload["restored"][0]["previous_kept_as"])
    assert (config_dir / "config.json").read_bytes() == first
    assert kept.read_bytes() == second
    if os.name == "posix":
        assert (config_dir / "config.json").stat().st_mode & 0o777 == 0o600
    assert SENTINEL not in result.output + dry.output


def test_restore_when_picks_the_matching_backup_or_says_none_matches(
        run: Any, config_dir: Path) -> None:
    """WHEN matches a backup's stamp prefix or name; no match exits 2 and changes nothing."""
    config_dir.mkdir()
    (config_dir / "config.json").write_text('{"models": []}\n', encoding="utf-8")
    (config_dir / "config.json.bak-20250101-120000").write_text("old\n", encoding="utf-8")
    (config_dir / "config.json.bak-20250301-120000").write_text("newer\n", encoding="utf-8")
    missing = run("restore", "2024")
    assert missing.exit_code == 2 and "continue-setup backups" in missing.stderr
    assert run("restore", "202501").exit_code == 0
    assert (config_dir / "config.json").read_text(encoding="utf-8") == "old\n"
    assert run("restore", "config.json.bak-20250301-120000").exit_code == 0
    assert (config_dir / "config.json").read_text(encoding="utf-8") == "newer\n"


def test_restore_brings_back_a_file_that_is_gone(run: Any, config_dir: Path) -> None:
    """A config.yaml moved aside (or deleted) comes back from its backup."""
    config_dir.mkdir()
    (config_dir / "config.yaml.bak-20250101-120000").write_text("name: x\n", encoding="utf-8")
    result = run("restore", "--file", "config.yaml")
    assert result.exit_code == 0, result.output
    assert (config_dir / "config.yaml").read_text(encoding="utf-8") == "name: x\n"


def test_every_writing_command_prunes_to_keep(run: Any, config_dir: Path) -> None:
    """init keeps 10 backups per file by default, --keep N keeps N; foreign names stay."""
    init(run)
    for day in range(1, 13):
        (config_dir / f"config.json.bak-202501{day:02d}-120000").write_text("{}", "utf-8")
    (config_dir / "config.json.bak-notours").write_text("{}", encoding="utf-8")
    if os.name == "posix":
        (config_dir / "config.json.bak-20240101-120000").symlink_to(config_dir / "config.json")
    init(run, key=OTHER_KEY)
    assert len(dated(config_dir)) == 10
    assert "config.json.bak-notours" in backup_names(config_dir)
    if os.name == "posix":
        assert (config_dir / "config.json.bak-20240101-120000").is_symlink()
    init(run, "--keep", "3")  # back to the first key: one more backup, then prune to 3
    assert len(dated(config_dir)) == 3
    assert (config_dir / "config.json.bak-20250112-120000").exists()  # the newest dated kept


@pytest.mark.parametrize("keep", ["0", "-1"])
def test_keep_must_be_positive(run: Any, keep: str) -> None:
    """--keep 0 would delete every way back: refused as a usage error."""
    result = run("restore", "--keep", keep)
    assert result.exit_code == 2
