"""``doctor --fix`` writes: under the lock, only if nothing changed since doctor read it."""

from __future__ import annotations

from continue_setup.config.paths import ConfigDir
from continue_setup.errors import ChangedMeanwhileError
from continue_setup.setup.asuser import Owner
from continue_setup.setup.writer import (
    locked,
    make_private,
    move_aside,
    same_as_read,
    write_atomic,
)

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from continue_setup.repair.doctor import Diagnosis


def _unchanged(diagnosis: Diagnosis, owner: Owner | None) -> None:
    """Refuse to apply fixes planned on content that has changed since doctor read it.

    Read back with the user's rights when root works for them: content root read while
    planning is built upon only if the user can read the very same.
    """
    expected = [(c.path, c.old) for c in diagnosis.changes] + list(diagnosis.read.items())
    for path, old in expected:
        try:
            same_as_read(path, old, owner)
        except ChangedMeanwhileError:
            raise ChangedMeanwhileError(
                f"{path} changed since doctor read it (another run, or an editor, wrote it)",
                path=str(path), hint="Nothing was changed. Run doctor --fix again.") from None


def apply_fixes(diagnosis: Diagnosis, config_dir: ConfigDir, owner: Owner | None = None
                ) -> list[str]:
    """Apply the planned fixes under the directory's lock; return what was done.

    The fixes were planned from what was read before the lock (and before the probes); if a
    file changed since, nothing is applied, so a concurrent ``init``'s entries are never lost.
    """
    done: list[str] = []
    with locked(config_dir.path, owner):
        _unchanged(diagnosis, owner)
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
