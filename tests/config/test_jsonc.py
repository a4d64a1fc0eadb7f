"""jsonc: config.json read as Continue reads it (JSONC, never JSON5), and patched in place."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from continue_setup.config import jsonc, jsonc_edit
from continue_setup.config.jsonc import JsoncError, parse
from continue_setup.config.jsonc_edit import patch, same

PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)
json_objects = st.dictionaries(st.text(max_size=6), json_values, max_size=5)


def equal(a: Any, b: Any) -> bool:
    """Strict equality (types count) where object key order does not."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(equal(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def error(text: str) -> JsoncError:
    """Return the error parsing ``text`` raises."""
    with pytest.raises(JsoncError) as caught:
        parse(text)
    return caught.value


# --- what Continue accepts ------------------------------------------------------------------


def test_comments_and_trailing_commas() -> None:
    """Line and block comments and trailing commas are JSONC, which Continue reads."""
    text = """// top
    {
      /* block
         comment */ "a": 1, // after
      "b": [1, 2, /* inner */ 3,],
      "c": {"d": "// not a comment", "e": "/* nor this */",},
    }
    // end"""
    assert parse(text).value == {
        "a": 1,
        "b": [1, 2, 3],
        "c": {"d": "// not a comment", "e": "/* nor this */"},
    }


def test_bom_is_skipped_and_offsets_still_count_it() -> None:
    """A byte-order mark is ignored, and spans stay offsets into the text as given."""
    text = '\ufeff{"a": [1, 2]}'
    parsed = parse(text)
    assert parsed.value == {"a": [1, 2]}
    span = parsed.spans["/a/1"]
    assert text[span.start : span.end] == "2"
    assert text[parsed.spans[""].start] == "{"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1", 1),
        ("-0", 0),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        ("-2E-2", -0.02),
        ('"\\u00e9"', "é"),
        ('"a\\"b\\\\c\\/d\\n"', 'a"b\\c/d\n'),
        ("true", True),
        ("null", None),
        ("[]", []),
        ("{}", {}),
    ],
)
def test_scalars(text: str, value: Any) -> None:
    """Numbers keep their kind (1 is an int, 1.0 a float); escapes decode as in JSON."""
    for body in (text, f"// c\n{text}"):  # the C parser's path and the JSONC parser's
        got = parse(body).value
        assert same(got, value), (body, got)


def test_spans_point_at_values_and_keys() -> None:
    """Each pointer's span covers its value; object members also know their key's offset."""
    text = '{\n  "a": {"b~c/d": [10, "x"]},\n  "e": null\n}'
    parsed = parse(text)
    inner = parsed.spans["/a/b~0c~1d/1"]
    assert text[inner.start : inner.end] == '"x"'
    member = parsed.spans["/a"]
    assert text[member.key_start : member.key_start + 3] == '"a"'
    assert text[member.comma_after] == ","
    assert parsed.spans["/e"].comma_after == -1


def test_duplicates_are_found_on_both_paths() -> None:
    """A key written twice keeps its last value and is listed as a duplicate."""
    for text in (
        '{"a": 1, "a": 2, "b": {"c": 1, "c": 1}}',
        '{"a": 1, "a": 2, "b": {"c": 1, "c": 1},}',
    ):
        parsed = parse(text)
        assert parsed.value == {"a": 2, "b": {"c": 1}}
        assert parsed.duplicates == ["/a", "/b/c"]
    assert parse('{"a": 1}').duplicates == []


