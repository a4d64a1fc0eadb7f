"""Render ``backups`` and ``restore``: times, sizes and what changed, never a value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from continue_setup.report import Output, display_path
from continue_setup.setup.changes import Comparison
from continue_setup.setup.restore import Restored


def describe(c: Comparison) -> str:
    """Say in a few words what restoring the backup would change."""
    if not c.current_exists:
        return "the file is gone; restoring brings it back"
    if c.identical:
        return "same as the current file"
    if c.places is None:
        return f"{c.lines} line(s) differ"
    if not c.places:
        return "same data, different formatting"
    keys = [p for p in c.places if p.rsplit("/", 1)[-1] in ("apiKey", "LANGDOCK_API_KEY")]
    shown = [f"{p} (key changed)" if p in keys else p for p in c.places[:5]]
    more = len(c.places) - len(shown)
    return "differs at " + ", ".join(shown) + (f" and {more} more" if more else "")


def render_backups(out: Output, directory: Path, found: dict[Path, list[Comparison]]) -> None:
    """List each managed file's backups, newest first."""
    if out.json_mode:
        out.json({"ok": True, "config_dir": str(directory),
                  "files": [{"path": str(path), "exists": path.exists(),
                             "backups": [c.to_dict() for c in items]}
                            for path, items in found.items()]})
        return
    total = sum(len(items) for items in found.values())
    if not total:
        out.line(f"no backups in {display_path(directory)}")
        return
    for path, items in found.items():
        if not items:
            continue
        out.line(f"{display_path(path)} ({len(items)} backup{'s' if len(items) != 1 else ''}):")
        for c in items:
            out.line(f"  {c.backup.when:%Y-%m-%d %H:%M:%S}  {c.backup.size:>7} B  "
                     f"{c.backup.path.name}  {out.style(describe(c), 'dim')}")
    out.line("Restore one with: continue-setup restore <time or name>")


def _payload(outcome: Restored) -> dict[str, Any]:
    written = {w.path: w for w in outcome.written}
    return {"ok": True, "changed": outcome.changed, "dry_run": outcome.dry_run,
            "restored": [{**c.to_dict(),
                          "previous_kept_as": str(written[c.backup.original].backup)
                          if c.backup.original in written and written[c.backup.original].backup
                          else None} for c in outcome.chosen],
            "pruned": [str(p) for p in outcome.pruned]}


def render_restore(out: Output, outcome: Restored) -> None:
    """Say which backups were (or would be) put back, and where the replaced files went."""
    if out.json_mode:
        out.json(_payload(outcome))
        return
    written = {w.path: w for w in outcome.written}
    for c in outcome.chosen:
        target = display_path(c.backup.original)
        if outcome.dry_run:
            out.line(f"would restore {target} from {c.backup.path.name}: {describe(c)}")
            continue
        done = written[c.backup.original]
        if not done.changed:
            out.line(f"{out.style('✓', 'ok')} {target} already matches {c.backup.path.name}")
        else:
            kept = f" (the replaced version kept as {done.backup.name})" if done.backup else ""
            out.line(f"{out.style('✓', 'ok')} restored {target} from {c.backup.path.name}{kept}")
    if outcome.pruned:
        out.note(f"deleted {len(outcome.pruned)} old backup(s) beyond --keep")
    if outcome.dry_run:
        out.note("dry run: nothing written")
