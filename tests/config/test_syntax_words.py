"""YAML and JSON syntax errors are said in our words, at the place that needs the edit."""

from __future__ import annotations

import pytest

from continue_setup.config.parsing import parse_text
from continue_setup.errors import ConfigParseError

YAML_CASES = [
    # text, (line, column), words in the message, words in the hint
    ("name: x\nmodels:\n\t- name: a\n", (3, 1), "a tab is used for indentation; YAML allows only "
     "spaces", "Replace the tab on line 3 with spaces"),
    ("a:\n  \t b: 1\n", (2, 3), "a tab is used for indentation", "spaces"),
    ("name: x\nmodels:\n  - name: a\n   provider: b\n", (4, 4),
     "indentation does not line up", "same number of spaces"),
    ('name: x\ntitle: "GPT\nversion: 1\n', (2, 8), "a quoted string is never closed",
     "End the string with the quote"),
    ("name: x\nname: y\n", (2, 1), "'name' appears twice", "Keep one of them"),
    ("roles: [chat, edit\n", (1, 8), "'[' opened here is never closed", "Close it with ']'"),
    ("o: {a: 1\n", (1, 4), "'{' opened here is never closed", "'key: value'"),
    ("title: GPT: fast\n", (1, 11), "a ': ' where no new key can start", "Quote a value"),
    ("models:\n  - name: a\n    provider\n    model: b\n", (3, 5), "no 'key: value' colon",
     "Write it as key: value"),
    ("glob: *.py\n", (1, 7), "anchor", "Quote the value"),
    ("key: value\n@at: 1\n", (2, 1), "'@' cannot start a plain YAML value", 'Quote the value'),
    ("a: 1\n---\nb: 2\n", (2, 1), "more than one YAML document", "Keep one document"),
    # a key that is a collection holding a collection: ruamel raised TypeError (exit 70)
    ("x: 1\n? {a: [b]}\n: c\n", (2, 1), "a key is a list or a mapping", "plain name"),
    ("models:\n  - ? [[a]]\n    : b\n", (2, 5), "a key is a list or a mapping", "drop any '?'"),
    ("name: x\n{a: [1]}: b\n", (2, 1), "a key is a list or a mapping", "quote it"),
]


@pytest.mark.parametrize(("text", "place", "message", "hint"), YAML_CASES,
                         ids=[c[2][:30] for c in YAML_CASES])
def test_yaml_errors_in_our_words(text: str, place: tuple[int, int], message: str,
                                  hint: str) -> None:
    """Each common YAML mistake gets our message, its line and column, and what to write."""
    with pytest.raises(ConfigParseError) as caught:
        parse_text(text, "yaml")
    error = caught.value
    assert (error.line, error.column) == place
    assert message in error.message and hint in error.hint
    for parser_words in ("while scanning", "while parsing", "cannot start any token",
                         "<block", "expected <"):
        assert parser_words not in error.message


JSON_CASES = [
    ('{\n  "models": [\n    {"title": "a"\n     "provider": "b"}\n  ]\n}', (4, 6),
     "Put a ',' before this"),
    ('{"models": [{"title": "a",, }]}', (1, 27), "Remove the extra ','"),
    ('{"a" 1}', (1, 6), "Put ':' between the key and its value"),
    ('{"models": [}', (1, 13), "closed by its own"),
    ('{"models": []} 5', (1, 16), "a config is one object"),
]


@pytest.mark.parametrize(("text", "place", "hint"), JSON_CASES)
def test_json_errors_say_what_to_write(text: str, place: tuple[int, int], hint: str) -> None:
    """A broken config.json names the place and the edit, not only what the parser wanted."""
    with pytest.raises(ConfigParseError) as caught:
        parse_text(text, "json")
    assert (caught.value.line, caught.value.column) == place
    assert hint in caught.value.hint


def test_a_duplicate_key_never_shows_its_values() -> None:
    """The duplicate-key message names the key, never either value (one may be a key)."""
    with pytest.raises(ConfigParseError) as caught:
        parse_text('apiKey: "sk-ld-one-0123456789"\napiKey: "sk-ld-two-0123456789"\n', "yaml")
    assert "sk-ld" not in caught.value.message + caught.value.hint
    with pytest.raises(ConfigParseError) as as_key:
        parse_text("sk-ld-pasted-0123456789: 1\nsk-ld-pasted-0123456789: 2\n", "yaml")
    assert "sk-ld" not in as_key.value.message and "a key appears twice" in as_key.value.message