# --- what Continue refuses, and where -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "offset", "words"),
    [
        ("{'a': 1}", 1, "single-quoted string: JSON5"),
        ("{\"a\": 'b'}", 6, "single-quoted string: JSON5"),
        ("{a: 1}", 1, "unquoted key 'a': JSON5"),
        ('{"a": 1, $b: 2}', 9, "unquoted key '$b': JSON5"),
        ('{"a": 0x1F}', 6, "hexadecimal number: JSON5"),
        ('{"a": -0x1F}', 6, "hexadecimal number: JSON5"),
        ('{"a": +1}', 6, "leading '+': JSON5"),
        ('{"a": .5}', 6, "leading '.': JSON5"),
        ('{"a": 5.}', 6, "malformed number"),
        ('{"a": 01}', 6, "malformed number"),
        ('{"a": NaN}', 6, "'NaN' is JSON5"),
        ('{"a": Infinity}', 6, "'Infinity' is JSON5"),
        ('{"a": -Infinity}', 6, "malformed number"),
        ('{"a": undefined}', 6, "'undefined' is JSON5"),
        ('{"a": "line\\\nbreak"}', 6, "unterminated string or invalid escape"),
        ('{"a": "tab\there"}', 6, "unterminated string or invalid escape"),
        ('{"a": 1} /* open', 9, "unterminated block comment"),
        ('{"a": 1} extra', 9, "unexpected word 'extra'"),
        ('{"a" 1}', 5, "expected ':' after the key 'a'"),
        ('{"a": 1 "b": 2}', 8, "expected ',' or '}' after the value of 'a', found a string"),
        ("[1,,2]", 3, "expected a value, found ','"),
        ("[1 2]", 3, "expected ',' or ']' after an array item"),
        ("", 0, "the file ends where a value was expected"),
        ('{"a": [1, 2', 11, "the file ends where"),
        ("\ufeff{a: 1}", 2, "unquoted key 'a'"),
    ],
)
def test_refusals_name_the_construct_and_its_offset(text: str, offset: int, words: str) -> None:
    """JSON5-only syntax and broken JSON are refused at the offending character, by name."""
    caught = error(text)
    assert caught.offset == offset, caught.message
    assert words in caught.message
    assert caught.hint


def test_refusals_never_echo_strings_or_long_words() -> None:
    """A parse error quotes no string and no long bare word: either may be a key."""
    secret = "sk-ld-SENTINEL-0123456789abcdef"
    for text in (
        '{"apiKey" "' + secret + '"}',
        '{"apiKey": "x" "' + secret + '"}',
        '{"apiKey": ' + secret.replace("-", "_") + "}",
    ):
        caught = error(text)
        assert secret not in caught.message + caught.hint
        assert secret.replace("-", "_") not in caught.message + caught.hint


def test_nesting_limit() -> None:
    """Nesting past MAX_DEPTH is a parse error at the first value too deep, whichever parser
    reads it (C or span); nesting up to the limit parses."""
    limit = jsonc.MAX_DEPTH
    for depth in (limit + 1, 600, 5000):
        for text in ("[" * depth + "]" * depth, "// c\n" + "[" * depth + "]" * depth):
            caught = error(text)
            assert f"more than {limit} levels" in caught.message
            assert caught.offset == text.index("[") + limit
    assert parse("[" * limit + "]" * limit).value is not None


def test_overlong_numbers_are_errors_with_their_place() -> None:
    """A number past MAX_NUMBER_DIGITS (or past Python's own limit) is a parse error at it."""
    for digits in (1001, 5000, 100_000):
        text = '{"a": ' + "1" * digits + "}"
        caught = error(text)
        assert "digits" in caught.message and caught.offset == 6
    assert parse('{"a": ' + "1" * 1000 + "}").value["a"] > 0


@PROPERTY
@given(value=json_values, indent=st.sampled_from([None, 0, 2, "\t"]))
def test_any_json_reads_back(value: Any, indent: Any) -> None:
    """Whatever json.dumps writes, parse reads back exactly, with or without a comment."""
    text = json.dumps(value, indent=indent)
    assert same(parse(text).value, value)
    assert same(parse("// c\n" + text).value, value)


@PROPERTY
@given(value=json_values, indent=st.sampled_from([None, 0, 2, "\t"]), ascii=st.booleans(),
       separators=st.sampled_from([None, (",", ":"), (" ,", " : ")]))
