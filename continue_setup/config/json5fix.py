"""Rewrite JSON5-only syntax as the JSONC Continue reads, when the rewrite is unambiguous.

Only three mechanical changes are made, token by token so comments and layout stay: unquoted
keys get double quotes, single-quoted strings become double-quoted, and nothing else. The
result must parse as JSONC to exactly what JSON5 reads from the original, or no rewrite is
offered (hex numbers, Infinity, NaN, multi-line strings: a person decides).
"""

from __future__ import annotations

import itertools
import json
import re

from continue_setup.config import jsonc

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any

_TOKEN = re.compile(
    r"""(?P<space>\s+)
    |(?P<comment>//[^\n]*|/\*.*?\*/)
    |(?P<dq>"(?:[^"\\\n]|\\.)*")
    |(?P<sq>'(?:[^'\\\n]|\\.)*')
    |(?P<word>[A-Za-z_$][A-Za-z0-9_$]*)
    |(?P<number>-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?)
    |(?P<punct>[{}\[\]:,])""",
    re.DOTALL | re.VERBOSE,
)
_LITERALS = frozenset({"true", "false", "null"})


def _double_quoted(single: str) -> str:
    """Turn a single-quoted JSON5 string into the same string, double-quoted."""
    inner = single[1:-1]
    out = []
    index = 0
    while index < len(inner):
        char = inner[index]
        if char == "\\" and index + 1 < len(inner):
            nxt = inner[index + 1]
            out.append("'" if nxt == "'" else char + nxt)
            index += 2
            continue
        out.append('\\"' if char == '"' else char)
        index += 1
    return '"' + "".join(out) + '"'


def _tokens(text: str) -> list[tuple[str, str]] | None:
    found: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.lastgroup is None:
            return None  # syntax we do not rewrite
        found.append((match.lastgroup, match.group()))
        position = match.end()
    return found


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=False) == json.dumps(b, sort_keys=False)


def to_jsonc(text: str) -> str | None:
    """Return ``text`` with its JSON5-only syntax rewritten as JSONC, or None if not safe."""
    tokens = _tokens(text)
    if tokens is None:
        return None
    significant = [i for i, (kind, _) in enumerate(tokens) if kind not in ("space", "comment")]
    following = dict(itertools.pairwise(significant))
    parts: list[str] = []
    for index, (kind, value) in enumerate(tokens):
        nxt = following.get(index)
        is_key = nxt is not None and tokens[nxt][1] == ":"
        if kind == "sq":
            parts.append(_double_quoted(value))
        elif kind == "word" and is_key:
            parts.append(f'"{value}"')
        elif kind == "word" and value not in _LITERALS:
            return None  # Infinity, NaN, or a bare word: not ours to guess
        else:
            parts.append(value)
    new = "".join(parts)
    if new == text:
        return None
    try:
        import json5

        expected = json5.loads(text)
        actual = jsonc.parse(new).value
    except Exception:  # json5 raises ValueError and others; jsonc its own error
        return None
    return new if _same(expected, actual) else None
