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
    """A YAML document read from libyaml events; positions are found when first asked for."""

    def locate(self, pointer: str) -> tuple[int | None, int | None]:
        """Return the 1-based line and column of ``pointer``, as ``parsing.Document`` does."""
        if self.data is None:
            return None, None  # an empty document has no place, as in parsing.Document
        if pointer == "":
            return 1, 1
        if self._positions is None:
            # Most configs of a large run have no finding with a place, or only the file's
            # own (the root): recording every value's place while reading cost about a
            # third of reading. The same text reads again to the same events.
            self._positions = _positions(self.text)
        position = self._positions.get(pointer)
        if position is None:
            return (1, 1) if pointer == "" else (None, None)
        return position[0] + 1, position[1] + 1


@cache
def _events() -> tuple[Any, Any] | None:
    """Return (parser class, events module) when PyYAML with libyaml is installed."""
    try:
        yaml = importlib.import_module("yaml")  # PyYAML: optional, the fast path only
    except ImportError:
        return None
    loader = getattr(yaml, "CBaseLoader", None)
    return None if loader is None else (loader, yaml.events)


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

    def __init__(self, events: Any, module: Any, *, positions: bool) -> None:
        self.next = events  # libyaml's get_event: no generator between it and us
        self.ev = module
        self.positions: dict[str, tuple[int, int]] | None = {} if positions else None
        self.values = 0

    def document(self) -> Any:
        ev = self.ev
        self.next()  # StreamStart
        event = self.next()
        if isinstance(event, ev.StreamEndEvent):
            return None
        if event.version or event.tags:
            raise _Unsure("directive")
        value = self.node(self.next(), "")
        self.next()  # DocumentEnd
        if not isinstance(self.next(), ev.StreamEndEvent):
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
            while not isinstance(item := self.next(), ev.SequenceEndEvent):
                child = ""
                if self.positions is not None:
                    child = f"{pointer}/{len(items)}"
                    self.positions[child] = (item.start_mark.line, item.start_mark.column)
                items.append(self.node(item, child, depth + 1))
            return items
        mapping: dict[str, Any] = {}
        while not isinstance(key := self.next(), ev.MappingEndEvent):
            name = self.node(key, pointer) if isinstance(key, ev.ScalarEvent) else None
            if not isinstance(name, str) or name in mapping or (name == "<<" and key.implicit[0]):
                raise _Unsure("key")  # complex, non-string, duplicate or merge key
            child = ""
            if self.positions is not None:
                child = f"{pointer}/{escape_pointer_token(name)}"
                self.positions[child] = (key.start_mark.line, key.start_mark.column)
            mapping[name] = self.node(self.next(), child, depth + 1)
        return mapping


def _positions(text: str) -> dict[str, tuple[int, int]]:
    """Return pointer -> 0-based (line, column) for every value of ``text`` (read before)."""
    tools = _events()
    if tools is None:
        return {}
    loader, module = tools
    builder = _Builder(loader(text).get_event, module, positions=True)
    try:
        builder.document()
    except Exception:  # it read once; a text that no longer reads has no places to give
        return {}
    return builder.positions or {}


def load_yaml(text: str, path: Path | None = None) -> parsing.Document:
    """Parse config.yaml text; same data, positions and errors as ``parsing.parse_text``."""
    tools = _events()
    if tools is not None and not _LIBYAML_LAX.search(text):
        loader, module = tools
        try:
            data = _Builder(loader(text).get_event, module, positions=False).document()
        except Exception:  # _Unsure, or any libyaml complaint: ruamel decides and words it
            return parsing.parse_text(text, "yaml", path)
        doc = FastYamlDocument(path=path, format="yaml", text=text, data=data)
        parsing.register_secrets(doc)
        return doc
    return parsing.parse_text(text, "yaml", path)
