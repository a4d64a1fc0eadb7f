"""``doctor --fix`` writes: under the lock, only if nothing changed since doctor read it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from continue_setup.config import parsing
from continue_setup.config.paths import ConfigDir
from continue_setup.errors import ChangedMeanwhileError, SetupError
from continue_setup.setup.asuser import Owner, acting_as
from continue_setup.setup.writer import locked, make_private, move_aside, write_atomic

if TYPE_CHECKING:
    from continue_setup.repair.doctor import Diagnosis


def _unchanged(diagnosis: Diagnosis) -> None:
    """Refuse to apply fixes planned on content that another run has changed meanwhile."""
    expected = [(c.path, c.old) for c in diagnosis.changes]
    if diagnosis.move_aside is not None:
        expected.append((diagnosis.move_aside, diagnosis.default_text))
    for path, old in expected:
        try:
            now = parsing.read_text(path) if path.exists() or path.is_symlink() else None
        except SetupError:
            now = ""
        if now != old:
            raise ChangedMeanwhileError(
                f"{path} changed since doctor read it (another run, or an editor, wrote it)",
                path=str(path), hint="Nothing was changed. Run doctor --fix again.")


def apply_fixes(diagnosis: Diagnosis, config_dir: ConfigDir, owner: Owner | None = None
                ) -> list[str]:
    """Apply the planned fixes under the directory's lock; return what was done.

    The fixes were planned from what was read before the lock (and before the probes); if a
    file changed since, nothing is applied, so a concurrent ``init``'s entries are never lost.
    """
    done: list[str] = []
    with locked(config_dir.path, owner):
        with acting_as(owner):
            _unchanged(diagnosis)
        if diagnosis.move_aside is not None:
            moved = move_aside(diagnosis.move_aside, owner)
            done.append(f"moved {diagnosis.move_aside.name} aside to {moved.name}")
        for change in sorted(diagnosis.changes, key=lambda c: c.path.name != ".env"):
            written = write_atomic(change.path, change.new, owner=owner, expected=change.old)
            if written.changed:
                done.append(f"wrote {change.path}" + (f" (backup {written.backup.name})"
                                                      if written.backup else ""))
        for path in diagnosis.chmod:
            make_private(path, owner)
            done.append(f"chmod 600 {path}")
    return done
