"""Root working in another user's home does its file work with that user's rights.

Why a change of identity rather than descriptors alone: every path under the target home is
the user's to change at any moment (a link planted at ``~/.continue``, at a config, at
``.env`` or the lock file; a directory swapped for a link while we run). Checking a path and
then using it is a race we cannot win from user space, and walking each component with
``O_NOFOLLOW`` would still leave every read, backup, rename and chmod to get right one by one.
With the effective uid, gid and groups of the user, the kernel checks each of those
operations as it would for the user: whatever a link points to, root writes, reads back or
chmods only what the user could have touched themselves, and everything created belongs to
the user. Only the *effective* ids change (the saved uid stays 0), so root is restored after
the block; the link check below runs first and turns the common attack into a clear refusal.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from continue_setup.errors import UnsafePathError, WriteError
from continue_setup.records import Frozen

IS_WINDOWS = os.name == "nt"


class Owner(Frozen):
    """Who should own what we write (an admin writing into another user's home).

    Two owners are the same user whatever their ``home``.
    """

    __slots__ = ("gid", "home", "uid")
    _REPR = ("uid", "gid", "home")
    uid: int
    gid: int
    home: Path | None

    def __init__(self, uid: int, gid: int, home: Path | None = None) -> None:
        # home: the directory no link may lead out of (the home, or its nearest parent).
        self._set(uid=uid, gid=gid, home=home)

    def _values(self) -> tuple[object, ...]:
        return self.uid, self.gid

    @classmethod
    def of(cls, path: Path) -> Owner:
        """Return the owner of ``path``, with ``path`` as the boundary links must stay in."""
        info = path.stat()
        return cls(info.st_uid, info.st_gid, Path(os.path.realpath(path)))


def _groups(owner: Owner) -> list[int]:
    """Return the user's supplementary groups (just the primary one for an unnamed uid)."""
    import pwd

    try:
        name = pwd.getpwuid(owner.uid).pw_name
    except KeyError:
        return [owner.gid]
    return os.getgrouplist(name, owner.gid)


@contextlib.contextmanager
def acting_as(owner: Owner | None) -> Iterator[None]:
    """Run the block with ``owner``'s file rights (effective uid, gid, groups); restore after.

    Does nothing without an owner, on Windows, or when already running as that user; so it
    nests, and a user running the tool for themself keeps their own links working.
    """
    if owner is None or IS_WINDOWS or os.geteuid() == owner.uid:
        yield
        return
    uid, gid, groups = os.geteuid(), os.getegid(), os.getgroups()
    try:
        # Groups and gid first: once the uid is not root, they can no longer be changed.
        os.setgroups(_groups(owner))
        os.setegid(owner.gid)
        os.seteuid(owner.uid)
    except OSError as e:
        _restore(uid, gid, groups)
        # Never fall back to root's rights: that is what the change is there to prevent.
        raise WriteError(
            f"cannot take the rights of uid {owner.uid} (gid {owner.gid}): {e.strerror}",
            hint="Nothing was changed. Run continue-setup as that user instead (for example "
            "with su or runuser), or as full root outside a restricted container.") from e
    try:
        yield
    finally:
        _restore(uid, gid, groups)


def _restore(uid: int, gid: int, groups: list[int]) -> None:
    """Take back root's effective ids and groups (possible: the saved uid stays root)."""
    os.seteuid(uid)
    os.setegid(gid)
    os.setgroups(groups)


def refuse_links_out(owner: Owner | None, paths: Iterable[Path]) -> None:
    """Refuse, with a clear error, any of ``paths`` that resolves outside the owner's home.

    Links that stay inside the home (``~/.continue`` -> ``~/dotfiles/continue``) are fine: the
    writes follow them with the user's rights. A dangling link counts where it points.
    """
    if owner is None or owner.home is None or IS_WINDOWS:
        return
    home = str(owner.home).rstrip("/") or "/"
    for path in paths:
        real = os.path.realpath(path)
        if real != home and not real.startswith(home.rstrip("/") + "/"):
            raise UnsafePathError(
                f"refusing to use {path}: it leads to {real}, outside {owner.home} (a link?); "
                "as root for another user, continue-setup follows no link out of their home",
                path=str(path),
                hint="Nothing was changed. Remove or replace the link (or run continue-setup "
                "as that user, whose own links are followed), then run it again.",
            )


def target_owner(config_dir: Path, *, home: Path | None = None) -> Owner | None:
    """Return who should own what a writing command creates: the target user's, when root runs it.

    Only as root on POSIX: the owner of ``home`` if given, else of the nearest existing
    entry at or above ``config_dir`` (a link counts as itself: its owner planted it). None
    when that is root itself, or not running as root. The owner's ``home`` is the boundary
    no link may lead out of: ``home``, or the topmost directory above that entry that the
    same user owns (their home, for a config dir inside it).
    """
    if os.name == "nt" or os.geteuid() != 0:
        return None
    if home is not None:
        owner = Owner.of(home)
        return None if owner.uid == 0 else owner
    anchor = config_dir.absolute()
    while not (anchor.exists() or anchor.is_symlink()) and anchor.parent != anchor:
        anchor = anchor.parent
    info = anchor.lstat()
    if info.st_uid == 0:
        return None
    top = anchor
    while top.parent != top and top.parent.lstat().st_uid == info.st_uid:
        top = top.parent
    return Owner(info.st_uid, info.st_gid, Path(os.path.realpath(top)))
