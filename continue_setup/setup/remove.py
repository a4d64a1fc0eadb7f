"""``remove``: take out exactly what ``init`` added, and nothing of the user's.

An entry is ours when its title (config.json) or name (config.yaml) is one a template
renders, such as ``Langdock GPT (gpt-5.2)``: the sure half of ``merge``'s recognition. An
entry that only points at a Langdock route is left alone and reported, since the user may
have written it. The key variable goes from the top-level ``env`` list and from the .env
when nothing left uses it. A file that holds nothing else afterwards is moved aside as a
backup, as if init had never created it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from continue_setup.config import parsing
from continue_setup.config.datacopy import deep_copy
from continue_setup.config.keys import KEY_ENV, parse_dotenv
from continue_setup.config.paths import ConfigDir
from continue_setup.setup.asuser import Owner, refuse_links_out
from continue_setup.setup.filechange import FileChange
from continue_setup.setup.merge import NEW_YAML_HEADER
from continue_setup.setup.templates import Template
from continue_setup.setup.writer import Written, guarded_paths, locked, move_aside, write_atomic

_DOTENV_LINE = r"(?m)^[ \t]*(?:export[ \t]+)?{name}[ \t]*=.*(?:\r?\n|\Z)"


@dataclass
class RemovePlan:
    """What ``remove`` takes out, and the files it changes or moves aside."""

    config: FileChange | None
    dotenv: FileChange | None
    removed: list[dict[str, str]] = field(default_factory=list)
    kept: list[dict[str, str]] = field(default_factory=list)  # Langdock entries not ours
    move_aside: list[Path] = field(default_factory=list)  # files left holding nothing

    @property
    def changed(self) -> bool:
        return bool(self.move_aside) or any(
            c is not None and c.changed for c in (self.config, self.dotenv))


@dataclass
class RemoveResult:
    """What ``remove`` wrote and moved aside."""

    written: list[Written] = field(default_factory=list)
    moved: dict[Path, Path] = field(default_factory=dict)


def _title(entry: Any, fmt: str) -> str | None:
    value = entry.get("name" if fmt == "yaml" else "title") if isinstance(entry, dict) else None
    return value if isinstance(value, str) else None


def is_ours(entry: Any, fmt: str, templates: Mapping[str, Template]) -> bool:
    """Tell whether ``entry`` carries a title one of ``templates`` renders: init wrote it."""
    title = _title(entry, fmt)
    return title is not None and any(t.title_pattern().fullmatch(title)
                                     for t in templates.values())


def _langdock_looking(entry: Any) -> bool:
    base = entry.get("apiBase") if isinstance(entry, dict) else None
    return isinstance(base, str) and "langdock" in base.lower()


def _strip(data: dict[str, Any], fmt: str, templates: Mapping[str, Template],
           plan: RemovePlan) -> None:
    """Remove our entries from ``data`` in place; record what went and what stayed."""
    for key in ("models", "tabAutocompleteModel"):
        value = data.get(key)
        items = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
        left = []
        for index, item in enumerate(items):
            pointer = f"/{key}/{index}" if isinstance(value, list) else f"/{key}"
            if is_ours(item, fmt, templates):
                plan.removed.append({"title": str(_title(item, fmt)), "pointer": pointer})
            else:
                if _langdock_looking(item):
                    plan.kept.append({"title": str(_title(item, fmt)), "pointer": pointer})
                left.append(item)
        if len(left) == len(items):
            continue
        if isinstance(value, list):
            data[key] = left
        else:
            del data[key]  # a single autocomplete entry init wrote: the key was init's


def _uses_key_variable(data: Any, fmt: str) -> bool:
    """Tell whether anything left in the config refers to the key variable."""
    needle = "secrets." + KEY_ENV if fmt == "yaml" else KEY_ENV
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, str) and needle in node:
            return True
        if isinstance(node, dict):
            stack.extend(v for k, v in node.items() if not (fmt == "json" and k == "env"))
        elif isinstance(node, list):
            stack.extend(node)
    return False


def _empty(data: dict[str, Any], fmt: str) -> bool:
    """Tell whether ``data`` holds only what init puts in a file it creates."""
    rest = {k: v for k, v in data.items() if k != "models" or v}
    if fmt == "yaml":
        rest = {k: v for k, v in rest.items() if NEW_YAML_HEADER.get(k) != v}
    return not rest


def plan_remove(config_dir: ConfigDir, templates: Mapping[str, Template]) -> RemovePlan:
    """Work out what ``remove`` changes in the config Continue loads and in the .env."""
    plan = RemovePlan(None, None)
    path = config_dir.loaded_path()
    still_used = False
    if path is not None:
        doc = parsing.load(path)
        fmt = doc.format
        if isinstance(doc.data, dict):
            data = deep_copy(doc.data)
            _strip(data, fmt, templates, plan)
            still_used = _uses_key_variable(data, fmt)
            env = data.get("env")
            if fmt == "json" and isinstance(env, list) and KEY_ENV in env and not still_used:
                data["env"] = [name for name in env if name != KEY_ENV]
                if not data["env"]:
                    del data["env"]
            if plan.removed and _empty(data, fmt):
                plan.move_aside.append(path)
            elif plan.removed or data != doc.data:
                plan.config = FileChange(path, doc.text, doc.render(data))
    dotenv = config_dir.dotenv_path
    if plan.removed and not still_used and dotenv.is_file():
        old = parsing.read_text(dotenv)
        if KEY_ENV in parse_dotenv(old):
            new = re.sub(_DOTENV_LINE.format(name=re.escape(KEY_ENV)), "", old)
            if parse_dotenv(new) or new.strip():
                plan.dotenv = FileChange(dotenv, old, new)
            else:
                plan.move_aside.append(dotenv)
    return plan


def apply_remove(plan: RemovePlan, owner: Owner | None = None) -> RemoveResult:
    """Write what ``plan`` says: the config first, so no entry is left without its key."""
    result = RemoveResult()
    for change in (plan.config, plan.dotenv):
        if change is not None and change.changed:
            # expected: what root read while planning must be what the user's rights read now.
            result.written.append(write_atomic(change.path, change.new, owner=owner,
                                               expected=change.old))
    for path in plan.move_aside:
        result.moved[path] = move_aside(path, owner)
    return result


def run_remove(config_dir: ConfigDir, templates: Mapping[str, Template], *,
               dry_run: bool = False, owner: Owner | None = None
               ) -> tuple[RemovePlan, RemoveResult | None]:
    """Plan and, unless ``dry_run``, apply ``remove`` under the directory's lock."""
    if dry_run or not config_dir.path.is_dir():
        return plan_remove(config_dir, templates), None
    refuse_links_out(owner, guarded_paths(config_dir))
    with locked(config_dir.path, owner):
        plan = plan_remove(config_dir, templates)
        return plan, apply_remove(plan, owner)
