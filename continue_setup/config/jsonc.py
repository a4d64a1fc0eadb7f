"""JSONC as Continue reads config.json: JSON plus comments and trailing commas, not JSON5.

``parse`` returns the value and where every value sits (by JSON pointer), so findings can
name a line and column, and ``jsonc_edit.patch`` can rewrite only what changed.
"""

from __future__ import annotations

import json
import re

# threading.local itself, without loading the threading module (validate's start-up).
from _thread import _local as _thread_local
from collections.abc import Callable, Iterator

from continue_setup.config.bounds import MAX_DEPTH, MAX_NUMBER_DIGITS, MAX_VALUES
from continue_setup.records import NamedTuple

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any

# Patterns of the full parser, which only text that is not plain JSON needs: kept as text,
# so the re module compiles (and caches) each on first use, not at every start-up. Strings
# and comments are written "unrolled" (a plain character class repeated, an alternation only
# at an escape or a '*'): ``(?:a|b)*`` keeps a backtracking frame per character, which took
# 1.5 GB for a 7.5 MB string.
LEXER_PATTERN = r"""(?xs)
     (?P<ws>[ \t\r\n]+)
    |(?P<comment>//[^\n]*|/\*[^*]*\*+(?:[^/*][^*]*\*+)*/)
    |(?P<string>"[^"\\\x00-\x1f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\x00-\x1f]*)*")
    |(?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?(?![0-9A-Za-z_.$]))
    |(?P<punct>[{}\[\]:,])
    |(?P<literal>(?:true|false|null)(?![0-9A-Za-z_$]))
    |(?P<bad>.)
    """
