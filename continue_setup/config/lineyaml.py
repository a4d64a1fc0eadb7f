"""Read the plainest block YAML line by line, without importing a YAML library.

Most config.yaml files (every one ``init`` writes) are block mappings and sequences of
plain or simply quoted scalars, one per line. For those, walking the lines costs less than
importing PyYAML (~10 ms) and turning libyaml's events into Python objects (~17 ms for
1,000 entries). The reader accepts only a strict subset whose meaning is not in doubt:

- ASCII text of printable characters, ``\\n`` line ends, no tabs;
- full-line comments and blank lines anywhere;
- ``key: value``, ``key:`` (a nested block or null), ``- value`` and ``- key: value``, with
  keys of letters, digits, ``_``, ``.`` and ``-``;
- values on one line, perhaps followed by a `` # comment``: plain (no indicator first, no
  ``: `` inside, no ``:`` at the end), quoted without escapes (``"..."`` with no ``\\`` or
  ``"``, ``'...'`` with no ``'``), ``{}``, or a flow sequence of plain words
  (``[chat, edit]``); plain ones resolved with ruamel's YAML 1.2 rules (``yamlscalars``).

Anything else (other flow collections, block scalars, anchors, tags, document markers,
multi-line scalars, duplicate keys, odd indentation) raises ``Unsure``, and
``fastyaml`` reads the text the slower ways, so the result never differs from ruamel's.
"""

from __future__ import annotations

import re
from typing import Any

from continue_setup.config import bounds
from continue_setup.config.yamlscalars import Unsure, plain

_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_.-]*):(?: +|\Z)")
_UNPRINTABLE = re.compile(r"[^\n -~]")
_WORD = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_MAX_KEY = 1024  # YAML's limit on an implicit key; past it the parsers decide


_EMPTY = object()  # "key:" with nothing after it (but perhaps a comment)


def _value(text: str, at: tuple[int, int], pointer: str,
           positions: dict[str, tuple[int, int]]) -> Any:
    """Return the value written as ``text`` (a line's rest, starting at ``at``), or
    ``_EMPTY``; a flow sequence's items are placed in ``positions`` under ``pointer``."""
    if text[:1] == "#":
        return _EMPTY  # only a comment follows (the key's ": " separated it)
    if " #" in text:
        text = text[: text.index(" #")]  # a comment; a quoted "...#..." is refused below
    text = text.rstrip(" ")
    first = text[:1]
    if not first:
        return _EMPTY
    if first == '"' or first == "'":
        if len(text) > 1 and text[-1] == first and first not in text[1:-1] and (
            first == "'" or "\\" not in text
        ):
            return text[1:-1]
        raise Unsure("quoted")
    if first == "[" and text[-1] == "]":
        return _flow(text, at, pointer, positions)
    if text in ("{}", "{ }"):
        return {}
    if first in _INDICATORS or ": " in text or text[-1] == ":":
        raise Unsure("plain")
    return plain(text)


def _flow(text: str, at: tuple[int, int], pointer: str,
          positions: dict[str, tuple[int, int]]) -> list[Any]:
    """Return the items of a one-line flow sequence of plain words, like ``[chat, edit]``."""
    inner = text[1:-1]
    if not inner.strip(" "):
        return []
    items: list[Any] = []
    column = at[1] + 1
    for piece in inner.split(","):
        word = piece.strip(" ")
        if not _WORD.fullmatch(word):
            raise Unsure("flow")
        positions[f"{pointer}/{len(items)}"] = (at[0], column + len(piece) - len(piece.lstrip(" ")))
        items.append(plain(word))
        column += len(piece) + 1
    return items


class _Open:
    """A mapping or sequence still taking entries, and the column they start at."""

    __slots__ = ("column", "pointer", "value")

    def __init__(self, value: dict[str, Any] | list[Any], column: int, pointer: str) -> None:
        self.value = value
        self.column = column
        self.pointer = pointer


def read(text: str) -> tuple[Any, dict[str, tuple[int, int]]]:
    """Return the data of ``text`` and a pointer -> (line, column) map (0-based), placed as
    ``fastyaml`` places them: a member at its key, an item at its content. Raises
    ``Unsure`` for anything outside the subset this reader vouches for."""
    if not text.isascii() or _UNPRINTABLE.search(text):
        raise Unsure("characters")
    positions: dict[str, tuple[int, int]] = {}
    stack: list[_Open] = []
    # A key whose value is on the lines below: (mapping, key, pointer, key's column).
    pending: tuple[dict[str, Any], str, str, int] | None = None
    root: Any = None
    values = 0
    for number, line in enumerate(text.split("\n")):
        rest = line.lstrip(" ")
        if not rest or rest[0] == "#":
            continue
        column = len(line) - len(rest)
        dash = rest[:2] == "- "
        if dash or rest == "-":
            rest = rest[1:].lstrip(" ")
            if not rest or rest[:2] == "- " or rest == "-":
                raise Unsure("empty or nested item")
        values += 4  # at most: a new block, an item, a key and its value; as fastyaml counts
        if values > bounds.MAX_YAML_VALUES or len(stack) >= bounds.MAX_DEPTH // 2:
            raise Unsure("depth or size")  # ruamel words the error, with its place
        if pending is not None:
            mapping, key, pointer, key_column = pending
            pending = None
            if column > key_column or (column == key_column and dash):
                new: dict[str, Any] | list[Any] = [] if dash else {}
                mapping[key] = new
                stack.append(_Open(new, column, pointer))
            else:
                mapping[key] = None
        elif root is None:
            root = [] if dash else {}
            stack.append(_Open(root, column, ""))
        while stack and stack[-1].column > column:
            stack.pop()
        if stack and not dash and stack[-1].column == column and isinstance(
                stack[-1].value, list):
            stack.pop()  # a sequence written at its key's column ends at the next key
        if not stack or stack[-1].column != column:
            raise Unsure("indentation")
        top = stack[-1]
        if dash:
            if not isinstance(top.value, list):
                raise Unsure("item in a mapping")
            item_column = len(line) - len(rest)
            pointer = f"{top.pointer}/{len(top.value)}"
            positions[pointer] = (number, item_column)
            found = _KEY.match(rest)
            if found is None:
                item = _value(rest, (number, item_column), pointer, positions)
                if item is _EMPTY:
                    raise Unsure("empty item")
                values += len(item) if isinstance(item, list) else 0
                top.value.append(item)
                continue
            mapping = {}
            top.value.append(mapping)
            top = _Open(mapping, item_column, pointer)
            stack.append(top)
            column = item_column
        else:
            found = _KEY.match(rest)
            if found is None or not isinstance(top.value, dict):
                raise Unsure("not a key")
        key = found.group(1)
        if len(key) > _MAX_KEY or key in top.value or type(plain(key)) is not str:
            raise Unsure("key")  # long, repeated, or read as null, a boolean or a number
        assert isinstance(top.value, dict)
        pointer = f"{top.pointer}/{key}"  # no "~" or "/" in such keys: nothing to escape
        positions[pointer] = (number, column)
        at = (number, len(line) - len(rest) + found.end())
        value = _value(rest[found.end():], at, pointer, positions)
        if value is _EMPTY:
            pending = (top.value, key, pointer, column)
        else:
            values += len(value) if isinstance(value, list) else 0
            top.value[key] = value
    if root is None or values > bounds.MAX_YAML_VALUES:
        raise Unsure("no content, or too much")
    if pending is not None:
        pending[0][pending[1]] = None
    return root, positions
