"""Read config.yaml fast for ``validate``: libyaml events when PyYAML has them, else ruamel.

ruamel's round-trip loader (which ``parsing`` uses, and which keeps comments for ``init``)
costs about 4 ms for a small config; validating a thousand files needs less. libyaml's
event stream, resolved with ruamel's own YAML 1.2 rules (copied in ``yamlscalars``), gives
the same data and positions in a tenth of the time. Anything this reader is not sure to
read as ruamel does (tags, anchors, merge keys, directives, duplicate keys, unusual numbers,
errors) goes to ``parsing.parse_text``, so results never differ from the canonical parser's.
"""

from __future__ import annotations

import re
from functools import cache

from continue_setup.config import lineyaml, parsing
from continue_setup.config.bounds import MAX_DEPTH, MAX_YAML_VALUES
from continue_setup.config.jsonc import escape_pointer_token
from continue_setup.config.yamlscalars import Unsure, plain

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

# What libyaml takes and ruamel refuses (found by fuzzing both): tabs inside plain scalars and
# a comment glued to a block scalar header (|#). Such texts are ruamel's to judge.
# Compiled on first use (re's own cache): only a text the line reader declines needs it.
_LIBYAML_LAX = r"\t|[|>][-+0-9]{0,2}#"


class FastYamlDocument(parsing.Document):  # no new fields: no @dataclass (~1 ms at import)
    """A YAML document read line by line or from libyaml events; positions are found when
    first asked for."""

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
            return None, None
        return position[0] + 1, position[1] + 1


@cache
def _events() -> tuple[Any, Any] | None:
    """Return (parser class, events module) when PyYAML with libyaml is installed."""
    try:
        import yaml  # type: ignore[import-untyped]  # PyYAML: optional, the fast path only
    except ImportError:
        return None
    loader = getattr(yaml, "CBaseLoader", None)
    return None if loader is None else (loader, yaml.events)


class _Builder:
    """Turn an event stream into plain data and, if asked, a pointer -> (line, column) map."""

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
            raise Unsure("directive")
        value = self.node(self.next(), "")
        self.next()  # DocumentEnd
        if not isinstance(self.next(), ev.StreamEndEvent):
            raise Unsure("several documents")
        return value

    def node(self, event: Any, pointer: str, depth: int = 0) -> Any:
        ev = self.ev
        self.values += 1  # keys too: past the limit, ruamel (which counts values) decides
        if depth >= MAX_DEPTH or self.values > MAX_YAML_VALUES:  # depth as ruamel counts it
            raise Unsure("depth or size")  # ruamel words the error, with its place
        if isinstance(event, ev.AliasEvent) or event.anchor is not None:
            raise Unsure("anchor")
        if isinstance(event, ev.ScalarEvent):
            if event.tag is not None:
                raise Unsure("tag")
            return plain(event.value) if event.implicit[0] else event.value
        if event.tag is not None:
            raise Unsure("tag")
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
                raise Unsure("key")  # complex, non-string, duplicate or merge key
            child = ""
            if self.positions is not None:
                child = f"{pointer}/{escape_pointer_token(name)}"
                self.positions[child] = (key.start_mark.line, key.start_mark.column)
            mapping[name] = self.node(self.next(), child, depth + 1)
        return mapping


def _positions(text: str) -> dict[str, tuple[int, int]]:
    """Return pointer -> 0-based (line, column) for every value of ``text`` (read before):
    by the line reader again if it read the text, else from libyaml's events."""
    try:
        return lineyaml.read(text)[1]
    except Unsure:
        pass
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


def load_yaml(text: str, path: Path | None = None, *, by_lines: bool = False
              ) -> parsing.Document:
    """Parse config.yaml text; same data, positions and errors as ``parsing.parse_text``.

    ``by_lines``: try ``lineyaml`` first, which reads the plainest YAML (every config.yaml
    ``init`` writes) without importing PyYAML or ruamel; ``init`` asks for it.
    """
    read: tuple[Any, dict[str, tuple[int, int]] | None] | None = (
        _read_lines(text) if by_lines else None)
    if read is None:
        read = _read_events(text)
    if read is None:
        return parsing.parse_text(text, "yaml", path)
    data, positions = read
    doc = FastYamlDocument(path=path, format="yaml", text=text, data=data, _positions=positions)
    parsing.register_secrets(doc)
    return doc


def _read_lines(text: str) -> tuple[Any, None] | None:
    """Return the data read line by line (positions come when asked for), or None when the
    text is not plain."""
    try:
        return lineyaml.read(text, placed=False)[0], None  # placed when a finding asks
    except Unsure:
        return None


def _read_events(text: str) -> tuple[Any, dict[str, tuple[int, int]] | None] | None:
    """Return the data read from libyaml's events (positions come when asked for), or None
    when PyYAML is missing or the events cannot be vouched for (ruamel then decides, and
    words any error)."""
    tools = _events()
    if tools is None or re.search(_LIBYAML_LAX, text):
        return None
    loader, module = tools
    try:
        return _Builder(loader(text).get_event, module, positions=False).document(), None
    except Exception:  # Unsure, or any libyaml complaint
        return None
