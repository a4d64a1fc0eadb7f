"""Read a user's file safely: regular files only, never blocking, never past a size cap.

Every file a person can point us at (a config, a ``.env``, org settings, a key file, a
template) is read here. A link to ``/dev/zero`` would otherwise fill memory, and a FIFO
would hang the run forever; as root across a fleet either stops the rollout.
"""

from __future__ import annotations

import os
import stat

from continue_setup.errors import InputError

TYPE_CHECKING = False  # pathlib stays unimported on validate's path (issue 18)
if TYPE_CHECKING:
    from continue_setup.config.paths import StrPath

MiB = 1024 * 1024
# Caps, one per kind of file: far above any real file, far below harm. Documented in README.
CONFIG_MAX_BYTES = 16 * MiB  # config.json / config.yaml / org settings / templates
DOTENV_MAX_BYTES = 1 * MiB  # a .env holds a handful of lines
KEY_FILE_MAX_BYTES = 64 * 1024  # --api-key-file: one key
_CHUNK = 1024 * 1024

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class RefusedFile(InputError):
    """A file we will not read: not a regular file (a FIFO, a device ...), or over its cap."""


def kind_of(mode: int) -> str:
    """Name what a file of ``mode`` is, for a message: "a FIFO (named pipe)" ..."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def _size(limit: int) -> str:
    return f"{limit // MiB} MiB" if limit % MiB == 0 else f"{limit // 1024} KiB"


def read_capped(path: StrPath, *, limit: int, what: str = "file"
                ) -> tuple[bytes, os.stat_result]:
    """Return the bytes of the regular file at ``path`` and its stat, read through one open.

    Refuses (``InputError``) anything but a regular file and anything over ``limit`` bytes;
    it opens non-blocking, so a FIFO is refused, not waited on.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError as e:
        raise InputError(f"{path}: no such file", hint="Check the path.", path=str(path)) from e
    except OSError as e:
        if os.path.isdir(path):  # Windows refuses to open a directory at all
            raise InputError(f"{path}: is a directory, not a {what}", path=str(path)) from e
        raise InputError(
            f"{path}: cannot read: {e.strerror}",
            path=str(path),
            hint="Check the file's permissions.",
        ) from e
    try:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"{path}: is a directory, not a {what}", path=str(path))
        if not stat.S_ISREG(info.st_mode):
            raise RefusedFile(
                f"{path}: is {kind_of(info.st_mode)}, not a regular file; refusing to read it "
                f"as a {what}",
                path=str(path),
                hint="Point it at an ordinary file (a link to one is fine).",
            )
        raw = _read_up_to(descriptor, limit + 1, info.st_size)
    except OSError as e:
        raise InputError(
            f"{path}: cannot read: {e.strerror}",
            path=str(path),
            hint="Check the file's permissions.",
        ) from e
    finally:
        os.close(descriptor)
    if len(raw) > limit:
        raise RefusedFile(
            f"{path}: larger than the {_size(limit)} limit for a {what}; refusing to read it",
            path=str(path),
            hint="Check that the path names the right file.",
        )
    return raw, info


def require_regular(path: StrPath, *, what: str = "file") -> None:
    """Refuse (``RefusedFile``) a ``path`` that exists but is not a regular file, for files
    a library opens by name itself (a client certificate for ``ssl``)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # missing or unreadable: the library's own error says so
    if not stat.S_ISREG(mode):
        raise RefusedFile(f"{path}: is {kind_of(mode)}, not a regular file; refusing to read it "
                          f"as a {what}", path=str(path))


def _read_up_to(descriptor: int, most: int, size: int) -> bytes:
    """Read at most ``most`` bytes; a file of ``size`` bytes usually takes a single read."""
    parts: list[bytes] = []
    left = most
    want = min(left, size + 1)  # one more than the size: a short read then means the end
    while left > 0:  # bounded: each pass reads at least one byte or stops
        chunk = os.read(descriptor, want)
        if not chunk:
            break
        parts.append(chunk)
        left -= len(chunk)
        if len(chunk) < want:
            break
        want = min(left, _CHUNK)  # it grew while we read: go on, up to the cap
    return b"".join(parts)


def read_text_capped(path: StrPath, *, limit: int, what: str = "file") -> str:
    """Return the regular file at ``path`` as UTF-8 text, under ``limit`` bytes."""
    raw, _ = read_capped(path, limit=limit, what=what)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text", path=str(path),
                         hint="Save the file as UTF-8.") from None
