"""Temporary files of ours that a killed run left behind: found, proven dead, removed.

A temporary file may hold a key, and it sits beside the file it replaces: in a symlinked
setup that is the dotfiles repository. ``kill -9`` between creating it and renaming it into
place leaves it there; the next run removes it. A writer holds an ``flock`` on its
temporary file from creation to rename, and the kernel drops that lock when the process
dies, so a temporary file we can lock belongs to no live writer (ours or a concurrent run's).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
from pathlib import Path

if sys.platform != "win32":
    # At import, as root: the writer later runs as the user, whose rights may not reach a
    # root-only Python installation.
    import fcntl

TEMP_SUFFIX = ".tmp"
# tempfile.mkstemp's alphabet and length, so files of earlier versions match the pattern too.
_NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_"
_TRIES = 100  # as tempfile.TMP_MAX: a name taken each time means something else is wrong


def temp_pattern(name: str) -> re.Pattern[str]:
    """Return the pattern of the temporary names ``create`` (and ``mkstemp``) give ``name``."""
    return re.compile(re.escape(f".{name}.") + r"[A-Za-z0-9_]{8}" + re.escape(TEMP_SUFFIX))


def create(directory: Path, name: str) -> tuple[int, str]:
    """Create a new temporary file for ``name`` in ``directory``, readable by its owner only.

    ``tempfile.mkstemp`` without importing tempfile (which loads random, shutil, bz2 and
    lzma: a tenth of a fresh ``init``): the same exclusive, no-follow create with mode 0600
    and an unguessable name. Returns the open descriptor and the path.
    """
    flags = (os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
             | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    for _ in range(_TRIES):
        letters = "".join(_NAME_CHARS[byte % len(_NAME_CHARS)] for byte in os.urandom(8))
        path = os.path.join(directory, f".{name}.{letters}{TEMP_SUFFIX}")
        try:
            return os.open(path, flags, 0o600), path
        except FileExistsError:
            continue
        except PermissionError:  # Windows says this when the name is an existing folder
            if os.name == "nt" and os.path.isdir(path):
                continue
            raise
    raise FileExistsError(f"no unused temporary name in {directory}")


def hold(fd: int) -> None:
    """Mark the temporary file open on ``fd`` as in use until it is closed."""
    if sys.platform != "win32":
        fcntl.flock(fd, fcntl.LOCK_EX)


def _dead(path: Path) -> bool:
    """Tell whether ``path`` is a regular file no live process holds (never follows a link)."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK
    try:
        fd = os.open(path, flags)
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # a live writer holds it
        return True
    finally:
        os.close(fd)


def sweep(directory: Path, name: str) -> list[Path]:
    """Remove the dead temporary files for ``name`` in ``directory``; return what went."""
    if sys.platform == "win32":  # pragma: no cover - no flock; open files cannot go anyway
        return []
    pattern = temp_pattern(name)
    removed: list[Path] = []
    try:
        entries = [e.name for e in os.scandir(directory) if pattern.fullmatch(e.name)]
    except OSError:
        return removed
    for entry in entries:
        path = directory / entry
        if _dead(path):
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed
