"""``rotate-key``: replace the key everywhere continue-setup stored it, and nowhere else.

Where the key lives: the ``apiKey`` of our entries (titles ``init`` renders) when it is the
key itself, in config.json and config.yaml alike, and ``LANGDOCK_API_KEY`` in the .env
beside them. Keys are compared in constant time and never returned, only where they differ.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from continue_setup.config import parsing
from continue_setup.config.datacopy import deep_copy
from continue_setup.config.keys import KEY_ENV, parse_dotenv, set_dotenv
from continue_setup.config.paths import ConfigDir
from continue_setup.errors import InputError
from continue_setup.setup.asuser import Owner, refuse_links_out
from continue_setup.setup.filechange import FileChange
from continue_setup.setup.remove import is_ours
from continue_setup.setup.templates import Template
from continue_setup.setup.writer import Written, guarded_paths, locked, write_atomic


@dataclass(frozen=True)
class Place:
    """One place the key is stored: a file and a pointer (or the .env name)."""

    path: Path
    where: str
    differs: bool  # holds a key other than the new one


@dataclass
class RotatePlan:
    """Every place the key is stored, and the file changes that put the new one there."""

    places: list[Place]
    changes: list[FileChange] = field(default_factory=list)
    probe_doc: parsing.Document | None = None  # the loaded config as it will be

    @property
    def changed(self) -> bool:
        return any(c.changed for c in self.changes)

    @property
    def stale(self) -> list[Place]:
        """The places that still hold a key other than the new one."""
        return [p for p in self.places if p.differs]


def same_key(stored: str, new: str) -> bool:
    """Compare two keys in constant time (a timing difference must not tell one from another)."""
    return hmac.compare_digest(stored.strip().encode("utf-8"), new.encode("utf-8"))


def _is_reference(value: str) -> bool:
    return "${{" in value or value.strip() == KEY_ENV


def _rotate_entries(data: Any, fmt: str, key: str, templates: Mapping[str, Template],
                    path: Path, places: list[Place]) -> None:
    """Put ``key`` into every inline apiKey of our entries in ``data``; record each place.

    An entry of someone else's keeps its key: the tool replaces only what it stored.
    """
    if not isinstance(data, dict):
        return
    for top in ("models", "tabAutocompleteModel"):
        value = data.get(top)
        items = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
        for index, entry in enumerate(items):
            stored = entry.get("apiKey") if isinstance(entry, dict) else None
            if not isinstance(stored, str) or _is_reference(stored):
                continue
            if not is_ours(entry, fmt, templates):
                continue
            pointer = f"/{top}/{index}/apiKey" if isinstance(value, list) else f"/{top}/apiKey"
            places.append(Place(path, pointer, not same_key(stored, key)))
            entry["apiKey"] = key


def plan_rotate(config_dir: ConfigDir, key: str, templates: Mapping[str, Template]
                ) -> RotatePlan:
    """Find every stored key and plan its replacement by ``key``; write nothing."""
    plan = RotatePlan([])
    loaded = config_dir.loaded_path()
    for path in (config_dir.json_path, config_dir.yaml_path):
        if not path.is_file():
            continue
        doc = parsing.load(path)
        data = deep_copy(doc.data)
        before = len(plan.places)
        _rotate_entries(data, doc.format, key, templates, path, plan.places)
        new_text = doc.render(data) if len(plan.places) > before else doc.text
        if new_text != doc.text:
            plan.changes.append(FileChange(path, doc.text, new_text))
        if path == loaded:
            plan.probe_doc = parsing.Document(path, doc.format, new_text, data)
    dotenv = config_dir.dotenv_path
    if dotenv.is_file():
        old = parsing.read_text(dotenv)
        stored = parse_dotenv(old).get(KEY_ENV)
        if stored is not None:
            plan.places.append(Place(dotenv, KEY_ENV, not same_key(stored, key)))
            new = set_dotenv(old, KEY_ENV, key)
            if new != old:
                plan.changes.append(FileChange(dotenv, old, new))
    if not plan.places:
        raise InputError(
            f"no key stored by continue-setup in {config_dir.path}",
            path=str(config_dir.path),
            hint="Run 'continue-setup init' to set Langdock up first.",
        )
    return plan


def apply_rotate(plan: RotatePlan, owner: Owner | None = None) -> list[Written]:
    """Write the new key: the .env first, so a config never names a key that is not there."""
    ordered = sorted(plan.changes, key=lambda c: c.path.name != ".env")
    return [write_atomic(change.path, change.new, owner=owner, expected=change.old)
            for change in ordered
            if change.changed]


def run_rotate(config_dir: ConfigDir, key: str, templates: Mapping[str, Template], *,
               owner: Owner | None = None) -> tuple[RotatePlan, list[Written]]:
    """Plan again under the directory's lock, then write the new key everywhere it goes."""
    refuse_links_out(owner, guarded_paths(config_dir))
    with locked(config_dir.path, owner):
        plan = plan_rotate(config_dir, key, templates)
        return plan, apply_rotate(plan, owner)
