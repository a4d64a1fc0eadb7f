"""The line reader reads the plainest YAML exactly as ruamel does, and refuses the rest."""

from __future__ import annotations

import io
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from continue_setup.config import lineyaml, parsing
from continue_setup.config.fastyaml import FastYamlDocument, load_yaml
from continue_setup.config.yamlscalars import Unsure
from continue_setup.errors import ConfigParseError
from tests.config.test_fastyaml import EXAMPLES, MUTATIONS, pointers, yaml_values

# Read line by line.
PLAIN = [
    "name: x\nversion: 1.0.0\nschema: v1\nmodels: []\n",
    "a: 1\nb: 0\nc: 1.5\nd: true\ne: ~\nf: null\ng:\nh: 'q r'\ni: \"s: t\"\n",
    "models:\n  - name: GPT  # ours\n    roles: [chat, edit]\n    n: 12\n  - name: B\n",
    "models:\n- name: a\n  roles:\n  - chat\n- name: b\nnext: 1\n",
    "- a\n- b: 1\n  c:\n    d: e\n- f\n",
    "# top\n\na:\n    # inside\n    b:   value with  spaces   \n\n    c: x#y\n",
    "a: https://example.com/v1?x=1&y=[2]\nb: '${{ secrets.KEY }}'\nc: ${{ secrets.KEY }}\n",
    "a: {}\nb: [ ]\nc: [1, 2.5, true, x_y]\n",
    "  a: 1\n  b:\n  - 2\n",
    "a: 0o17x\nb: yes\nc: No\nd: on\ne: 'x' # c\n",
]
# Refused: the slower readers decide (and agree with ruamel, as test_fastyaml checks).
REFUSED = [
    "", "# only a comment\n", "plain scalar\n", "a: b: c\n", "a: 1\na: 2\n", "a: &x 1\n",
    "a: *x\n", "a: !!str 1\n", "a: |\n  b\n", "a: >\n  b\n", "a: [b, [c]]\n", "a: {b: c}\n",
    "a: 'it''s'\n", 'a: "\\n"\n', "a: 'q # r'\n", "a: -3\n", "---\na: 1\n",
    "%YAML 1.2\n---\na: 1\n",
    "a: 2024-01-01\n", "a: 0x1F\n", "a: 1_000\n", "a: .inf\n", "true: 1\n", "null: 1\n",
    "'a': 1\n", "a :1\n", "a:\n  b\n", "a: b\n  c\n", "- a\n  b\n", "a:\n- b\nc\n",
    "-\n  a: 1\n", "- - a\n", "a:\n  - b\n  c: 1\n", "a: 1\n b: 2\n", "a:\tb\n", "a: é\n",
    "a: 1\r\n", "\ufeffa: 1\n", "a: b:\n", "a: -b\n", "a: [b,]\n", "a: ? b\n", "a: @b\n",
    "a:\n    b: 1\n  c: 2\n", "- a\nb: 1\n", "a: 1\n- b\n", "k" * 1100 + ": 1\n",
]


def same_as_ruamel(text: str) -> None:
    """Assert the line reader gives ruamel's data, types and every position."""
    expected = parsing.parse_text(text, "yaml")
    data, positions = lineyaml.read(text)
    assert repr(data) == repr(expected.data)  # 1 is not 1.0, True is not 1
    got = FastYamlDocument(path=None, format="yaml", text=text, data=data, _positions=positions)
    unplaced, none = lineyaml.read(text, placed=False)  # how init reads: places when asked
    assert repr(unplaced) == repr(data) and none == {}
    lazy = FastYamlDocument(path=None, format="yaml", text=text, data=unplaced)
    for pointer in pointers(expected.data):
        assert got.locate(pointer) == expected.locate(pointer), pointer
        assert lazy.locate(pointer) == expected.locate(pointer), pointer


@pytest.mark.parametrize("text", PLAIN)
def test_plain_yaml_reads_as_ruamel_reads_it(text: str) -> None:
    """Block mappings and sequences of one-line values read exactly as ruamel reads them."""
    same_as_ruamel(text)


@pytest.mark.parametrize("text", REFUSED)
def test_anything_else_is_refused(text: str) -> None:
    """Flow mappings, block scalars, anchors, tags, odd numbers, escapes, multi-line
    scalars, duplicate keys, odd indentation, tabs and non-ASCII text are not read here."""
    with pytest.raises(Unsure):
        lineyaml.read(text)


