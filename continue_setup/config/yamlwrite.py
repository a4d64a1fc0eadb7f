"""Write plain data as the YAML ruamel writes for it, without importing ruamel.

``migrate`` (and ``init`` with ``--format yaml``) turn plain data into a new config.yaml;
ruamel's import alone was a fifth of a ``migrate --dry-run``. Most configs are nothing but
mappings, lists, plain words, whole numbers and booleans, which ruamel writes in one way
only: two spaces a level, list items indented two with their content at four (the
``indent(mapping=2, sequence=4, offset=2)`` that ``parsing`` gives it), no line folding.
``dump`` writes exactly that, and returns None for anything it is not sure of (a string
that needs quotes, a float, null, a list in a list): ruamel then
writes the whole document. ``tests/config/test_yamlwrite.py`` holds the output byte for byte
equal to ruamel's.
"""

from __future__ import annotations

import re

from continue_setup.config.yamlscalars import Unsure, tag_of

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any

# A string ruamel writes plain in block context: no indicator at the start, no ': ' or ' #'
# inside, no quote, backslash, tab or line break, no space at either end; and it must read
# back as a string (checked with the YAML 1.2 rules separately).
_PLAIN = re.compile(r"[A-Za-z0-9_$/.(][A-Za-z0-9_$/.()+=~^;<>{} ,:@-]*\Z")
_MAX_DEPTH = 100  # as parsing's bound: deeper than any config


class _NotPlain(Exception):
    """The data holds something only ruamel should write."""


def dump(data: Any) -> str | None:
    """Return ``data`` written as ruamel writes it, or None when ruamel must do it."""
    if not isinstance(data, dict) or not data:
        return None
    lines: list[str] = []
    try:
        _mapping(data, 0, lines, 0)
    except _NotPlain:
        return None
    return "\n".join(lines) + "\n"


def _word(value: str) -> str:
    if not _PLAIN.match(value) or value.endswith(" ") or ": " in value or value.endswith(":") \
            or " #" in value:
        raise _NotPlain(value)
    try:
        if tag_of(value) != "str":  # "true", "1.5", "null", "2024-01-01" need quotes
            raise _NotPlain(value)
    except Unsure:
        raise _NotPlain(value) from None
    return value


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _word(value)
    raise _NotPlain(type(value).__name__)  # float, None, anything else


def _mapping(data: dict[Any, Any], indent: int, lines: list[str], depth: int,
             first: str | None = None) -> None:
    """Write a mapping's keys at ``indent``; ``first`` prefixes the first line ("- ")."""
    if depth > _MAX_DEPTH:
        raise _NotPlain("depth")
    pad = " " * indent
    for number, (key, value) in enumerate(data.items()):
        if not isinstance(key, str):
            raise _NotPlain("key")
        head = (first if number == 0 and first is not None else pad) + _word(key) + ":"
        if value == {} or value == []:
            lines.append(f"{head} {'{}' if isinstance(value, dict) else '[]'}")  # flow style
        elif isinstance(value, dict):
            lines.append(head)
            _mapping(value, indent + 2, lines, depth + 1)
        elif isinstance(value, list):
            lines.append(head)
            _sequence(value, indent + 2, lines, depth + 1)
        else:
            lines.append(f"{head} {_scalar(value)}")


def _sequence(items: list[Any], indent: int, lines: list[str], depth: int) -> None:
    """Write list items as '- ' at ``indent``, their content at ``indent + 2``."""
    dash = " " * indent + "- "
    for item in items:
        if isinstance(item, dict):
            if not item:
                raise _NotPlain("empty mapping")
            _mapping(item, indent + 2, lines, depth + 1, first=dash)
        elif isinstance(item, list):
            raise _NotPlain("list in a list")
        else:
            lines.append(dash + _scalar(item))