def test_lazy_spans_equal_eager_spans(value: Any, indent: Any, ascii: bool,
                                      separators: Any) -> None:
    """Spans worked out on demand (plain JSON's own tokens) equal those of a full JSONC
    parse, however the JSON is laid out and its strings escaped."""
    text = json.dumps(value, indent=indent, ensure_ascii=ascii, separators=separators)
    lazy, eager = parse(text), parse(text + "\n// eager")
    assert not lazy.has_spans
    assert lazy.spans == eager.spans
    assert lazy.duplicates == eager.duplicates == []


# --- same -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (1, 1, True),
        (1, 1.0, False),
        (True, 1, False),
        (False, 0, False),
        (None, None, True),
        ({"a": 1, "b": 2}, {"b": 2, "a": 1}, False),
        ({"a": [1, {"b": True}]}, {"a": [1, {"b": True}]}, True),
        ([1, 2], [1, 2, 3], False),
        ("1", 1, False),
    ],
)
def test_same_is_strict(a: Any, b: Any, expected: bool) -> None:
    """same() tells True from 1, 1 from 1.0, and key order apart."""
    assert same(a, b) is expected


# --- patch ----------------------------------------------------------------------------------

COMMENTED = """{
  // the chat models
  "models": [
    {"title": "A", "apiKey": "k1"}, // first
    {"title": "B", "apiKey": "k2"}
  ],
  /* autocomplete */
  "tabAutocompleteModel": {
    "title": "C",
    "apiBase": "https://x/v1"
  },
  "ui": {"fontSize": 12}
}
"""


def patched(text: str, change: Any) -> str:
    """Apply ``change(value)`` to the parsed text; return the patched text, checked."""
    parsed = parse(text)
    new = json.loads(json.dumps(parsed.value))
    change(new)
    out = patch(parsed, new)
    assert equal(parse(out).value, new), out
    return out


def test_patch_changes_nothing_when_nothing_changes() -> None:
    """A patch to the same value returns the text byte for byte."""
    assert patch(parse(COMMENTED), parse(COMMENTED).value) == COMMENTED


@pytest.mark.parametrize(
    ("name", "change", "present"),
    [
        ("replace top-level", lambda d: d.__setitem__("ui", {"fontSize": 14}), '"fontSize": 14'),
        ("replace deep", lambda d: d["models"][1].__setitem__("apiKey", "new"), '"apiKey": "new"'),
        ("add top-level", lambda d: d.__setitem__("env", ["K"]), '"env": ['),
        (
            "add nested",
            lambda d: d["tabAutocompleteModel"].__setitem__("model", "m"),
            '"model": "m"',
        ),
        (
            "add to inline object",
            lambda d: d["models"][0].__setitem__("model", "m"),
            '"apiKey": "k1", "model": "m"}',
        ),
        ("append to array", lambda d: d["models"].append({"title": "D"}), '"title": "D"'),
        ("truncate array", lambda d: d["models"].pop(), '"title": "A"'),
        ("remove first member", lambda d: d.pop("models"), '"tabAutocompleteModel"'),
        ("remove middle member", lambda d: d.pop("tabAutocompleteModel"), '"ui"'),
        ("remove last member", lambda d: d.pop("ui"), '"tabAutocompleteModel"'),
        (
            "remove nested member",
            lambda d: d["tabAutocompleteModel"].pop("apiBase"),
            '"title": "C"',
        ),
        ("change type", lambda d: d.__setitem__("ui", [1, 2]), '"ui": ['),
    ],
)
def test_patch_keeps_comments(name: str, change: Any, present: str) -> None:
    """Edits at every depth keep every comment that is not inside what was removed."""
    out = patched(COMMENTED, change)
    assert present in out, name
    for comment in ("// the chat models", "/* autocomplete */"):
        if name not in ("remove first member", "remove middle member"):
            assert comment in out, (name, out)
    if name != "truncate array":
        assert "// first" in out or name == "remove first member"


