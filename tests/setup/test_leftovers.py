"""Temporary files a killed run left behind are removed by the next run, and only those."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from continue_setup.setup import leftovers, writer
from tests.conftest import SENTINEL

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="flock and kill -9")
TRIALS = 30


def dead_temp(folder: Path, name: str, text: str = SENTINEL) -> Path:
    """Leave a temporary file as a run killed between writing and renaming it would."""
    path = folder / f".{name}.abcd_123{leftovers.TEMP_SUFFIX}"
    path.write_text(text)
    path.chmod(0o600)
    return path


def temps(*folders: Path) -> list[Path]:
    return [p for f in folders for p in f.iterdir() if p.name.endswith(leftovers.TEMP_SUFFIX)]


@posix_only
def test_dead_temp_files_go_live_ones_and_links_stay(tmp_path: Path) -> None:
    """A sweep removes an unheld temp file, keeps one a live writer holds, and a link too."""
    dead = dead_temp(tmp_path, "config.json")
    live = tmp_path / ".config.json.zzzz_999.tmp"
    live.write_text("being written")
    outside = tmp_path / "outside.txt"
    outside.write_text("keep")
    planted = tmp_path / ".config.json.link_123.tmp"
    planted.symlink_to(outside)
    other = dead_temp(tmp_path, "settings.json")  # not a name of ours for config.json
    fd = os.open(live, os.O_RDONLY)
    try:
        leftovers.hold(fd)
        removed = leftovers.sweep(tmp_path, "config.json")
    finally:
        os.close(fd)
    assert removed == [dead]
    assert not dead.exists() and live.exists() and planted.is_symlink() and other.exists()
    assert outside.read_text() == "keep"


@posix_only
def test_a_write_sweeps_the_symlink_targets_directory(tmp_path: Path) -> None:
    """Through a dotfiles link, the key-holding leftover in the repository is removed."""
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    (dotfiles / "config.json").write_text("{}")
    link = tmp_path / "cfg" / "config.json"
    link.parent.mkdir()
    link.symlink_to(dotfiles / "config.json")
    dead_temp(dotfiles, "config.json")
    with writer.locked(link.parent):
        writer.write_atomic(link, '{"models": []}')
    assert temps(dotfiles, link.parent) == []
    assert (dotfiles / "config.json").read_text() == '{"models": []}'


@posix_only
def test_kill_9_leaves_nothing_after_the_next_run(tmp_path: Path, config_dir: Path) -> None:
    """Thirty inits killed at random moments: the next run leaves no temp file anywhere."""
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    config_dir.mkdir()
    (dotfiles / "config.yaml").write_text("name: mine\nversion: 1.0.0\nschema: v1\n")
    (config_dir / "config.yaml").symlink_to(dotfiles / "config.yaml")
    rng = random.Random(13)
    command = [sys.executable, "-m", "continue_setup", "init", "--yes", "--no-ping", "--quiet"]
    for trial in range(TRIALS):
        env = dict(os.environ, LANGDOCK_API_KEY=f"{SENTINEL}-{trial}")
        with subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL) as proc:
            time.sleep(rng.uniform(0.05, 0.4))  # a run takes about 0.3 s
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
    dead_temp(dotfiles, "config.yaml")  # at least one, however the kills fell
    dead_temp(config_dir, ".env")
    env = dict(os.environ, LANGDOCK_API_KEY=SENTINEL)
    final = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60,
                           check=False)
    assert final.returncode == 0, final.stderr
    assert temps(dotfiles, config_dir) == []
    assert (config_dir / "config.yaml").is_symlink()
    assert SENTINEL in (config_dir / ".env").read_text()


def test_temporary_files_are_new_private_and_swept_by_name(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    """create makes a new 0600 file with a name the sweeper recognises; a taken name (a
    planted file or link) is never opened, another is drawn."""
    target = tmp_path / "config.json"
    fd, name = leftovers.create(tmp_path, target.name)
    os.close(fd)
    made = Path(name)
    assert made.parent == tmp_path and leftovers.temp_pattern(target.name).fullmatch(made.name)
    if os.name == "posix":
        assert made.stat().st_mode & 0o777 == 0o600
    # The first two names drawn are taken: a regular file and a link to a sentinel.
    planted = tmp_path / "outside"
    planted.write_text(SENTINEL)
    draws = iter([bytes([i] * 8) for i in range(3)])  # "aaaaaaaa", "bbbbbbbb", ...
    monkeypatch.setattr(leftovers.os, "urandom", lambda n: next(draws))
    (tmp_path / f".{target.name}.aaaaaaaa.tmp").write_text("taken")
    (tmp_path / f".{target.name}.bbbbbbbb.tmp").symlink_to(planted)
    fd, name = leftovers.create(tmp_path, target.name)
    os.write(fd, b"new")
    os.close(fd)
    assert Path(name).name == f".{target.name}.cccccccc.tmp"
    assert planted.read_text() == SENTINEL
    assert (tmp_path / f".{target.name}.aaaaaaaa.tmp").read_text() == "taken"


def test_no_free_name_is_an_error_not_a_loop(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """When every name drawn is taken, create stops after a bounded number of tries."""
    monkeypatch.setattr(leftovers.os, "urandom", lambda n: bytes([25] * n))  # "zzzzzzzz"
    (tmp_path / ".config.json.zzzzzzzz.tmp").write_text("taken")
    with pytest.raises(FileExistsError):
        leftovers.create(tmp_path, "config.json")
