"""Root setting up another user's home: what init creates belongs to that user."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from continue_setup.setup.asuser import Owner, target_owner
from continue_setup.setup.writer import LOCK_NAME
from tests.cli.test_rollout import INIT
from tests.conftest import ROOT, SENTINEL

NOBODY = 65534
OTHER_KEY = "sk-ld-OTHER-fedcba9876543210"
as_root = pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() != 0, reason="needs root on POSIX to chown"
)


def owner_of(path: Path) -> tuple[int, int]:
    info = path.lstat()
    return info.st_uid, info.st_gid


@pytest.fixture
def user_home() -> Iterator[Path]:
    """A home directory owned by nobody, in a directory every user may enter."""
    base = Path(tempfile.mkdtemp(prefix="continue-setup-owner-"))
    base.chmod(0o755)
    home = base / "bob"
    home.mkdir()
    os.chown(home, NOBODY, NOBODY)
    yield home
    shutil.rmtree(base, ignore_errors=True)


@as_root
def test_home_of_another_user_gets_their_ownership(run: Any, user_home: Path) -> None:
    """--home as root: the config dir, config, lock file and later backups belong to the user."""
    first = run(*INIT, "--home", str(user_home), env={"LANGDOCK_API_KEY": OTHER_KEY})
    assert first.exit_code == 0, first.output
    config_dir = user_home / ".continue"
    second = run(*INIT, "--home", str(user_home), env={"LANGDOCK_API_KEY": SENTINEL})
    assert second.exit_code == 0, second.output
    backups = list(config_dir.glob("config.json.bak-*"))
    assert len(backups) == 1
    for path in (config_dir, config_dir / "config.json", config_dir / LOCK_NAME, *backups):
        assert owner_of(path) == (NOBODY, NOBODY), path
    assert not any(owner_of(p)[0] == 0 for p in config_dir.iterdir())


@as_root
def test_dotenv_of_another_user_gets_their_ownership(run: Any, user_home: Path) -> None:
    """--home with config.yaml: .env, config.yaml and its backup belong to the user."""
    assert run(*INIT, "--home", str(user_home), "--format", "yaml",
               env={"LANGDOCK_API_KEY": OTHER_KEY}).exit_code == 0  # fmt: skip
    result = run(*INIT, "--home", str(user_home), "--model", "gpt=gpt-4.1",
                 env={"LANGDOCK_API_KEY": SENTINEL})  # fmt: skip
    assert result.exit_code == 0, result.output
    config_dir = user_home / ".continue"
    names = {p.name for p in config_dir.iterdir()}
    assert {".env", "config.yaml", LOCK_NAME} <= names
    assert any(n.startswith(".env.bak-") for n in names)
    assert any(n.startswith("config.yaml.bak-") for n in names)
    for path in config_dir.iterdir():
        assert owner_of(path) == (NOBODY, NOBODY), path


@as_root
def test_config_dir_takes_the_owner_of_its_nearest_parent(run: Any, user_home: Path) -> None:
    """--config-dir as root: what is created belongs to the owner of the nearest existing parent."""
    config_dir = user_home / "dotfiles" / "continue"
    (user_home / "dotfiles").mkdir()
    os.chown(user_home / "dotfiles", NOBODY, NOBODY)
    result = run(*INIT, "--config-dir", str(config_dir), env={"LANGDOCK_API_KEY": SENTINEL})
    assert result.exit_code == 0, result.output
    for path in (config_dir, config_dir / "config.json", config_dir / LOCK_NAME):
        assert owner_of(path) == (NOBODY, NOBODY), path


@as_root
def test_the_user_can_run_init_after_root_did(run: Any, user_home: Path,
                                              as_nobody: list[str]) -> None:
    """After root's run, the user's own run (as that user) can lock, read and update the files."""
    assert run(*INIT, "--home", str(user_home), env={"LANGDOCK_API_KEY": OTHER_KEY}).exit_code == 0
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(user_home),
        "LANGDOCK_API_KEY": SENTINEL,
        "PYTHONPATH": str(ROOT),
        "NO_PROXY": "*",
    }
    command = [*as_nobody, sys.executable, "-m", "continue_setup", *INIT, "--quiet"]
    proc = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60,
                          check=False, cwd=user_home)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert SENTINEL in (user_home / ".continue" / "config.json").read_text()


def test_owner_is_left_alone_when_not_root(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Without root, or for a root-owned home, init chowns nothing."""
    if sys.platform == "win32":
        assert target_owner(tmp_path / ".continue", home=tmp_path) is None
        return
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    assert target_owner(tmp_path / ".continue", home=tmp_path) is None
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    mine = Owner.of(tmp_path)
    expected = None if mine.uid == 0 else mine
    assert target_owner(tmp_path / "a" / "b" / ".continue") == expected
