"""What ``init --check`` reports: how the files on disk differ from what ``init`` would write."""

from __future__ import annotations

from continue_setup.config import parsing
from continue_setup.config.jsonc_edit import same
from continue_setup.config.redact import MASK
from continue_setup.errors import ConfigParseError
from continue_setup.setup.plan import InitPlan

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any

# Fields whose values are safe to show; any other field (apiKey, requestOptions) is masked.
SHOWN = frozenset({"title", "name", "provider", "model", "apiBase", "roles"})
_MISSING = object()


def _current_data(plan: InitPlan) -> Any:
    """Return the data of the config as it is now (None if missing or unparseable)."""
    if plan.config.old is None:
        return None
    try:
        return parsing.parse_text(plan.config.old, plan.format, plan.config.path).data  # type: ignore[arg-type]
    except ConfigParseError:
        return None


def _current_entry(data: Any, pointer: str, autocomplete_added: int) -> Any:
    """Find the current entry that the planned entry at ``pointer`` replaces."""
    if not isinstance(data, dict):
        return None
    parts = pointer.strip("/").split("/")
    if parts[0] == "models":
        models = data.get("models")
        index = int(parts[1])
        return models[index] if isinstance(models, list) and index < len(models) else None
    tab = data.get("tabAutocompleteModel")
    items = tab if isinstance(tab, list) else [] if tab is None else [tab]
    # init inserts new autocomplete entries first, shifting the current ones down.
    index = (int(parts[1]) if len(parts) > 1 else 0) - autocomplete_added
    return items[index] if 0 <= index < len(items) else None


def _shown(field: str, value: Any) -> Any:
    if value is _MISSING:
        return None
    return value if field in SHOWN else MASK


def _field_changes(current: Any, expected: dict[str, Any]) -> list[dict[str, Any]]:
    old: dict[str, Any] = current if isinstance(current, dict) else {}
    changes = []
    for field, value in expected.items():
        before = old.get(field, _MISSING)
        if before is _MISSING or not same(before, value):
            changes.append(
                {"field": field, "current": _shown(field, before), "expected": _shown(field, value)}
            )
    return changes


def _file(path: Any, role: str, action: str) -> dict[str, Any]:
    return {"kind": "file", "path": str(path), "role": role, "action": action}


def differences(plan: InitPlan) -> list[dict[str, Any]]:
    """List what ``init`` would change: files, then entries with the fields that differ.

    Values of fields other than title, provider, model, apiBase and roles are masked, so a
    changed key shows as ``apiKey`` with ``********`` on both sides.
    """
    found: list[dict[str, Any]] = []
    config = plan.config
    data = _current_data(plan)
    if config.changed:
        action = (
            "create"
            if config.old is None
            else "replace (unparseable)"
            if data is None
            else "update"
        )
        found.append(_file(config.path, "config", action))
    if plan.dotenv is not None and plan.dotenv.changed:
        found.append(
            _file(plan.dotenv.path, "dotenv", "create" if plan.dotenv.old is None else "update")
        )
    if plan.move_aside is not None:
        found.append(_file(plan.move_aside, "moved_aside", "move aside"))
    added_auto = sum(
        1
        for p in plan.placed
        if p.action == "added" and p.pointer.startswith("/tabAutocompleteModel")
    )
    for placed in plan.placed:
        if placed.action == "unchanged":
            continue
        current = (
            None if placed.action == "added" else _current_entry(data, placed.pointer, added_auto)
        )
        entry = placed.rendered.entry
        found.append(
            {
                "kind": "entry",
                "title": entry.get("title", entry.get("name")),
                "pointer": placed.pointer,
                "action": placed.action,
                "fields": _field_changes(current, entry),
            }
        )
    return found
