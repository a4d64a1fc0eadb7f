"""Write files so that nothing is ever half-written or lost: lock, backup, atomic replace.

Every function that touches the disk takes the ``owner`` when root works in another user's
home, and does its file work with that user's rights (``asuser.acting_as``): whatever link
the user planted, the kernel lets root do only what the user could do, and what is created
belongs to the user without any chown. Modes are set on open descriptors (``fchmod``), never
by a path that could be swapped for a link.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from continue_setup.config.paths import DOTENV_NAME, JSON_NAME, YAML_NAME, ConfigDir
from continue_setup.config.reading import CONFIG_MAX_BYTES, read_capped
from continue_setup.errors import ChangedMeanwhileError, InputError, WriteError
from continue_setup.records import NamedTuple
from continue_setup.setup import leftovers
from continue_setup.setup.asuser import Owner, acting_as

LOCK_NAME = ".continue-setup.lock"
SECRET_MODE = 0o600
IS_WINDOWS = os.name == "nt"
# Replaced in tests to inject a failure between writing the temporary file and the rename.
_replace = os.replace


class Written(NamedTuple):  # an immutable record: a frozen dataclass costs ~0.6 ms at import
    """What happened to one file."""

    path: Path
    changed: bool
    backup: Path | None = None


def _fail(action: str, path: Path, error: OSError, owner: Owner | None = None,
          link: Path | None = None) -> WriteError:
    reason = error.strerror or type(error).__name__
    if link is not None and os.path.islink(link):
        return WriteError(
            f"cannot {action} {path}: {link} is a link, and continue-setup never follows one "
            "there", path=str(link), hint="Remove the link; nothing was changed.")
    hint = "Check that the directory exists and is writable; nothing was changed."
    if owner is not None and error.errno in (errno.EACCES, errno.EPERM):
        # Root works with the user's rights: what the user cannot touch, root does not either.
        hint = (f"Nothing was changed. Root works here with the rights of uid {owner.uid}, "
                "who may not touch this. Files that an older continue-setup left owned by "
                f"root can be handed back: chown {owner.uid}:{owner.gid} {path}")
    return WriteError(f"cannot {action} {path}: {reason}", path=str(path), hint=hint)


class _Any:
    """The default of ``write_atomic(expected=...)``: whatever the file holds."""


ANY = _Any()
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


def _private(fd: int, mode: int = SECRET_MODE) -> None:
    """Set ``mode`` on an open file: the descriptor, not a path a link could redirect."""
    if not IS_WINDOWS:
        os.fchmod(fd, mode)


def ensure_dir(path: Path, owner: Owner | None = None) -> None:
    """Create ``path`` and any missing parents, each 0700 whatever the umask, as ``owner``."""
    missing: list[Path] = []
    with acting_as(owner):
        probe = path
        while not probe.is_dir() and probe.parent != probe:
            missing.append(probe)
            probe = probe.parent
        for directory in reversed(missing):
            try:
                os.mkdir(directory, 0o700)
                if not IS_WINDOWS:  # Windows cannot open a directory, nor has modes
                    # The umask may have taken bits away; never follow a link swapped in.
                    fd = os.open(directory, os.O_RDONLY | _DIRECTORY | _NOFOLLOW)
                    try:
                        _private(fd, 0o700)
                    finally:
                        os.close(fd)
            except FileExistsError:
                continue  # a concurrent run made it
            except OSError as e:
                raise _fail("create the directory", directory, e, owner) from e


@contextlib.contextmanager
def locked(directory: Path, owner: Owner | None = None) -> Iterator[None]:
    """Hold an exclusive lock on ``directory`` so concurrent runs take turns."""
    lock_path = directory / LOCK_NAME
    try:
        with acting_as(owner):
            # Never through a link: a lock file is ours, and a link there is planted.
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | _NOFOLLOW, SECRET_MODE)
    except OSError as e:
        raise _fail("lock", lock_path, e, owner, link=lock_path) from e
    try:
        if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
            with acting_as(owner):  # our turn: no live run of ours writes here now
                for name in (JSON_NAME, YAML_NAME, DOTENV_NAME):
                    leftovers.sweep(directory, name)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def target_of(path: Path) -> Path:
    """Return the file a path really names: a symlink's target, so the link stays a link."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def backup_name(path: Path) -> Path:
    """Return a free, sortable backup name beside ``path``: ``NAME.bak-YYYYMMDD-HHMMSS``."""
    stamp = time.strftime("%Y%m%d-%H%M%S")  # local time; the datetime module costs doctor 5 M
    candidate = path.with_name(f"{path.name}.bak-{stamp}")
    counter = 1
    while candidate.exists() or candidate.is_symlink():
        candidate = path.with_name(f"{path.name}.bak-{stamp}-{counter}")
        counter += 1
    return candidate


