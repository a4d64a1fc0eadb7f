"""Render what ``remove`` took out, or would take out."""

from __future__ import annotations

from typing import Any

from continue_setup.report import Output, display_path
from continue_setup.report.init import unified_diff
from continue_setup.setup.remove import RemovePlan, RemoveResult


def _payload(plan: RemovePlan, result: RemoveResult | None, *, preview: bool) -> dict[str, Any]:
    written = {w.path: w for w in result.written} if result else {}
    changes = [c for c in (plan.config, plan.dotenv) if c is not None and c.changed]
    return {
        "ok": True,
        "changed": plan.changed,
        "dry_run": preview,
        "removed": plan.removed,
        "kept_langdock_entries": plan.kept,
        "files": [{"path": str(c.path), "action": "update",
                   "backup": str(written[c.path].backup)
                   if c.path in written and written[c.path].backup else None}
                  for c in changes]
        + [{"path": str(p), "action": "move aside",
            "backup": str(result.moved[p]) if result and p in result.moved else None}
           for p in plan.move_aside],
    }


def render_remove(out: Output, plan: RemovePlan, result: RemoveResult | None, *,
                  dry_run: bool, diff: bool, check: bool) -> None:
    """Show what went, what stayed, and where the previous versions are."""
    if out.json_mode:
        out.json(_payload(plan, result, preview=result is None))
        return
    changes = [c for c in (plan.config, plan.dotenv) if c is not None and c.changed]
    if diff:
        for change in changes:
            out.raw(unified_diff(change))
    elif dry_run:
        for change in changes:
            out.line(f"--- {display_path(change.path)} would be:")
            out.raw(change.new)
    if not plan.changed:
        out.line(f"{out.style('✓', 'ok')} nothing of continue-setup's to remove")
    verb = "would remove" if result is None else "removed"
    for item in plan.removed:
        out.line(f"  - {verb} {item['title']} ({item['pointer']})")
    for path in plan.move_aside:
        moved = result.moved.get(path) if result else None
        out.line(f"  {'would move' if result is None else 'moved'} {display_path(path)} aside"
                 + (f" to {moved.name}" if moved else "") + " (nothing else was in it)")
    for item in plan.kept:
        out.note(f"kept {item['title']} ({item['pointer']}): it points at Langdock, but its "
                 "title is not one init writes, so it may be yours")
    if result is None:
        out.note("dry run: nothing written" if not check else "check: nothing written")
    elif result.written:
        out.line(f"{out.style('✓', 'ok')} previous versions kept as backups "
                 "('continue-setup backups' lists them)")
