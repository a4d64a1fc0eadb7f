"""The backups every write leaves beside a file: find them, prune them, put one back.

A backup is ``NAME.bak-YYYYMMDD-HHMMSS[-N]`` beside the file (``writer.backup_name``). Only
regular files with exactly that shape count: a symlink or a stranger's file is never listed,
restored or deleted.
"""

from __future__ import annotations

import datetime
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path

from continue_setup.config.paths import DOTENV_NAME, JSON_NAME, YAML_NAME
from continue_setup.config.reading import CONFIG_MAX_BYTES, read_capped
from continue_setup.errors import InputError
from continue_setup.records import NamedTuple
from continue_setup.setup.asuser import Owner, acting_as
from continue_setup.setup.writer import Written, write_atomic

# The files this tool writes in Continue's directory, and so the ones whose backups it keeps.
MANAGED = (JSON_NAME, YAML_NAME, DOTENV_NAME)
DEFAULT_KEEP = 10
_STAMP = re.compile(r"\.bak-(\d{8}-\d{6})(?:-(\d{1,6}))?")


class Backup(NamedTuple):  # an immutable record: a frozen dataclass costs ~0.6 ms at import
    """One backup: the file it was taken of, when, and how big it is."""

    path: Path
    original: Path
    stamp: str  # YYYYMMDD-HHMMSS
    counter: int  # a second backup within the same second
    size: int

    @property
    def when(self) -> datetime.datetime:
        return datetime.datetime.strptime(self.stamp, "%Y%m%d-%H%M%S")

    @property
    def order(self) -> tuple[str, int]:
        return self.stamp, self.counter


def list_backups(original: Path) -> list[Backup]:
    """Return the backups of ``original``, oldest first."""
    found: list[Backup] = []
    prefix = original.name
    try:
        names = os.listdir(original.parent)
    except OSError:
        return []
    for name in names:
        if not name.startswith(prefix):
            continue
        match = _STAMP.fullmatch(name, len(prefix))
        if match is None:
            continue
        path = original.parent / name
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode):
            continue  # a symlink or a folder under a backup's name is not ours
        found.append(Backup(path, original, match.group(1), int(match.group(2) or 0),
                            info.st_size))
    return sorted(found, key=lambda b: b.order)


def managed_backups(directory: Path) -> dict[Path, list[Backup]]:
    """Return the backups of every file this tool writes in ``directory``."""
    return {directory / name: list_backups(directory / name) for name in MANAGED}


def prune(original: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups of ``original``; return what went."""
    if keep < 1:
        raise InputError("--keep must be at least 1", hint="Keep at least the newest backup.")
    removed: list[Path] = []
    for old in list_backups(original)[:-keep]:
        try:
            os.unlink(old.path)
        except FileNotFoundError:
            continue  # another run pruned it first
        except OSError:
            continue  # pruning is housekeeping: never fail the write that came before it
        removed.append(old.path)
    return removed


def prune_managed(directory: Path, keep: int = DEFAULT_KEEP,
                  owner: Owner | None = None) -> list[Path]:
    """Prune the backups of every file this tool writes in ``directory``, as ``owner``.

    As root for another user the deletions are that user's file work (``setup.asuser``):
    a directory swapped for a link meanwhile leads root nowhere it could delete.
    """
    with acting_as(owner):
        return [path for name in MANAGED for path in prune(directory / name, keep)]


def select(directory: Path, when: str | None, names: Iterable[str] = MANAGED) -> list[Backup]:
    """Return the backups ``restore WHEN`` puts back: one per file, the newest that matches.

    ``when`` is a backup's file name, a stamp, or a prefix of one (``20260105-14``); without
    it, the newest backup of all. Raise InputError when nothing matches.
    """
    chosen: list[Backup] = []
    for name in names:
        backups = list_backups(directory / name)
        if when is not None:
            wanted = when.strip()
            backups = [b for b in backups
                       if b.path.name == wanted or f"{b.stamp}-{b.counter}".startswith(wanted)
                       or b.stamp.startswith(wanted)]
        if backups:
            chosen.append(backups[-1])
    if when is None and chosen:
        chosen = [max(chosen, key=lambda b: b.order)]
    if not chosen:
        raise InputError(
            f"no backup in {directory}" + (f" matches '{when}'" if when else ""),
            path=str(directory),
            hint="Run 'continue-setup backups' to see the backups and their times.",
        )
    return chosen


def restore(backup: Backup, owner: Owner | None = None) -> Written:
    """Put ``backup`` back in place atomically; the current file becomes a backup itself."""
    try:
        # With the user's rights: a backup name planted as a link to a root file reads nothing.
        with acting_as(owner):
            text = read_capped(backup.path, limit=CONFIG_MAX_BYTES, what="backup")[0].decode(
                "utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"cannot read the backup {backup.path}", path=str(backup.path),
                         hint="Check the file and its permissions; nothing was changed.") from e
    return write_atomic(backup.original, text, owner=owner)