def _write_new(path: Path, data: bytes, mode: int) -> None:
    """Create ``path`` with ``data``; the name must be free (a link there is refused)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, mode)
    try:
        _private(fd, mode)
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def _read(path: Path) -> bytes:
    """Read a file this tool rewrites: a regular file, capped, never a FIFO swapped in.

    An error of the system itself stays an OSError, so the caller's message can say what
    to do about it (as root for another user: which chown hands the file back).
    """
    try:
        return read_capped(path, limit=CONFIG_MAX_BYTES, what="file")[0]
    except InputError as e:
        if isinstance(e.__cause__, OSError):
            raise e.__cause__ from None
        raise


def backup(path: Path, owner: Owner | None = None) -> Path:
    """Copy ``path`` to a new backup beside it (mode 0600: it may hold a key) and return it."""
    try:
        with acting_as(owner):
            data = _read(target_of(path))
            destination = backup_name(path)
            _write_new(destination, data, SECRET_MODE)
    except OSError as e:
        raise _fail("back up", path, e, owner) from e
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
    expected: str | _Any | None = ANY,
) -> Written:
    """Replace ``path`` with ``text`` atomically; back up the old content if it changes.

    Unchanged content is not written and not backed up. A symlink keeps pointing where it
    did: its target is replaced. A failure at any point leaves the old file as it was.
    With ``expected`` (the text read when planning, None for no file), a file that holds
    anything else now is left alone: ``ChangedMeanwhileError``. Call it under ``locked``.
    """
    with acting_as(owner):
        return _write_atomic(path, text.encode("utf-8"), mode, owner, keep_backup, expected)


def _write_atomic(path: Path, data: bytes, mode: int, owner: Owner | None, keep_backup: bool,
                  expected: str | _Any | None) -> Written:
    target = target_of(path)
    try:
        old = _read(target) if target.exists() else None
    except OSError as e:
        raise _fail("read", target, e, owner) from e
    if not isinstance(expected, _Any) and old != (None if expected is None else
                                                   expected.encode("utf-8")):
        raise _changed(path)
    directory = target.parent
    leftovers.sweep(directory, target.name)  # under the caller's lock: a killed run's files
    if old == data:
        return Written(path, changed=False)
    saved = backup(path, owner) if old is not None and keep_backup else None
    try:
        fd, temp_name = leftovers.create(directory, target.name)
    except OSError as e:
        raise _fail("write", path, e, owner) from e
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            leftovers.hold(handle.fileno())  # until the rename: a sweeper sees it is alive
            _private(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            _replace(temp, target)
        _fsync_dir(directory)
    except OSError as e:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise _fail("write", path, e, owner) from e
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    return Written(path, changed=True, backup=saved)


def same_as_read(path: Path, text: str | None, owner: Owner | None = None) -> None:
    """Refuse to go on unless ``path`` still holds ``text`` (None: no file), read as ``owner``.

    What root read while planning is used only if the user can read the very same content:
    a file swapped for a link to one of root's files after the link check is caught here.
    """
    expected = None if text is None else text.encode("utf-8")
    with acting_as(owner):
        target = target_of(path)
        try:
            now = _read(target) if target.exists() or target.is_symlink() else None
        except OSError:
            now = b"\0unreadable"
    if now != expected:
        raise _changed(path)


def _changed(path: Path) -> ChangedMeanwhileError:
    return ChangedMeanwhileError(
        f"{path} changed since it was read (another run, or an editor, wrote it); "
        "it was not overwritten", path=str(path),
        hint="Nothing was changed. Run the command again to work from the new content.")


def make_private(path: Path, owner: Owner | None = None) -> None:
    """Make the regular file ``path`` names (a link's target) 0600, through a descriptor."""
    try:
        with acting_as(owner):
            _private_if_regular(path)
    except OSError as e:
        raise _fail("chmod 600", path, e, owner) from e


def _private_if_regular(path: Path, flags: int = 0) -> None:
    """Make ``path`` 0600 through a descriptor when it is a regular file (not a FIFO, say)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | flags)
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            _private(fd)
    finally:
        os.close(fd)


def move_aside(path: Path, owner: Owner | None = None) -> Path:
    """Rename ``path`` to a backup name so Continue stops loading it; return the new name.

    The file moved is made 0600 like every backup (it may hold a key); a link is moved as a
    link, and its target is left as it is.
    """
    try:
        with acting_as(owner):
            destination = backup_name(path)
            os.rename(path, destination)
            with contextlib.suppress(OSError):  # ELOOP: a link, left alone
                _private_if_regular(destination, _NOFOLLOW)
    except OSError as e:
        raise _fail("move aside", path, e, owner) from e
    return destination


def guarded_paths(config_dir: ConfigDir) -> list[Path]:
    """Return every path a writing command may open in ``config_dir`` (links checked)."""
    return [config_dir.path, config_dir.json_path, config_dir.yaml_path,
            config_dir.dotenv_path, config_dir.path / LOCK_NAME]
