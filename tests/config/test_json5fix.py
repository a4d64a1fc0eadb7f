"""JSON5 to JSONC: only unambiguous rewrites, comments kept, the same data either way."""

from __future__ import annotations

import json

import pytest

from continue_setup.config import jsonc
from continue_setup.config.json5fix import to_jsonc


def test_unquoted_keys_and_single_quotes_become_jsonc_with_comments_kept() -> None:
    """Keys get double quotes, 'x' becomes "x" (escapes carried over), comments stay put."""
    text = "{\n  // note\n  a: 'it\\'s \"q\"', /* b */ b: [1, 'x',],\n}\n"
    new = to_jsonc(text)
    assert new == '{\n  // note\n  "a": "it\'s \\"q\\"", /* b */ "b": [1, "x",],\n}\n'
    assert jsonc.parse(new).value == {"a": 'it\'s "q"', "b": [1, "x"]}


@pytest.mark.parametrize("text", [
    '{"a": 0x1F}', "{a: Infinity}", "{a: NaN}", "{a: +1}", "{a: .5}",
    "{a: 'multi\\\nline'}", '{"already": "jsonc"}', "not json at all {",
])
def test_anything_not_mechanical_is_left_alone(text: str) -> None:
    """Hex, Infinity, NaN, signs, bare fractions, line continuations: None, a person decides."""
    assert to_jsonc(text) is None


def test_the_rewrite_is_stable() -> None:
    """A rewritten file needs no second rewrite, and reads as the same data."""
    text = "{models: [{title: 'GPT', apiKey: 'k'}]}"
    new = to_jsonc(text)
    assert new is not None and to_jsonc(new) is None
    assert json.loads(new) == {"models": [{"title": "GPT", "apiKey": "k"}]}