# The tokens of text the C parser took, so plain JSON: strings, punctuation, and numbers and
# literals as one kind of word. Compiling it costs a quarter of LEXER_PATTERN (~0.9 M
# instructions against 3.4 M), which a failing config.json pays to place its findings.
PLAIN_PATTERN = r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\]:,]|[^ \t\r\n{}\[\]:,"]+'
SKIP_PATTERN = r"(?:[ \t\r\n]+|//[^\n]*|/\*[^*]*\*+(?:[^/*][^*]*\*+)*/)*"
_WORD = r"[A-Za-z_$][0-9A-Za-z_$]*"
_LITERALS = {"true": True, "false": False, "null": None}


class Span(NamedTuple):
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
    word = re.compile(_WORD).match(text, offset)
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


def _hint_for(expected: str, found: str) -> str:
    """Say what to write where the parser expected ``expected`` and met the token ``found``."""
    if found == ",":
        return "Remove the extra ','."
    if expected == "the end of the file":
        return ("Remove what follows the closing '}' of the top-level object: a config is "
                "one object.")
    if expected.startswith("',' or"):
        closer = expected[8:9]
        return (f"Put a ',' before this to continue, or '{closer}' to close what is open "
                "(a comma is often missing at the end of the line above).")
    if expected.startswith("':'"):
        return "Put ':' between the key and its value."
    if found in ("}", "]"):
        return (f"Write the missing value, or check that each '{{' and '[' is closed by its "
                f"own '}}' and ']' (this '{found}' closes something that is not open here).")
    return "Write a value here: a string in double quotes, a number, true, false, null, " \
        "an object {...} or a list [...]."


def _tokens(text: str) -> Iterator[tuple[str, int, int]]:
    """Yield (kind, start, end) of each token, up to and including a bad character."""
    for m in re.finditer(LEXER_PATTERN, text):
        kind = m.lastgroup or "bad"
        if kind in ("ws", "comment"):
            continue
        yield kind, m.start(), m.end()
        if kind == "bad":
            return


def _plain_tokens(text: str) -> Iterator[tuple[str, int, int]]:
    """Yield (kind, start, end) of each token of plain JSON (text json.loads accepted)."""
    for m in re.finditer(PLAIN_PATTERN, text):
        start, end = m.span()
        first = text[start]
        kind = ("string" if first == '"' else "punct" if first in "{}[]:," else
                "literal" if first in "tfn" else "number")
        yield kind, start, end


class _Parser:
    def __init__(self, text: str, plain: bool = False) -> None:
        self.text = text
        self.spans: dict[str, Span] = {}
        self.duplicates: list[str] = []
        # Tokens are made as the parser asks for them: a list of all of them took ~700 MB
        # for a 13 MB file of small objects.
        self._eof = ("eof", len(text), len(text))
        self._tokens = _plain_tokens(text) if plain else _tokens(text)
        self._current = next(self._tokens, self._eof)
        self._values = 0

    def _peek(self) -> tuple[str, int, int]:
        return self._current

    def _next(self) -> None:
        self._current = next(self._tokens, self._eof)

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
        return JsoncError(f"expected {expected}, found {found}", start,
                          _hint_for(expected, self.text[start:end]))

    def value(self, pointer: str, depth: int) -> tuple[Any, int, int]:
        if depth >= MAX_DEPTH:  # the root is depth 0: MAX_DEPTH levels, no more
            raise JsoncError(
                f"nested more than {MAX_DEPTH} levels deep", self._peek()[1],
                "Flatten the structure; no Continue config nests this deep.",
            )
        self._values += 1
        if self._values > MAX_VALUES:
            raise JsoncError(
                f"more than {MAX_VALUES:,} values", self._peek()[1],
                "No Continue config holds this many; check that this is the right file.",
            )
        kind, start, end = self._peek()
        if kind == "string":
            self._next()
            raw = self.text[start + 1 : end - 1]
            return (json.loads(self.text[start:end]) if "\\" in raw else raw), start, end
        if kind == "number":
            self._next()
            token = self.text[start:end]
            if len(token) > MAX_NUMBER_DIGITS:
                raise JsoncError(
                    f"a number with more than {MAX_NUMBER_DIGITS:,} digits",
                    start,
                    "Shorten the number, or write it as a string.",
                )
            is_float = "." in token or "e" in token or "E" in token
            try:
                return (float(token) if is_float else int(token)), start, end
            except ValueError:  # past sys.get_int_max_str_digits(), which may be set low
                raise JsoncError("a number too long to read", start,
                                 "Shorten the number, or write it as a string.") from None
        if kind == "literal":
            self._next()
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
        self._next()
        result: dict[str, Any] = {}
        while True:
            if self._punct() == "}":
                end = self._peek()[2]
                self._next()
                return result, start, end
            kind, key_start, key_end = self._peek()
            if kind != "string":
                raise self._fail("a quoted key or '}'", expect_key=True)
            self._next()
            key = json.loads(self.text[key_start:key_end])
            if self._punct() != ":":
                raise self._fail(f"':' after the key {key!r}")
            self._next()
            child = f"{pointer}/{escape_pointer_token(key)}"
            if key in result:
                self.duplicates.append(child)
            value, v_start, v_end = self.value(child, depth + 1)
            result[key] = value
            comma = -1
            if self._punct() == ",":
                comma = self._peek()[1]
                self._next()
            elif self._punct() != "}":
                raise self._fail(f"',' or '}}' after the value of {key!r}")
            self.spans[child] = Span(v_start, v_end, key_start, comma)

    def arr(self, pointer: str, depth: int) -> tuple[list[Any], int, int]:
        start = self._peek()[1]
        self._next()
        result: list[Any] = []
        while True:
            if self._punct() == "]":
                end = self._peek()[2]
                self._next()
                return result, start, end
            child = f"{pointer}/{len(result)}"
            value, v_start, v_end = self.value(child, depth + 1)
            result.append(value)
            comma = -1
            if self._punct() == ",":
                comma = self._peek()[1]
                self._next()
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
            full = _parse_with_spans(self.text, plain=True)
        except JsoncError:
            # The C parser took nesting deeper than the span parser goes: the value stands,
            # and only the root has a known place.
            self._spans, self._duplicates = {"": Span(0, len(self.text))}, []
            return
        self._spans, self._duplicates = full._spans, full._duplicates

    @property
    def has_spans(self) -> bool:
        """Whether spans are worked out already (always, for text that is not plain JSON)."""
        return self._spans is not None

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


def _bounded(convert: Callable[[str], Any]) -> Callable[[str], Any]:
    """Wrap a number parser to refuse overlong numbers (the span parser then says where)."""

    def parse_number(token: str) -> Any:
        if len(token) > MAX_NUMBER_DIGITS:
            raise ValueError(token[:20])
        return convert(token)

    return parse_number


class _CDecoder(_thread_local):
    """The C JSON decoder, built once per thread (json.loads with options builds one a call).

    It notes whether any object had a key twice, which the C parser would silently merge.
    """

    def __init__(self) -> None:
        self.duplicate = False
        self.decoder = json.JSONDecoder(
            object_pairs_hook=self._pairs,
            parse_constant=_refuse_constant,
            parse_int=_bounded(int),
            parse_float=_bounded(float),
        )

    def _pairs(self, items: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(items)
        if len(result) != len(items):
            self.duplicate = True
        return result


_C_DECODER = _CDecoder()


def parse(text: str) -> Parsed:
    """Parse ``text`` as Continue does, or raise ``JsoncError`` with the offending offset.

    Plain JSON takes the C parser; spans are then worked out only if someone asks for them.
    Anything else (comments, trailing commas, errors) goes through the full JSONC parser.
    """
    body = text[1:] if text.startswith("\ufeff") else text
    decoder = _C_DECODER
    decoder.duplicate = False
    try:
        value = decoder.decoder.decode(body)
    except (ValueError, RecursionError):
        return _parse_with_spans(text)
    if past_limits(value):
        return _parse_with_spans(text)  # which stops at the value past the limit, with its place
    return Parsed(text, value, None, None if decoder.duplicate else [])


def past_limits(value: Any) -> bool:
    """Tell whether ``value`` nests lists and dicts MAX_DEPTH deep or holds over MAX_VALUES."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    count = 1
    while stack:  # a loop, not recursion: the depth is what is being checked
        node, depth = stack.pop()
        if depth >= MAX_DEPTH:
            return True
        count += len(node) if isinstance(node, (dict, list)) else 0
        if count > MAX_VALUES:
            return True
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node if isinstance(v, (dict, list)))
    return False


def _parse_with_spans(text: str, plain: bool = False) -> Parsed:
    """Parse ``text`` noting where each value is; ``plain``: json.loads took the text."""
    body = text[1:] if text.startswith("\ufeff") else text
    offset = len(text) - len(body)
    parser = _Parser(body, plain)
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
