"""``restore``: put backups back under the directory's lock, then prune old ones."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from continue_setup.setup.asuser import Owner, refuse_links_out
from continue_setup.setup.backups import MANAGED, prune_managed, restore, select
from continue_setup.setup.changes import Comparison, compare
from continue_setup.setup.writer import LOCK_NAME, Written, locked


@dataclass
class Restored:
    """What ``restore`` did, or would do: each chosen backup and what became of its file."""

    chosen: list[Comparison]
    written: list[Written] = field(default_factory=list)
    pruned: list[Path] = field(default_factory=list)
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        if self.dry_run:
            return any(not c.identical for c in self.chosen)
        return any(w.changed for w in self.written)


def run_restore(directory: Path, *, when: str | None, names: Sequence[str] = MANAGED,
                dry_run: bool = False, keep: int, owner: Owner | None = None) -> Restored:
    """Restore the backups ``when`` names (the newest when None); with ``dry_run``, only say.

    The current file is backed up before it is replaced, so a restore can be undone by
    another restore. Backups beyond the newest ``keep`` per file are then deleted.
    """
    if dry_run:
        return Restored([compare(b) for b in select(directory, when, names)], dry_run=True)
    refuse_links_out(owner, [directory, *(directory / name for name in names),
                             directory / LOCK_NAME])
    with locked(directory, owner):
        chosen = select(directory, when, names)
        outcome = Restored([compare(b) for b in chosen])
        outcome.written = [restore(b, owner) for b in chosen]
        outcome.pruned = prune_managed(directory, keep, owner)
    return outcome
