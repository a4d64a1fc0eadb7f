"""Render ``rotate-key``: the places the key lives, and whether each changed (never a key)."""

from __future__ import annotations

from continue_setup.report import Output, display_path
from continue_setup.setup.rotate import RotatePlan
from continue_setup.setup.writer import Written


def render_rotate(out: Output, plan: RotatePlan, written: list[Written] | None, *, check: bool,
                  warnings: list[str] | None = None) -> None:
    """Say where the key is stored and what rotating did, would do, or found stale."""
    backups = {w.path: w.backup for w in written or [] if w.backup}
    if out.json_mode:
        out.json({
            "ok": not (check and plan.stale),
            "changed": bool(plan.stale) if written is None else any(w.changed for w in written),
            "dry_run": written is None,
            "places": [{"path": str(p.path), "where": p.where, "differs": p.differs}
                       for p in plan.places],
            "backups": [str(b) for b in backups.values()],
            "warnings": warnings or [],
        })
        return
    for warning in warnings or []:
        out.warn(warning)
    if check:
        if plan.stale:
            out.line(f"{len(plan.stale)} place(s) still hold another key:")
            for place in plan.stale:
                out.line(f"  {display_path(place.path)} {place.where}")
        else:
            out.line(f"{out.style('✓', 'ok')} every stored key is the one given")
        return
    verb = "would replace" if written is None else "replaced"
    for place in plan.places:
        state = f"{verb} (key changed)" if place.differs else "already the new key"
        out.line(f"  {display_path(place.path)} {place.where}: {state}")
    if written is None:
        out.note("dry run: nothing written")
    elif any(w.changed for w in written):
        out.line(f"{out.style('✓', 'ok')} key rotated; the old key is only in the backups "
                 f"({', '.join(b.name for b in backups.values())})")
    else:
        out.line(f"{out.style('✓', 'ok')} the key was already the new one; nothing written")
