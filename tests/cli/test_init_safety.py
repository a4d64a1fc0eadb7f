"""init never loses data: read-only dirs, concurrent runs, odd paths, huge files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from continue_setup.config import jsonc
from tests.conftest import SENTINEL

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
INIT = ("init", "--yes", "--no-ping")
KEY_ENV = {"LANGDOCK_API_KEY": SENTINEL}


@posix_only
def test_read_only_config_dir_is_exit_2_and_changes_nothing(shared_tmp: Path,
                                                            as_nobody: list[str]) -> None:
    """A config dir the user cannot write to gives a clear error (exit 2); the file stays."""
    prefix = as_nobody
    tmp_path = shared_tmp
    config_dir = tmp_path / "ro" / ".continue"
    config_dir.mkdir(parents=True)
    original = '{"models": []}\n'
    (config_dir / "config.json").write_text(original)
    os.chmod(config_dir / "config.json", 0o644)
    os.chmod(config_dir, 0o555)
    os.chmod(tmp_path, 0o755)
    os.chmod(tmp_path / "ro", 0o755)
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path / "ro"),
        "LANGDOCK_API_KEY": SENTINEL,
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        "NO_PROXY": "*",
    }
    try:
        proc = subprocess.run(
            [
                *prefix,
                sys.executable,
                "-m",
                "continue_setup",
                *INIT,
                "--config-dir",
                str(config_dir),
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
    finally:
        os.chmod(config_dir, 0o755)
    assert proc.returncode == 2, proc.stderr
    assert "cannot" in proc.stderr and str(config_dir) in proc.stderr
    assert "internal error" not in proc.stderr
    assert "Traceback" not in proc.stderr
    assert SENTINEL not in proc.stdout + proc.stderr
    assert sorted(p.name for p in config_dir.iterdir()) == ["config.json"]
    assert (config_dir / "config.json").read_text() == original


@posix_only
def test_concurrent_inits_end_with_one_valid_file(tmp_path: Path) -> None:
    """Two inits at once take turns: one valid file, and every replaced version is backed up."""
    config_dir = tmp_path / "c"
    config_dir.mkdir()
    first = '{"models": [], "mine": 1}\n'
    (config_dir / "config.json").write_text(first)
    env = dict(os.environ, LANGDOCK_API_KEY=SENTINEL)
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "continue_setup",
                *INIT,
                "--config-dir",
                str(config_dir),
                "--region",
                region,
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for region in ("eu", "us")
    ]
    for proc in procs:
        proc.communicate(timeout=60)
        assert proc.returncode == 0
    data = jsonc.parse((config_dir / "config.json").read_text()).value
    assert data["mine"] == 1 and len(data["models"]) == 2
    backups = sorted(p.read_text() for p in config_dir.glob("config.json.bak-*"))
    assert first in backups
    assert len(backups) == 2  # the original and the first run's result


def test_path_with_spaces_and_non_ascii(run: Any, tmp_path: Path) -> None:
    """A config dir whose path has spaces and non-ASCII characters works."""
    target = tmp_path / "Mes Documents" / "Ünïcødé ✓" / ".continue"
    result = run(*INIT, "--config-dir", str(target), "--json", env=KEY_ENV)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["path"] == str(target / "config.json")
    assert (target / "config.json").exists()


def test_large_config_is_merged(run: Any, config_dir: Path) -> None:
    """A 10 MB config with many of the user's models is merged without trouble."""
    config_dir.mkdir()
    models = [
        {"title": f"model {i}", "provider": "ollama", "model": f"m{i}", "systemMessage": "x" * 200}
        for i in range(40_000)
    ]
    text = json.dumps({"models": models}, indent=2)
    assert len(text) > 10_000_000
    (config_dir / "config.json").write_text(text)
    result = run(*INIT, env=KEY_ENV)
    assert result.exit_code == 0, result.output
    data = jsonc.parse((config_dir / "config.json").read_text()).value
    assert len(data["models"]) == 40_002
