"""parsing: read configs as Continue does, and find any pointer's line and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from continue_setup.config import parsing, redact
from continue_setup.errors import ConfigParseError, ExitCode, InputError


@pytest.mark.parametrize(
    ("name", "text", "fmt"),
    [
        ("config.yaml", "{}", "yaml"),
        ("CONFIG.YML", "", "yaml"),
        ("config.json", "a: 1", "json"),
        ("x.jsonc", "", "json"),
        ("config", "{}", "json"),
        ("config", "\ufeff  [1]", "json"),
        ("config", "// comment\n{}", "json"),
        ("config", "name: x", "yaml"),
        ("config", "", "yaml"),
    ],
)
def test_guess_format(name: str, text: str, fmt: str) -> None:
    """The extension decides; without one, the first significant character does."""
    assert parsing.guess_format(Path(name), text) == fmt


JSON = '{\n  "models": [\n    {"title": "A", "apiKey": "k"},\n    [1, 2]\n  ],\n  "e": {}\n}\n'


@pytest.mark.parametrize(
    ("pointer", "place"),
    [
        ("", (1, 1)),
        ("/models", (2, 3)),
        ("/models/0", (3, 5)),
        ("/models/0/apiKey", (3, 20)),
        ("/models/1/1", (4, 9)),
        ("/e", (6, 3)),
        ("/missing", (None, None)),
        ("/models/9", (None, None)),
    ],
)
def test_locate_json(pointer: str, place: tuple[int | None, int | None]) -> None:
    """A member is placed at its key, an array item at its value; the root at its brace."""
    assert parsing.parse_text(JSON, "json").locate(pointer) == place


YAML = "name: x\nmodels:\n  - name: A\n    roles: [chat, edit]\n  -   name: B\nempty:\n"


@pytest.mark.parametrize(
    ("pointer", "place"),
    [
        ("", (1, 1)),
        ("/name", (1, 1)),
        ("/models", (2, 1)),
        ("/models/0", (3, 5)),
        ("/models/0/roles", (4, 5)),
        ("/models/0/roles/1", (4, 19)),
        ("/models/1/name", (5, 7)),
        ("/empty", (6, 1)),
        ("/nope", (None, None)),
    ],
)
def test_locate_yaml(pointer: str, place: tuple[int | None, int | None]) -> None:
    """YAML keys and items are placed where they are written."""
    assert parsing.parse_text(YAML, "yaml").locate(pointer) == place


def test_line_column_counts_crlf_and_bom() -> None:
    """Offsets become 1-based lines and columns whatever the line endings."""
    doc = parsing.parse_text('\ufeff{\r\n  "a": 1\r\n}', "json")
    assert doc.locate("/a") == (2, 3)


def test_json5_files_get_a_json5_hint() -> None:
    """A file valid as JSON5 but not JSONC says so, even when the error is generic."""
    with pytest.raises(ConfigParseError) as caught:
        parsing.parse_text('{"a": "one\\\ntwo"}', "json")
    assert (caught.value.line, caught.value.column) == (1, 7)
    assert "valid JSON5" in caught.value.hint
    assert caught.value.exit_code == ExitCode.INVALID


def test_yaml_errors_have_a_place_and_never_the_values() -> None:
    """YAML errors carry line and column; a duplicated key's values are not quoted."""
    with pytest.raises(ConfigParseError) as caught:
        parsing.parse_text("a: 1\nmodels:\n  - x\n   y: 2\n", "yaml")
    assert caught.value.line == 4
    with pytest.raises(ConfigParseError) as duplicate:
        parsing.parse_text("apiKey: sk-ld-first-secret\napiKey: sk-ld-second-secret\n", "yaml")
    assert "sk-ld" not in duplicate.value.message
    assert duplicate.value.line == 2


def test_yaml_values_read_as_continue_reads_them() -> None:
    """YAML 1.2: yes stays a string, dates stay text, keys become strings."""
    doc = parsing.parse_text("a: yes\nb: 2024-01-02\ntrue: 1\n3: x\nc: 1.0\n", "yaml")
    assert doc.data == {"a": "yes", "b": "2024-01-02", "true": 1, "3": "x", "c": 1.0}


def test_parsing_registers_the_keys_it_reads() -> None:
    """Any key a parsed config holds is masked in every output from then on."""
    parsing.parse_text('{"models": [{"apiKey": "sk-ld-registered-123"}]}', "json")
    assert redact.redact("x sk-ld-registered-123 y") == f"x {redact.MASK} y"
    parsing.parse_text('{"env": ["MY_KEY"], "models": [{"apiKey": "MY_KEY"}]}', "json")
    assert redact.redact("MY_KEY") == "MY_KEY"  # an env name is a reference, not a secret


def _as_texts(doc: parsing.Document) -> list[tuple[str, str, bool]]:
    return sorted((key, text, "/headers/" in pointer) for pointer, key, text in doc.strings())


def test_texts_are_the_strings_without_their_pointers() -> None:
    """Every string, its key, and whether a headers object holds it (however deep)."""
    doc = parsing.parse_text(
        '{"headers": "top", "a/b~": "odd key", "requestOptions": {"headers": '
        '{"X-Key": "k1", "List": ["k2", {"deep": "k3"}]}}, "roles": ["chat"], "n": 1}',
        "json",
    )
    assert sorted(doc.texts()) == _as_texts(doc) == [
        ("", "chat", False),
        ("", "k2", True),
        ("X-Key", "k1", True),
        ("a/b~", "odd key", False),
        ("deep", "k3", True),
        ("headers", "top", False),
    ]


JSON_TREES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(["headers", "apiKey", "a/b", "x~y", ""]), inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(data=JSON_TREES)
def test_texts_agree_with_strings_on_any_tree(data: object) -> None:
    """The pointer-free walk finds exactly what the full walk finds."""
    doc = parsing.Document(path=None, format="json", text="", data=data)
    assert sorted(doc.texts()) == _as_texts(doc)


def test_read_text_errors(tmp_path: Path) -> None:
    """Missing files and directories are input errors (exit 2); non-UTF-8 is a parse error."""
    with pytest.raises(InputError) as missing:
        parsing.read_text(tmp_path / "nope.json")
    assert missing.value.exit_code == ExitCode.USAGE and "no such file" in missing.value.message
    with pytest.raises(InputError) as directory:
        parsing.read_text(tmp_path)
    assert "is a directory" in directory.value.message
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{\n  "x": "caf\xe9"\n}')
    with pytest.raises(ConfigParseError) as encoding:
        parsing.read_text(latin)
    assert (encoding.value.line, encoding.value.column) == (2, 12)


def test_load_guesses_the_format(tmp_path: Path) -> None:
    """load() reads a file and parses it by its extension."""
    path = tmp_path / "config.yaml"
    path.write_text("name: x\nversion: '1'\n")
    doc = parsing.load(path)
    assert doc.format == "yaml" and doc.data == {"name": "x", "version": "1"}
    assert doc.name == str(path)


def test_render_keeps_comments() -> None:
    """Rendering new data onto a parsed document keeps the user's comments, in both formats."""
    doc = parsing.parse_text("# mine\nname: x\nversion: '1'\n", "yaml")
    assert "# mine" in doc.render({"name": "y", "version": "1"})
    doc = parsing.parse_text('{\n  // mine\n  "a": 1\n}\n', "json")
    assert "// mine" in doc.render({"a": 2})