def test_patch_keeps_a_line_comment_on_its_line() -> None:
    """A member added after one that ends in a comment goes after the comment's line."""
    text = '{\n  "a": 1 // keep me here\n}\n'
    out = patched(text, lambda d: d.__setitem__("b", 2))
    assert '"a": 1, // keep me here\n' in out and '"b": 2' in out


def test_patch_with_trailing_commas() -> None:
    """A document with trailing commas stays JSONC and reads back as the new value."""
    text = '{\n  "a": [1, 2,],\n  "b": {"c": 1,},\n}\n'
    patched(text, lambda d: d["a"].append(3))
    patched(text, lambda d: d["b"].__setitem__("d", 2))
    patched(text, lambda d: d.pop("b"))
    patched(text, lambda d: d["a"].pop())


def test_one_line_documents_are_laid_out_afresh() -> None:
    """A one-line document without comments is written by a program: it is re-dumped."""
    out = patch(parse('{"models": []}'), {"models": [{"title": "A"}]})
    assert out == jsonc_edit.dumps({"models": [{"title": "A"}]})


def test_patch_keeps_indentation() -> None:
    """New members take the indentation of their siblings, tabs included."""
    text = '{\n\t"a": {\n\t\t"b": 1\n\t},\n\t"z": 0\n}\n'
    out = patched(text, lambda d: d["a"].__setitem__("c", {"d": 2}))
    assert '\n\t\t"c": {\n\t\t\t"d": 2\n\t\t}' in out


@PROPERTY
@given(old=json_objects, new=json_objects)
def test_patch_reaches_any_value(old: dict[str, Any], new: dict[str, Any]) -> None:
    """From any commented document, patch writes text that reads back as any new value.

    Keys it keeps keep their place; new keys come after them (order carries no meaning).
    """
    text = "// header\n" + json.dumps(old, indent=2) + "\n"
    out = patch(parse(text), new)
    assert equal(parse(out).value, new)
    assert "// header" in out


@PROPERTY
@given(old=json_objects, key=st.text(max_size=6), value=json_values)
def test_patch_touches_only_what_changed(old: dict[str, Any], key: str, value: Any) -> None:
    """Setting one key leaves every line of an untouched sibling as it was."""
    text = json.dumps({"keep": {"x": [1, 2]}, "data": old}, indent=2) + "\n"
    new = {"keep": {"x": [1, 2]}, "data": {**old, key: value}}
    out = patch(parse(text), new)
    assert '"keep": {\n    "x": [\n      1,\n      2\n    ]\n  }' in out
    assert equal(parse(out).value, new)


def jsonc_dump(value: Any, data: st.DataObject, indent: str = "") -> str:
    """Write ``value`` as a person might: comments here and there, trailing commas or not."""
    inner = indent + "  "

    def tail(last: bool) -> str:
        comma = "," if not last or data.draw(st.booleans()) else ""
        comment = data.draw(st.sampled_from(["", "", " // note", " /* note */"]))
        return comma + comment + "\n"

    if isinstance(value, dict) and value:
        items = list(value.items())
        body = "".join(
            f"{inner}{json.dumps(k)}: {jsonc_dump(v, data, inner)}{tail(i == len(items) - 1)}"
            for i, (k, v) in enumerate(items)
        )
        return "{\n" + body + indent + "}"
    if isinstance(value, list) and value:
        body = "".join(
            f"{inner}{jsonc_dump(v, data, inner)}{tail(i == len(value) - 1)}"
            for i, v in enumerate(value)
        )
        return "[\n" + body + indent + "]"
    return json.dumps(value)


@PROPERTY
@given(old=json_objects, new=json_objects, data=st.data())
def test_hand_written_jsonc_reads_and_patches(
    old: dict[str, Any], new: dict[str, Any], data: st.DataObject
) -> None:
    """Comments and trailing commas anywhere: the value reads back, and any patch lands."""
    text = "/* header */\n" + jsonc_dump(old, data) + "\n"
    assert same(parse(text).value, old)
    out = patch(parse(text), new)
    assert equal(parse(out).value, new)
    assert "/* header */" in out
