"""Write files so that nothing is ever half-written or lost: lock, backup, atomic replace."""

from __future__ import annotations

import contextlib
import datetime
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from continue_setup.errors import WriteError

LOCK_NAME = ".continue-setup.lock"
SECRET_MODE = 0o600
IS_WINDOWS = os.name == "nt"
# Replaced in tests to inject a failure between writing the temporary file and the rename.
_replace = os.replace


@dataclass(frozen=True)
class Owner:
    """Who should own what we write (an admin writing into another user's home)."""

    uid: int
    gid: int

    @classmethod
    def of(cls, path: Path) -> Owner:
        info = path.stat()
        return cls(info.st_uid, info.st_gid)


@dataclass(frozen=True)
class Written:
    """What happened to one file."""

    path: Path
    changed: bool
    backup: Path | None = None


def _fail(action: str, path: Path, error: OSError) -> WriteError:
    reason = error.strerror or type(error).__name__
    return WriteError(
        f"cannot {action} {path}: {reason}",
        path=str(path),
        hint="Check that the directory exists and is writable; nothing was changed.",
    )


def _chown(path: Path, owner: Owner | None) -> None:
    if owner is not None and not IS_WINDOWS:
        os.chown(path, owner.uid, owner.gid, follow_symlinks=False)


def ensure_dir(path: Path, owner: Owner | None = None) -> None:
    """Create ``path`` (and parents) if missing, owned by ``owner`` when given."""
    if path.is_dir():
        return
    try:
        path.mkdir(parents=True, mode=0o700)
        _chown(path, owner)
    except OSError as e:
        raise _fail("create the directory", path, e) from e


@contextlib.contextmanager
def locked(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``directory`` so concurrent runs take turns."""
    lock_path = directory / LOCK_NAME
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, SECRET_MODE)
    except OSError as e:
        raise _fail("lock", directory, e) from e
    try:
        if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def target_of(path: Path) -> Path:
    """Return the file a path really names: a symlink's target, so the link stays a link."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def backup_name(path: Path, now: datetime.datetime | None = None) -> Path:
    """Return a free, sortable backup name beside ``path``: ``NAME.bak-YYYYMMDD-HHMMSS``."""
    stamp = (now or datetime.datetime.now()).strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.name}.bak-{stamp}")
    counter = 1
    while candidate.exists() or candidate.is_symlink():
        candidate = path.with_name(f"{path.name}.bak-{stamp}-{counter}")
        counter += 1
    return candidate


def _write_new(path: Path, data: bytes, mode: int, owner: Owner | None) -> None:
    """Create ``path`` with ``data``; the name must be free."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    _chown(path, owner)


def backup(path: Path, owner: Owner | None = None) -> Path:
    """Copy ``path`` to a new backup beside it (mode 0600: it may hold a key) and return it."""
    source = target_of(path)
    try:
        data = source.read_bytes()
        destination = backup_name(path)
        _write_new(destination, data, SECRET_MODE, owner)
    except OSError as e:
        raise _fail("back up", path, e) from e
    return destination


def _fsync_dir(directory: Path) -> None:
    if IS_WINDOWS:  # pragma: no cover - directories cannot be opened on Windows
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(
    path: Path,
    text: str,
    *,
    mode: int = SECRET_MODE,
    owner: Owner | None = None,
    keep_backup: bool = True,
) -> Written:
    """Replace ``path`` with ``text`` atomically; back up the old content if it changes.

    Unchanged content is not written and not backed up. A symlink keeps pointing where it
    did: its target is replaced. A failure at any point leaves the old file as it was.
    """
    data = text.encode("utf-8")
    target = target_of(path)
    try:
        old = target.read_bytes() if target.exists() else None
    except OSError as e:
        raise _fail("read", target, e) from e
    if old == data:
        return Written(path, changed=False)
    saved = backup(path, owner) if old is not None and keep_backup else None
    directory = target.parent
    import tempfile  # here, not at the top: validate and doctor only read modes

    try:
        fd, temp_name = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as e:
        raise _fail("write", path, e) from e
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if not IS_WINDOWS:
            os.chmod(temp, mode)
        _chown(temp, owner)
        _replace(temp, target)
        _fsync_dir(directory)
    except OSError as e:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise _fail("write", path, e) from e
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    return Written(path, changed=True, backup=saved)


def move_aside(path: Path) -> Path:
    """Rename ``path`` to a backup name so Continue stops loading it; return the new name."""
    destination = backup_name(path)
    try:
        os.rename(path, destination)
    except OSError as e:
        raise _fail("move aside", path, e) from e
    return destination