def test_repeated_lines_give_values_of_their_own() -> None:
    """A line read once and reused (every entry's "roles: [chat, edit]") still gives each
    entry a list and mapping of its own, while its plain values are resolved once; a repeated
    line is judged again where it stands (a second "name:" in one entry is a duplicate)."""
    entry = "  - name: a\n    roles: [chat, edit]\n    options: {}\n    contextLength: 200000\n"
    data, _ = lineyaml.read("models:\n" + entry * 3)
    first, second, _ = data["models"]
    assert first == second == {"name": "a", "roles": ["chat", "edit"], "options": {},
                               "contextLength": 200000}
    assert first["roles"] is not second["roles"] and first["options"] is not second["options"]
    first["roles"].append("apply")
    assert second["roles"] == ["chat", "edit"]
    with pytest.raises(Unsure):
        lineyaml.read("models:\n  - name: a\n    name: a\n")
    same_as_ruamel("models:\n" + entry * 3)


def test_what_init_writes_is_read_by_lines() -> None:
    """A config.yaml as init writes it (and as users extend it) takes the line reader."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.rglob("*.yaml"))]
    read = 0
    for text in texts:
        try:
            lineyaml.read(text)
        except Unsure:
            continue
        same_as_ruamel(text)
        read += 1
    assert read >= len(texts) // 2


def test_load_yaml_uses_the_line_reader_only_when_asked() -> None:
    """init asks for it; validate keeps libyaml, and both give the same document."""
    text = PLAIN[2]
    fast = load_yaml(text, by_lines=True)
    assert isinstance(fast, FastYamlDocument)
    assert repr(fast.data) == repr(load_yaml(text).data)
    assert fast.locate("/models/0/roles/1") == load_yaml(text).locate("/models/0/roles/1")


def test_places_come_from_the_line_reader_without_pyyaml(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A config read by lines is placed by reading it again by lines when a finding asks,
    also where PyYAML (libyaml's events) is not installed."""
    from continue_setup.config import fastyaml

    text = PLAIN[2]
    fastyaml._events.cache_clear()
    monkeypatch.setitem(sys.modules, "yaml", None)
    try:
        doc = load_yaml(text, by_lines=True)
        assert isinstance(doc, FastYamlDocument) and doc._positions is None
        assert doc.locate("/models/0/roles/1") == parsing.parse_text(text, "yaml").locate(
            "/models/0/roles/1") != (None, None)
    finally:
        fastyaml._events.cache_clear()


def check_either(text: str) -> None:
    """The line reader refuses ``text`` or reads it as ruamel does; ruamel never refuses
    a text it reads."""
    try:
        lineyaml.read(text)
    except Unsure:
        return
    try:
        parsing.parse_text(text, "yaml")
    except ConfigParseError as e:  # pragma: no cover - the failure this test looks for
        pytest.fail(f"read {text!r}, which ruamel refuses: {e.message}")
    same_as_ruamel(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=yaml_values)
def test_any_dumped_document_reads_the_same(data: Any) -> None:
    """Whatever ruamel writes in block style, the line reader refuses or reads identically."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    out = io.StringIO()
    yaml.dump({"root": data}, out)
    check_either(out.getvalue())


ascii_text = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=10)
ascii_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | ascii_text
    | st.floats(allow_nan=False, allow_infinity=False, width=32),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.from_regex(r"[A-Za-z_][A-Za-z0-9_.-]{0,6}", fullmatch=True)
                      | ascii_text.filter(bool), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=ascii_values, indent=st.sampled_from([(2, 0), (2, 2), (4, 2), (4, 4)]))
def test_any_ascii_document_reads_the_same(data: Any, indent: tuple[int, int]) -> None:
    """ASCII documents as ruamel's round-trip dumper writes them (as init does), whatever
    the indentation, are refused or read identically."""
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.indent(mapping=indent[0], sequence=indent[0] + indent[1], offset=indent[1])
    out = io.StringIO()
    yaml.dump({"root": data, "models": [{"name": "x", "roles": ["chat"]}]}, out)
    check_either(out.getvalue())


LINE_MUTATIONS = [*MUTATIONS, "  ", "\n#", " # c", "'", '"', "[a, b]", "{}", "~", "a: ",
                  "\n-", "-1", ".5", "x:", "\n  - ", "\n    "]


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_plain_configs_read_the_same(data: st.DataObject) -> None:
    """Plain configs with random edits are refused or read exactly as ruamel reads them."""
    text = data.draw(st.sampled_from(PLAIN))
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 4))
        text = text[:at] + data.draw(st.sampled_from(LINE_MUTATIONS)) + text[at + cut:]
    check_either(text)
