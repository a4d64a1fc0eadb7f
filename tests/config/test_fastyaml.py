"""The fast YAML reader gives exactly what parsing.parse_text gives: data, places, errors."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from continue_setup.config import fastyaml as validate_yaml
from continue_setup.config import parsing, redact
from continue_setup.config.fastyaml import FastYamlDocument, load_yaml
from continue_setup.errors import ConfigParseError

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# Read on the fast path: plain YAML as configs are written.
FAST = [
    "",
    "# only a comment\n",
    "name: x\nversion: '1.0.0'\nmodels: []\n",
    "a: 1\nb: [x, 'y', \"z\"]\nc: {d: e, f: [1, 2]}\n",
    "- a\n- b: 1\n  c: 2\n-   - x\n    - y\n",
    "a: yes\nb: no\nc: ~\nd: 1.5\ne: -3\nf: .5\ng: true\nh: FALSE\ni: null\nj: 1e3\nk: 010\n",
    "a: |\n  line1\n  line2\nb: >\n  folded\n  text\nc: |-\n  kept\n",
    "---\na: 1\n",
    "key: value # comment\nlist:\n  # comment\n  - 1\n",
    "models:\n  - name: x\n    roles: [chat]\n  -\n    name: y\n",
    "'quoted key': 1\n\"double\": 2\n'<<': literal\n",
    "a: 'it''s'\nb: \"\\u00e9\\n\\t\"\nc: a:b, c\n",
    "\ufeffa: 1\n",
    "a: 1\r\nb: 2\r\n",
    "[1, 2]\n",
    "just a string\n",
    'apiKey: ${{ secrets.LANGDOCK_API_KEY }}\nx: "${{ secrets.B }}"\n',
    "a:\n  b:\n    c:\n      - d: [e, {f: g}]\n",
    "empty_map: {}\nempty_list: []\nnothing:\n",
]
# Handed to ruamel: anything the fast reader cannot vouch for.
SLOW = [
    "a: 2024-01-01\n",
    "a: !!str 5\n",
    "a: &x {b: 1}\nc: *x\n",
    "<<: {a: 1}\n",
    "%YAML 1.2\n---\na: 1\n",
    "a: 0x1F\n",
    "a: 1_000\n",
    "a: .inf\n",
    "1: a\n",
    "true: b\n",
    "? [a]\n: 1\n",
]
BROKEN = [
    "a: 1\na: 2\n",
    "a: 1\n---\nb: 2\n",
    "a: b: c\n",
    "a:\n\tb: 1\n",
    "models:\n  - name: a\n   provider: b\n",
    "a: [1, 2\n",
    "a: 'open\n",
]


def pointers(data: Any, pointer: str = "") -> list[str]:
    """Every JSON pointer in ``data``."""
    found = [pointer]
    if isinstance(data, dict):
        for key, value in data.items():
            token = key.replace("~", "~0").replace("/", "~1")
            found += pointers(value, f"{pointer}/{token}")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += pointers(value, f"{pointer}/{index}")
    return found


def same_as_ruamel(text: str) -> parsing.Document:
    """Assert load_yaml equals parse_text on data, types and every position; return it."""
    expected = parsing.parse_text(text, "yaml")
    got = load_yaml(text)
    assert got.data == expected.data
    assert repr(got.data) == repr(expected.data)  # 1 is not 1.0, True is not 1
    for pointer in pointers(expected.data):
        assert got.locate(pointer) == expected.locate(pointer), pointer
    return got


@pytest.mark.parametrize("text", FAST)
def test_fast_path_matches_ruamel(text: str) -> None:
    """Plain configs take the fast path and read exactly as ruamel reads them."""
    assert isinstance(same_as_ruamel(text), FastYamlDocument)


def test_the_fast_path_registers_the_secrets_it_reads() -> None:
    """A key read on the fast path is masked in every output, as after parsing.parse_text;
    a config.json 'env' name is not a secret, and neither is an ordinary value."""
    doc = load_yaml(
        "models:\n  - name: m\n    apiKey: sk-ld-fast-path-123\n"
        "    requestOptions: {clientCertificate: {passphrase: 'pass-fast-456'}}\n"
    )
    assert isinstance(doc, FastYamlDocument)
    masked = redact.redact("sk-ld-fast-path-123 pass-fast-456 m")
    assert masked == f"{redact.MASK} {redact.MASK} m"


@pytest.mark.parametrize("text", SLOW)
def test_unusual_yaml_goes_to_ruamel(text: str) -> None:
    """Tags, anchors, merge keys, directives, odd numbers and odd keys are ruamel's to read."""
    assert not isinstance(same_as_ruamel(text), FastYamlDocument)


