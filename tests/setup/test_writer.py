"""Writing files: atomic, backed up, private, symlinks kept, nothing lost on failure."""

from __future__ import annotations

import os
import stat
import sys
import threading
from pathlib import Path

import pytest

from continue_setup.errors import ExitCode, WriteError
from continue_setup.setup import writer

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_file_is_written_private(tmp_path: Path) -> None:
    """A new file gets the text, mode 0600, and no backup."""
    target = tmp_path / "config.json"
    written = writer.write_atomic(target, "{}\n")
    assert written.changed and written.backup is None
    assert target.read_text() == "{}\n"
    if os.name != "nt":
        assert mode(target) == 0o600


def test_unchanged_content_is_not_written(tmp_path: Path) -> None:
    """The same content again writes nothing and makes no backup."""
    folder = tmp_path / "cfg"
    folder.mkdir()
    target = folder / "config.json"
    target.write_text("same")
    before = target.stat().st_mtime_ns
    written = writer.write_atomic(target, "same")
    assert not written.changed and written.backup is None
    assert target.stat().st_mtime_ns == before
    assert list(folder.iterdir()) == [target]


@posix_only
def test_changed_content_keeps_a_private_backup(tmp_path: Path) -> None:
    """Changing a file keeps the old bytes in a sortable, 0600 backup beside it."""
    target = tmp_path / "config.json"
    target.write_text("old")
    target.chmod(0o644)
    written = writer.write_atomic(target, "new")
    assert written.backup is not None
    assert written.backup.name.startswith("config.json.bak-")
    assert written.backup.read_text() == "old"
    assert mode(written.backup) == 0o600
    assert target.read_text() == "new" and mode(target) == 0o600


def test_backup_names_never_collide(tmp_path: Path) -> None:
    """Two backups in the same second get distinct names, sorting in order."""
    target = tmp_path / "config.json"
    target.write_text("v1")
    names = []
    for version in ("v2", "v3", "v4"):
        backup = writer.write_atomic(target, version).backup
        assert backup is not None
        names.append(backup.name)
    assert len(set(names)) == 3
    contents = [(tmp_path / n).read_text() for n in names]
    assert contents == ["v1", "v2", "v3"]


def test_failure_before_replace_leaves_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash between the temporary write and the rename leaves the old file byte-identical."""
    target = tmp_path / "config.json"
    target.write_bytes(b'{"old": true}\n')

    def crash(src: object, dst: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(writer, "_replace", crash)
    with pytest.raises(WriteError) as caught:
        writer.write_atomic(target, '{"new": true}\n')
    assert caught.value.exit_code == ExitCode.USAGE
    assert target.read_bytes() == b'{"old": true}\n'
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@posix_only
def test_symlink_stays_a_link_and_target_is_updated(tmp_path: Path) -> None:
    """A dotfile-manager symlink keeps pointing at its target, which gets the new content."""
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    real = dotfiles / "continue-config.json"
    real.write_text("old")
    link = tmp_path / "config.json"
    link.symlink_to(real)
    written = writer.write_atomic(link, "new")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == "new"
    assert written.backup is not None and written.backup.parent == tmp_path
    assert written.backup.read_text() == "old"


@posix_only
@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores directory permissions"
)
def test_read_only_directory_is_a_clear_error(tmp_path: Path) -> None:
    """A directory we cannot write to gives a WriteError naming the file; nothing changes."""
    target = tmp_path / "config.json"
    target.write_text("old")
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(WriteError) as caught:
            writer.write_atomic(target, "new")
        assert "config.json" in caught.value.message
    finally:
        tmp_path.chmod(0o700)
    assert target.read_text() == "old"


def test_lock_serialises_writers(tmp_path: Path) -> None:
    """Threads holding the directory lock never overlap."""
    inside = 0
    overlaps = 0
    guard = threading.Lock()

    def work() -> None:
        nonlocal inside, overlaps
        for _ in range(20):
            with writer.locked(tmp_path):
                with guard:
                    inside += 1
                    overlaps += inside > 1
                with guard:
                    inside -= 1

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert overlaps == 0


def test_move_aside_renames_to_a_backup(tmp_path: Path) -> None:
    """Moving a file aside keeps it, under a backup name."""
    target = tmp_path / "config.yaml"
    target.write_text("name: x\n")
    moved = writer.move_aside(target)
    assert not target.exists() and moved.read_text() == "name: x\n"
    assert moved.name.startswith("config.yaml.bak-")


@pytest.mark.parametrize("now", ["same\n", "changed by another run\n", None])
def test_an_expected_unchanged_text_is_checked_not_written(tmp_path: Path,
                                                           now: str | None) -> None:
    """Writing the very text the plan read leaves a file that still holds it alone (no
    backup, no temporary file), and refuses one that changed or went away meanwhile."""
    from continue_setup.errors import ChangedMeanwhileError

    folder = tmp_path / "dir"
    folder.mkdir()
    target = folder / "config.yaml"
    if now is not None:
        target.write_text(now)
    if now == "same\n":
        written = writer.write_atomic(target, "same\n", expected="same\n")
        assert not written.changed and written.backup is None
    else:
        with pytest.raises(ChangedMeanwhileError):
            writer.write_atomic(target, "same\n", expected="same\n")
    assert (target.read_text() if target.exists() else None) == now
    assert sorted(p.name for p in folder.iterdir()) == ([] if now is None else ["config.yaml"])
