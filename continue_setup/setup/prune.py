"""``init --entries`` without an autocomplete template removes the entry ``init`` wrote for it.

Only an entry with the template's own title (``Langdock Codestral (...)``) goes: one that
``init`` wrote. The user's own autocomplete models are never touched, and chat entries are
never removed this way (``--entries gpt`` updates GPT; it does not delete Claude).
"""

from __future__ import annotations

from continue_setup.config.datacopy import deep_copy
from continue_setup.setup.templates import Template

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any


def _written_by(entry: Any, template: Template, title_key: str) -> bool:
    title = entry.get(title_key) if isinstance(entry, dict) else None
    return isinstance(title, str) and template.title_pattern().fullmatch(title) is not None


def drop_left_out(data: Any, fmt: str, left_out: Iterable[Template]) -> tuple[Any, list[str]]:
    """Return ``data`` without the autocomplete entries of ``left_out`` templates, and their
    titles."""
    templates = [t for t in left_out if t.role == "autocomplete"]
    if not templates or not isinstance(data, dict):
        return data, []
    result = deep_copy(data)
    removed: list[str] = []
    title_key = "name" if fmt == "yaml" else "title"

    def keep(entry: Any) -> bool:
        if fmt == "yaml":
            roles = entry.get("roles") if isinstance(entry, dict) else None
            if not (isinstance(roles, list) and "autocomplete" in roles):
                return True
        if any(_written_by(entry, t, title_key) for t in templates):
            removed.append(entry[title_key])
            return False
        return True

    if fmt == "yaml" and isinstance(result.get("models"), list):
        result["models"] = [m for m in result["models"] if keep(m)]
    tab = result.get("tabAutocompleteModel") if fmt == "json" else None
    if isinstance(tab, list):
        result["tabAutocompleteModel"] = [m for m in tab if keep(m)]
        if not result["tabAutocompleteModel"]:
            del result["tabAutocompleteModel"]
    elif isinstance(tab, dict) and not keep(tab):
        del result["tabAutocompleteModel"]
    return result, removed