@pytest.mark.parametrize("text", BROKEN)
def test_errors_are_ruamels(text: str) -> None:
    """Broken YAML gives the canonical parser's error, with its line and column."""
    with pytest.raises(ConfigParseError) as expected:
        parsing.parse_text(text, "yaml")
    with pytest.raises(ConfigParseError) as got:
        load_yaml(text)
    assert (got.value.message, got.value.line, got.value.column) == (
        expected.value.message,
        expected.value.line,
        expected.value.column,
    )


def test_every_example_reads_the_same() -> None:
    """Every config.yaml in tests/examples reads the same on both paths."""
    files = sorted(EXAMPLES.rglob("*.yaml"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        try:
            parsing.parse_text(text, "yaml")
        except ConfigParseError:
            continue
        same_as_ruamel(text)


def test_without_pyyaml_ruamel_reads_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where PyYAML is not installed, load_yaml is parse_text."""
    validate_yaml._events.cache_clear()
    monkeypatch.setitem(sys.modules, "yaml", None)  # what 'import yaml' then raises on
    try:
        doc = load_yaml(FAST[2])
        assert not isinstance(doc, FastYamlDocument)
        assert doc.data == {"name": "x", "version": "1.0.0", "models": []}
    finally:
        validate_yaml._events.cache_clear()


yaml_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=12)
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.text(
                st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]),
                min_size=1,
                max_size=8,
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=yaml_values, flow=st.booleans())
def test_any_dumped_document_reads_the_same(data: Any, flow: bool) -> None:
    """Whatever ruamel writes, both readers read identically."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = flow
    out = io.StringIO()
    yaml.dump({"root": data}, out)
    text = out.getvalue()
    try:
        parsing.parse_text(text, "yaml")
    except ConfigParseError as expected:  # ruamel cannot always read what it writes
        with pytest.raises(ConfigParseError) as got:
            load_yaml(text)
        assert got.value.message == expected.message
        return
    same_as_ruamel(text)


MUTATIONS = [
    " ",
    "\n",
    ":",
    "-",
    "[",
    "]",
    "{",
    "}",
    "'",
    '"',
    "#",
    "&",
    "*",
    "!",
    "|",
    ">",
    ",",
    "?",
    "%",
    "@",
    "`",
    "\t",
    "0x1",
    "1.5",
    "true",
    "null",
    "<<",
    "- ",
    ": ",
    "\n  ",
    "\n- ",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_examples_read_the_same(data: st.DataObject) -> None:
    """Example configs with random edits read the same, or fail the same, on both paths."""
    files = sorted(EXAMPLES.rglob("*.yaml"))
    text = files[data.draw(st.integers(0, len(files) - 1))].read_text(encoding="utf-8")
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 5))
        text = text[:at] + data.draw(st.sampled_from(MUTATIONS)) + text[at + cut :]
    try:
        parsing.parse_text(text, "yaml")
    except ConfigParseError as expected:
        with pytest.raises(ConfigParseError) as got:
            load_yaml(text)
        assert (got.value.message, got.value.line, got.value.column) == (
            expected.message,
            expected.line,
            expected.column,
        )
        return
    same_as_ruamel(text)


def test_places_are_found_only_when_a_finding_needs_one() -> None:
    """Reading records no places; the root's is known without them, and the first pointer
    asked for reads the text again for all of them, the same as ruamel's."""
    text = "name: x\nversion: 1.0.0\nmodels:\n  - name: a\n    roles: [chat, edit]\n"
    got = load_yaml(text)
    assert isinstance(got, FastYamlDocument)
    assert got.locate("") == (1, 1) and got._positions is None
    expected = parsing.parse_text(text, "yaml")
    assert got.locate("/models/0/roles/1") == expected.locate("/models/0/roles/1") == (5, 19)
    assert got._positions is not None and len(got._positions) == len(pointers(got.data)) - 1
