"""Read config.yaml fast for ``validate``: libyaml events when PyYAML has them, else ruamel.

ruamel's round-trip loader (which ``parsing`` uses, and which keeps comments for ``init``)
costs about 4 ms for a small config; validating a thousand files needs less. libyaml's
event stream, resolved with ruamel's own YAML 1.2 rules, gives the same data and positions
in a tenth of the time. Anything this reader is not sure to read as ruamel does (tags,
anchors, merge keys, directives, duplicate keys, unusual numbers, errors) goes to
``parsing.parse_text``, so results never differ from the canonical parser's.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from continue_setup.config import parsing
from continue_setup.config.bounds import MAX_DEPTH, MAX_NUMBER_DIGITS, MAX_YAML_VALUES
from continue_setup.config.jsonc import escape_pointer_token
from continue_setup.config.yamlscalars import plain_tag

_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
# What libyaml takes and ruamel refuses (found by fuzzing both): tabs inside plain scalars and
# a comment glued to a block scalar header (|#). Such texts are ruamel's to judge.
_LIBYAML_LAX = re.compile(r"\t|[|>][-+0-9]{0,2}#")


class _Unsure(Exception):
    """The fast reader cannot vouch for this text; the canonical parser reads it."""


@dataclass(eq=False)
class FastYamlDocument(parsing.Document):
    """A YAML document read from libyaml events, with positions recorded while reading."""

    def locate(self, pointer: str) -> tuple[int | None, int | None]:
        """Return the 1-based line and column of ``pointer``, as ``parsing.Document`` does."""
        if self.data is None:
            return None, None  # an empty document has no place, as in parsing.Document
        position = (self._positions or {}).get(pointer)
        if position is None:
            return (1, 1) if pointer == "" else (None, None)
        return position[0] + 1, position[1] + 1


@cache
def _events() -> tuple[Any, Any, Any] | None:
    """Return (parse, loader, events module) when PyYAML with libyaml is installed."""
    try:
        yaml = importlib.import_module("yaml")  # PyYAML: optional, the fast path only
    except ImportError:
        return None
    loader = getattr(yaml, "CBaseLoader", None)
    return None if loader is None else (yaml.parse, loader, yaml.events)


@cache
def _plain(value: str) -> Any:
    """Resolve a plain scalar with ruamel's YAML 1.2 rules (the ones Continue's parser uses)."""
    tag = plain_tag(value)
    if tag == "str":
        return value
    if tag == "null":
        return None
    if tag == "bool":
        return value in ("true", "True", "TRUE")
    if len(value) > MAX_NUMBER_DIGITS:
        raise _Unsure("long number")  # ruamel refuses it, at its place
    if tag == "int" and _INT.match(value):
        return int(value)
    if tag == "float" and _FLOAT.match(value):
        return float(value)
    raise _Unsure(tag)  # octal, hex, underscores, .inf, timestamps: ruamel's business


class _Builder:
    """Turn an event stream into plain data and a pointer -> (line, column) map."""

    def __init__(self, events: Any, module: Any) -> None:
        self.events = iter(events)
        self.ev = module
        self.positions: dict[str, tuple[int, int]] = {}
        self.values = 0

    def document(self) -> Any:
        ev = self.ev
        next(self.events)  # StreamStart
        event = next(self.events)
        if isinstance(event, ev.StreamEndEvent):
            return None
        if event.version or event.tags:
            raise _Unsure("directive")
        value = self.node(next(self.events), "")
        next(self.events)  # DocumentEnd
        if not isinstance(next(self.events), ev.StreamEndEvent):
            raise _Unsure("several documents")
        return value

    def node(self, event: Any, pointer: str, depth: int = 0) -> Any:
        ev = self.ev
        self.values += 1  # keys too: past the limit, ruamel (which counts values) decides
        if depth >= MAX_DEPTH or self.values > MAX_YAML_VALUES:  # depth as ruamel counts it
            raise _Unsure("depth or size")  # ruamel words the error, with its place
        if isinstance(event, ev.AliasEvent) or event.anchor is not None:
            raise _Unsure("anchor")
        if isinstance(event, ev.ScalarEvent):
            if event.tag is not None:
                raise _Unsure("tag")
            return _plain(event.value) if event.implicit[0] else event.value
        if event.tag is not None:
            raise _Unsure("tag")
        if isinstance(event, ev.SequenceStartEvent):
            items: list[Any] = []
            while not isinstance(item := next(self.events), ev.SequenceEndEvent):
                child = f"{pointer}/{len(items)}"
                self.positions[child] = (item.start_mark.line, item.start_mark.column)
                items.append(self.node(item, child, depth + 1))
            return items
        mapping: dict[str, Any] = {}
        while not isinstance(key := next(self.events), ev.MappingEndEvent):
            name = self.node(key, pointer) if isinstance(key, ev.ScalarEvent) else None
            if not isinstance(name, str) or name in mapping or (name == "<<" and key.implicit[0]):
                raise _Unsure("key")  # complex, non-string, duplicate or merge key
            child = f"{pointer}/{escape_pointer_token(name)}"
            self.positions[child] = (key.start_mark.line, key.start_mark.column)
            mapping[name] = self.node(next(self.events), child, depth + 1)
        return mapping


def load_yaml(text: str, path: Path | None = None) -> parsing.Document:
    """Parse config.yaml text; same data, positions and errors as ``parsing.parse_text``."""
    tools = _events()
    if tools is not None and not _LIBYAML_LAX.search(text):
        parse, loader, module = tools
        try:
            builder = _Builder(parse(text, Loader=loader), module)
            data = builder.document()
        except Exception:  # _Unsure, or any libyaml complaint: ruamel decides and words it
            return parsing.parse_text(text, "yaml", path)
        doc = FastYamlDocument(
            path=path, format="yaml", text=text, data=data, _positions=builder.positions
        )
        parsing.register_secrets(doc)
        return doc
    return parsing.parse_text(text, "yaml", path)
