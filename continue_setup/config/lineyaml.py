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

from continue_setup.config import bounds
from continue_setup.config.yamlscalars import Unsure, plain

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any

# Indentation, a sequence item's dash, a key: each line's structure in one match.
_LINE = re.compile(r"( *)(- +|-\Z)?(?:([A-Za-z_][A-Za-z0-9_.-]*):(?: +|\Z))?")
_UNPRINTABLE = re.compile(r"[^\n -~]")
_WORD = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_PLAIN_ENDS = frozenset(": ")  # a plain scalar ending so is _value's to judge
_MAX_KEY = 1024  # YAML's limit on an implicit key; past it the parsers decide


def _is_plain(rest: str) -> bool:
    """Tell whether a line's rest is a plain scalar alone, the common case ``_value`` reads
    as ``plain(rest)``: no indicator first, no comment, no ': ', no ':' or ' ' last."""
    return bool(rest) and rest[0] not in _INDICATORS and rest[-1] not in _PLAIN_ENDS and \
        " #" not in rest and ": " not in rest


_EMPTY = object()  # "key:" with nothing after it (but perhaps a comment)
_NOT_PLAIN = object()  # a line's rest is not a plain scalar alone: _value reads it


# A line taken apart: its indentation, whether it is a sequence item and the width of its
# dash and spaces, its key or None, where the rest starts, the rest, and the rest's value
# if it is a plain scalar alone (else _NOT_PLAIN).
_Shape = tuple[int, bool, int, "Any", int, str, "Any"]


def _shape(line: str) -> _Shape | None:
    """Take one line apart (see ``_Shape``); None for a blank or comment line. Raises
    ``Unsure`` for a line no block YAML of the subset holds, a key that is not text, and a
    plain value only ruamel should read."""
    found = _LINE.match(line)
    assert found is not None  # every part of the pattern may be empty
    indent, dash_text, key = found.groups()
    end = found.end()
    if dash_text is None and key is None:
        if end == len(line) or line[end] == "#":
            return None
        raise Unsure("not a key")
    if key is not None and (len(key) > _MAX_KEY or type(plain(key)) is not str):
        raise Unsure("key")  # long, or read as null, a boolean or a number
    rest = line[end:]
    return (len(indent), dash_text is not None, len(dash_text or ""), key, end, rest,
            plain(rest) if _is_plain(rest) else _NOT_PLAIN)


def _value(text: str, at: tuple[int, int], pointer: str,
           positions: dict[str, tuple[int, int]] | None) -> Any:
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
          positions: dict[str, tuple[int, int]] | None) -> list[Any]:
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
        if positions is not None:
            positions[f"{pointer}/{len(items)}"] = (at[0],
                                                    column + len(piece) - len(piece.lstrip(" ")))
        items.append(plain(word))
        column += len(piece) + 1
    return items


def read(text: str, *, placed: bool = True) -> tuple[Any, dict[str, tuple[int, int]]]:
    """Return the data of ``text`` and a pointer -> (line, column) map (0-based), placed as
    ``fastyaml`` places them: a member at its key, an item at its content. Raises
    ``Unsure`` for anything outside the subset this reader vouches for.

    ``placed=False`` leaves the map empty: naming and recording every value's place was a
    fifth of reading, and most reads never place anything (``fastyaml`` reads again when a
    finding asks)."""
    if not text.isascii() or _UNPRINTABLE.search(text):
        raise Unsure("characters")
    positions: dict[str, tuple[int, int]] = {}
    places = positions if placed else None  # where _value places a flow sequence's items
    pointer = ""  # stays "" unless placed: nothing is named then
    # The blocks still open: (mapping or list, column of its entries, pointer, is a list).
    stack: list[tuple[Any, int, str, bool]] = []
    # A key whose value is on the lines below: (mapping, key, pointer, key's column).
    pending: tuple[dict[str, Any], str, str, int] | None = None
    root: Any = None
    values = 0
    max_values, max_open = bounds.MAX_YAML_VALUES, bounds.MAX_DEPTH // 2
    # Lines repeat (every entry's "    provider: openai"): each distinct line is taken apart,
    # and its plain value resolved, once.
    shapes: dict[str, _Shape | None] = {}
    for number, line in enumerate(text.split("\n")):
        if line in shapes:
            shape = shapes[line]
        else:
            shape = shapes[line] = _shape(line)
        if shape is None:
            continue  # a blank or comment line
        column, dash, dash_width, key, end, rest, value_if_plain = shape
        values += 4  # at most: a new block, an item, a key and its value; as fastyaml counts
        if values > max_values or len(stack) >= max_open:
            raise Unsure("depth or size")  # ruamel words the error, with its place
        if pending is not None:
            mapping, name, pointer, key_column = pending
            pending = None
            if column > key_column or (column == key_column and dash):
                mapping[name] = [] if dash else {}
                stack.append((mapping[name], column, pointer, dash))
            else:
                mapping[name] = None
        elif root is None:
            root = [] if dash else {}
            stack.append((root, column, "", dash))
        top = stack[-1] if stack else None
        while top is not None and top[1] > column:
            stack.pop()
            top = stack[-1] if stack else None
        if top is not None and not dash and top[1] == column and top[3]:
            stack.pop()  # a sequence written at its key's column ends at the next key
            top = stack[-1] if stack else None
        if top is None or top[1] != column:
            raise Unsure("indentation")
        block, _, base, is_list = top
        if dash:
            if not is_list:
                raise Unsure("item in a mapping")
            column = end if key is None else column + dash_width
            if placed:
                pointer = f"{base}/{len(block)}"
                positions[pointer] = (number, column)
            if key is None:
                if value_if_plain is not _NOT_PLAIN:
                    block.append(value_if_plain)  # what _value finds for a plain scalar
                    continue
                item = _value(rest, (number, column), pointer, places)
                if item is _EMPTY:
                    raise Unsure("empty item")
                values += len(item) if isinstance(item, list) else 0
                block.append(item)
                continue
            mapping = {}
            block.append(mapping)
            stack.append((mapping, column, pointer, False))
            block, base = mapping, pointer
        elif is_list:
            raise Unsure("key in a sequence")
        if key in block:
            raise Unsure("key")  # repeated (_shape refused the long and the non-text)
        if placed:
            pointer = f"{base}/{key}"  # no "~" or "/" in such keys: nothing to escape
            positions[pointer] = (number, column)
        if not rest:
            pending = (block, key, pointer, column)  # "key:": a block below, or null
            continue
        if value_if_plain is not _NOT_PLAIN:
            block[key] = value_if_plain  # what _value finds for a plain scalar
            continue
        value = _value(rest, (number, end), pointer, places)
        if value is _EMPTY:
            pending = (block, key, pointer, column)
        else:
            values += len(value) if isinstance(value, list) else 0
            block[key] = value
    if root is None or values > bounds.MAX_YAML_VALUES:
        raise Unsure("no content, or too much")
    if pending is not None:
        pending[0][pending[1]] = None
    return root, positions
