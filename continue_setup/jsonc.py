"""JSONC as Continue reads config.json: JSON plus comments and trailing commas, not JSON5.

``parse`` returns the value and where every value sits (by JSON pointer), so findings can
name a line and column and ``patch`` can rewrite only what changed, keeping comments.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

MAX_DEPTH = 512

_TOKEN = re.compile(
    r"""
     (?P<ws>[ \t\r\n]+)
    |(?P<comment>//[^\n]*|/\*(?:[^*]|\*(?!/))*\*/)
    |(?P<string>"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*")
    |(?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?(?![0-9A-Za-z_.$]))
    |(?P<punct>[{}\[\]:,])
    |(?P<literal>(?:true|false|null)(?![0-9A-Za-z_$]))
    |(?P<bad>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_SKIP = re.compile(r"(?:[ \t\r\n]+|//[^\n]*|/\*(?:[^*]|\*(?!/))*\*/)*")
_WORD = re.compile(r"[A-Za-z_$][0-9A-Za-z_$]*")
_LITERALS = {"true": True, "false": False, "null": None}


@dataclass(frozen=True, slots=True)
class Span:
    """Where a value is: ``start``/``end`` offsets, its key's offset, the comma after it."""

    start: int
    end: int
    key_start: int = -1
    comma_after: int = -1


class JsoncError(ValueError):
    """The text is not JSONC that Continue can load; ``offset`` says where."""

    def __init__(self, message: str, offset: int, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.hint = hint


def escape_pointer_token(token: str) -> str:
    """Escape one JSON pointer reference token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def line_starts(text: str) -> list[int]:
    """Return the offset where each line of ``text`` starts."""
    return [0] + [m.end() for m in re.finditer("\n", text)]


def _describe_bad(text: str, offset: int, expect_key: bool) -> tuple[str, str]:
    """Explain a character the tokenizer rejected, naming JSON5-only syntax as such."""
    char = text[offset]
    json5 = "JSON5 syntax, which Continue's JSONC parser rejects"
    if char == "'":
        return f"single-quoted string: {json5}", "Use double quotes."
    if text.startswith(("0x", "0X", "-0x", "-0X"), offset):
        return f"hexadecimal number: {json5}", "Write the number in decimal."
    if char == "+" or (char == "." and text[offset + 1 : offset + 2].isdigit()):
        return f"number with a leading '{char}': {json5}", "Write it as plain JSON (0.5, 5)."
    if char.isdigit() or char == "-":
        return "malformed number", "Numbers are written as in JSON: 1, -2, 0.5, 1e3."
    if char == '"':
        return (
            "unterminated string or invalid escape",
            'Close the string with " and escape \\ as \\\\.',
        )
    if text.startswith("/*", offset):
        return "unterminated block comment", "Close the comment with */."
    word = _WORD.match(text, offset)
    if word and len(word.group()) > 24:
        # Long bare words are more likely an unquoted secret than a key name: don't echo them.
        return "unexpected unquoted text", "Strings need double quotes."
    if word:
        name = word.group()
        if expect_key:
            return f"unquoted key '{name}': {json5}", f'Quote it: "{name}".'
        if name in ("NaN", "Infinity", "undefined"):
            return f"'{name}' is {json5}", "Use a number, a string or null."
        return (
            f"unexpected word '{name}'",
            "Strings need double quotes; literals are true, false, null.",
        )
    return f"unexpected character {char!r}", "Check for a missing comma, quote or bracket."


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.spans: dict[str, Span] = {}
        self.duplicates: list[str] = []
        self.tokens: list[tuple[str, int, int]] = []
        for m in _TOKEN.finditer(text):
            kind = m.lastgroup or "bad"
            if kind in ("ws", "comment"):
                continue
            if kind == "bad":
                self.bad_at = m.start()
                self.tokens.append(("bad", m.start(), m.end()))
                break
            self.tokens.append((kind, m.start(), m.end()))
        self.pos = 0

    def _peek(self) -> tuple[str, int, int]:
        if self.pos < len(self.tokens):
            return self.tokens[self.pos]
        return ("eof", len(self.text), len(self.text))

    def _fail(self, expected: str, expect_key: bool = False) -> JsoncError:
        kind, start, end = self._peek()
        if kind == "bad":
            message, hint = _describe_bad(self.text, start, expect_key)
            return JsoncError(message, start, hint)
        if kind == "eof":
            return JsoncError(
                f"the file ends where {expected} was expected",
                start,
                "Close every { and [ you open.",
            )
        # A string token is named by kind only: in a file we could not parse, it may be a key.
        found = "a string" if kind == "string" else repr(self.text[start:end][:20])
        return JsoncError(
            f"expected {expected}, found {found}",
            start,
            "Check for a missing or extra comma, colon or bracket.",
        )

    def value(self, pointer: str, depth: int) -> tuple[Any, int, int]:
        if depth > MAX_DEPTH:
            raise JsoncError("nested too deeply", self._peek()[1], "Flatten the structure.")
        kind, start, end = self._peek()
        if kind == "string":
            self.pos += 1
            raw = self.text[start + 1 : end - 1]
            return (json.loads(self.text[start:end]) if "\\" in raw else raw), start, end
        if kind == "number":
            self.pos += 1
            token = self.text[start:end]
            is_float = "." in token or "e" in token or "E" in token
            return (float(token) if is_float else int(token)), start, end
        if kind == "literal":
            self.pos += 1
            return _LITERALS[self.text[start:end]], start, end
        if kind == "punct" and self.text[start] == "{":
            return self.obj(pointer, depth)
        if kind == "punct" and self.text[start] == "[":
            return self.arr(pointer, depth)
        raise self._fail("a value")

    def _punct(self) -> str:
        kind, start, _ = self._peek()
        return self.text[start] if kind == "punct" else ""

    def obj(self, pointer: str, depth: int) -> tuple[dict[str, Any], int, int]:
        start = self._peek()[1]
        self.pos += 1
        result: dict[str, Any] = {}
        while True:
            if self._punct() == "}":
                end = self._peek()[2]
                self.pos += 1
                return result, start, end
            kind, key_start, key_end = self._peek()
            if kind != "string":
                raise self._fail("a quoted key or '}'", expect_key=True)
            self.pos += 1
            key = json.loads(self.text[key_start:key_end])
            if self._punct() != ":":
                raise self._fail(f"':' after the key {key!r}")
            self.pos += 1
            child = f"{pointer}/{escape_pointer_token(key)}"
            if key in result:
                self.duplicates.append(child)
            value, v_start, v_end = self.value(child, depth + 1)
            result[key] = value
            comma = -1
            if self._punct() == ",":
                comma = self._peek()[1]
                self.pos += 1
            elif self._punct() != "}":
                raise self._fail(f"',' or '}}' after the value of {key!r}")
            self.spans[child] = Span(v_start, v_end, key_start, comma)

    def arr(self, pointer: str, depth: int) -> tuple[list[Any], int, int]:
        start = self._peek()[1]
        self.pos += 1
        result: list[Any] = []
        while True:
            if self._punct() == "]":
                end = self._peek()[2]
                self.pos += 1
                return result, start, end
            child = f"{pointer}/{len(result)}"
            value, v_start, v_end = self.value(child, depth + 1)
            result.append(value)
            comma = -1
            if self._punct() == ",":
                comma = self._peek()[1]
                self.pos += 1
            elif self._punct() != "]":
                raise self._fail("',' or ']' after an array item")
            self.spans[child] = Span(v_start, v_end, -1, comma)


class Parsed:
    """A parsed JSONC text: the value, and (computed on first use) spans and duplicate keys."""

    def __init__(
        self,
        text: str,
        value: Any,
        spans: dict[str, Span] | None = None,
        duplicates: list[str] | None = None,
    ) -> None:
        self.text = text
        self.value = value
        self._spans = spans
        self._duplicates = duplicates

    def _scan(self) -> None:
        try:
            full = _parse_with_spans(self.text)
        except JsoncError:
            # The C parser took nesting deeper than the span parser goes: the value stands,
            # and only the root has a known place.
            self._spans, self._duplicates = {"": Span(0, len(self.text))}, []
            return
        self._spans, self._duplicates = full._spans, full._duplicates

    @property
    def spans(self) -> dict[str, Span]:
        if self._spans is None:
            self._scan()
        assert self._spans is not None
        return self._spans

    @property
    def duplicates(self) -> list[str]:
        if self._duplicates is None:
            self._scan()
        assert self._duplicates is not None
        return self._duplicates


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)  # NaN and Infinity: json.loads takes them, Continue does not


def parse(text: str) -> Parsed:
    """Parse ``text`` as Continue does, or raise ``JsoncError`` with the offending offset.

    Plain JSON takes the C parser; spans are then worked out only if someone asks for them.
    Anything else (comments, trailing commas, errors) goes through the full JSONC parser.
    """
    body = text[1:] if text.startswith("\ufeff") else text
    seen_duplicate = False

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal seen_duplicate
        result = dict(items)
        if len(result) != len(items):
            seen_duplicate = True
        return result

    try:
        value = json.loads(body, object_pairs_hook=pairs, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        return _parse_with_spans(text)
    return Parsed(text, value, None, None if seen_duplicate else [])


def _parse_with_spans(text: str) -> Parsed:
    body = text[1:] if text.startswith("\ufeff") else text
    offset = len(text) - len(body)
    parser = _Parser(body)
    try:
        value, start, end = parser.value("", 0)
    except RecursionError:  # pragma: no cover - MAX_DEPTH keeps well below the limit
        raise JsoncError("nested too deeply", offset) from None
    except JsoncError as e:
        e.offset += offset
        raise
    if parser._peek()[0] != "eof":
        error = parser._fail("the end of the file")
        error.offset += offset
        raise error
    spans = parser.spans
    if offset:
        spans = {
            p: Span(
                s.start + offset,
                s.end + offset,
                s.key_start + offset if s.key_start >= 0 else -1,
                s.comma_after + offset if s.comma_after >= 0 else -1,
            )
            for p, s in spans.items()
        }
    spans[""] = Span(start + offset, end + offset)
    return Parsed(text, value, spans, parser.duplicates)


# --- patching: rewrite only what changed --------------------------------------------------


def same(a: Any, b: Any) -> bool:
    """Compare JSON values strictly: ``True`` is not ``1`` and ``1`` is not ``1.0``."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a) and list(a) == list(b)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _indent_unit(text: str) -> str:
    match = re.search(r"\n([ \t]+)\S", text)
    return match.group(1) if match else "  "


class _Patcher:
    def __init__(self, parsed: Parsed) -> None:
        self.text = parsed.text
        self.spans = parsed.spans
        self.unit = _indent_unit(parsed.text)
        self.edits: list[tuple[int, int, str]] = []

    def line_indent(self, offset: int) -> str:
        start = self.text.rfind("\n", 0, offset) + 1
        match = re.match(r"[ \t]*", self.text[start:offset])
        return match.group() if match else ""

    def dump(self, value: Any, indent: str) -> str:
        text = json.dumps(value, indent=self.unit, ensure_ascii=False)
        return text.replace("\n", "\n" + indent)

    def next_significant(self, offset: int) -> int:
        return _SKIP.match(self.text, offset).end()  # type: ignore[union-attr]

    def diff(self, pointer: str, old: Any, new: Any) -> None:
        if same(old, new):
            return
        span = self.spans[pointer]
        if (
            isinstance(old, dict)
            and isinstance(new, dict)
            and old
            and [k for k in old if k in new] == [k for k in new if k in old]
        ):
            self.diff_object(pointer, old, new, span)
        elif isinstance(old, list) and isinstance(new, list) and old and new:
            self.diff_array(pointer, old, new, span)
        else:
            self.edits.append((span.start, span.end, self.dump(new, self.line_indent(span.start))))

    def child_indent(self, first_child: str) -> str:
        first = self.spans[first_child]
        return self.line_indent(first.key_start if first.key_start >= 0 else first.start)

    def diff_object(
        self, pointer: str, old: dict[str, Any], new: dict[str, Any], span: Span
    ) -> None:
        keys = list(old)
        children = {k: f"{pointer}/{escape_pointer_token(k)}" for k in keys}
        kept = [k for k in keys if k in new]
        if not kept:
            self.edits.append((span.start, span.end, self.dump(new, self.line_indent(span.start))))
            return
        indent = self.child_indent(children[keys[0]])
        last_kept = keys.index(kept[-1])
        for key in keys[:last_kept]:
            if key in new:
                self.diff(children[key], old[key], new[key])
            else:
                self.remove(children[key])
        self.diff(children[kept[-1]], old[kept[-1]], new[kept[-1]])
        inline = "\n" not in self.text[span.start : span.end]
        members = "".join(
            f", {json.dumps(k, ensure_ascii=False)}: {json.dumps(new[k], ensure_ascii=False)}"
            if inline
            else f",\n{indent}{json.dumps(k, ensure_ascii=False)}: {self.dump(new[k], indent)}"
            for k in new
            if k not in old
        )
        anchor = self.spans[children[kept[-1]]]
        removed_tail = keys[last_kept + 1 :]
        if removed_tail:
            # Members after the last kept one go, with their commas; new ones take their place.
            gone = self.spans[children[removed_tail[-1]]]
            end = gone.comma_after + 1 if gone.comma_after >= 0 else gone.end
            self.edits.append((anchor.end, end, members))
        elif members:
            self.insert_after(anchor, members)

    def diff_array(self, pointer: str, old: list[Any], new: list[Any], span: Span) -> None:
        children = [f"{pointer}/{i}" for i in range(len(old))]
        indent = self.child_indent(children[0])
        for i in range(min(len(old), len(new))):
            self.diff(children[i], old[i], new[i])
        if len(new) > len(old):
            multiline = "\n" in self.text[span.start : span.end]
            sep = f",\n{indent}" if multiline else ", "
            items = "".join(f"{sep}{self.dump(v, indent)}" for v in new[len(old) :])
            self.insert_after(self.spans[children[-1]], items)
        elif len(new) < len(old):
            last_kept = self.spans[children[len(new) - 1]]
            end = self.spans[children[-1]]
            stop = end.comma_after + 1 if end.comma_after >= 0 else end.end
            start = last_kept.comma_after if last_kept.comma_after >= 0 else last_kept.end
            self.edits.append((start, stop, ""))

    def insert_after(self, last: Span, members: str) -> None:
        """Insert ``members`` (each starting with a comma) after the member ``last``.

        A comment on the rest of the last member's line stays on that line.
        """
        anchor = last.comma_after + 1 if last.comma_after >= 0 else last.end
        line_end = self.text.find("\n", anchor)
        line_end = len(self.text) if line_end < 0 else line_end
        tail = self.text[anchor:line_end]
        has_comment = re.fullmatch(r"[ \t]*(//[^\n]*)?", tail) is not None and tail.strip() != ""
        at = line_end if has_comment else anchor
        if last.comma_after >= 0:
            self.edits.append((at, at, members[1:]))
        elif has_comment:
            self.edits.append((last.end, last.end, ","))
            self.edits.append((at, at, members[1:]))
        else:
            self.edits.append((at, at, members))

    def remove(self, child: str) -> None:
        """Remove a member that has a comma after it, and the line it stood on if it empties."""
        span = self.spans[child]
        start = span.key_start if span.key_start >= 0 else span.start
        end = self.next_significant(span.comma_after + 1)
        newline = self.text.find("\n", span.comma_after, end)
        end = newline if newline >= 0 else end
        line_start = self.text.rfind("\n", 0, start) + 1
        if line_start > 0 and self.text[line_start:start].strip() == "":
            start = line_start - 1
        self.edits.append((start, end, ""))

    def apply(self) -> str:
        text = self.text
        for start, end, replacement in sorted(self.edits, key=lambda e: (e[0], e[1]), reverse=True):
            text = text[:start] + replacement + text[end:]
        return text


def patch(parsed: Parsed, new_value: Any) -> str:
    """Return ``parsed.text`` rewritten to hold ``new_value``, changing only what differs.

    A document written on one line with no comments was written by a program, not a person:
    it is laid out afresh rather than grown into one enormous line.
    """
    if "\n" not in parsed.text.strip() and not _has_comment(parsed.text):
        return dumps(new_value)
    patcher = _Patcher(parsed)
    patcher.diff("", parsed.value, new_value)
    return patcher.apply()


def _has_comment(text: str) -> bool:
    return any(m.lastgroup == "comment" for m in _TOKEN.finditer(text))


def dumps(value: Any) -> str:
    """Serialise a new config.json the way people write it: two-space indent, final newline."""
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"
