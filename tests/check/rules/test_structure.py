"""Rules on a config's shape: models, headers, titles, duplicates, deprecated keys, shadowing."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from continue_setup.check.rules import CODES, RULES, RuleContext, issue, run_rules
from continue_setup.check.rules import structure as rules_structure
from continue_setup.config import parsing


def doc(text: str, fmt: parsing.Format = "json", path: Path | None = None) -> parsing.Document:
    """Parse ``text`` as Continue would."""
    return parsing.parse_text(text, fmt, path)


def codes(
    rule: Any, document: parsing.Document, ctx: RuleContext | None = None
) -> list[tuple[str, str]]:
    """Run one rule; return (code, pointer) of each finding."""
    return [(f.code, f.pointer) for f in rule(document, ctx or RuleContext())]


# --- the codes table ------------------------------------------------------------------------


def test_codes_are_kebab_case_with_a_severity_meaning_and_hint() -> None:
    """Every code is stable kebab-case and says how bad it is, what it means, what to do."""
    for code, entry in CODES.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*(-\*)?", code), code
        assert entry.severity in ("error", "warning")
        assert entry.meaning.endswith(".") and entry.hint


def test_issue_uses_the_registered_severity_and_hint() -> None:
    """issue() takes severity and default hint from the table, and refuses unknown codes."""
    finding = issue("placeholder-key", "/models/0/apiKey", "the apiKey is a placeholder")
    assert finding.severity == "error" and finding.hint == CODES["placeholder-key"].hint
    assert issue("duplicate-title", "", "x", hint="h", severity="error").severity == "error"
    with pytest.raises(KeyError):
        issue("no-such-code", "", "x")


def test_run_rules_runs_every_rule_and_leaves_positions_to_the_caller() -> None:
    """run_rules collects every rule's findings, unplaced (no line or column yet)."""
    findings = run_rules(doc('{"disableIndexing": true}'), RuleContext())
    assert [f.code for f in findings] == ["models-missing", "deprecated-key"]
    assert all(f.line is None and f.column is None for f in findings)
    assert len(RULES) == len(set(RULES))


# --- models and header ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        ('{"models": []}', "json", []),
        ("{}", "json", [("models-missing", "/models")]),
        ('{"models": {}}', "json", [("models-not-array", "/models")]),
        ('{"models": null}', "json", [("models-not-array", "/models")]),
        ("[]", "json", []),  # not an object: the schema says so
        ("name: x\nversion: '1'\n", "yaml", []),  # models is optional in config.yaml
        ("models:\n  a: {}\n", "yaml", [("models-mapping", "/models")]),
        ("models: text\n", "yaml", [("models-not-array", "/models")]),
        ("models:\n", "yaml", [("models-not-array", "/models")]),
    ],
)
def test_models_shape(text: str, fmt: parsing.Format, expected: list[tuple[str, str]]) -> None:
    """config.json needs a models list; config.yaml models, if present, must be a list."""
    assert codes(rules_structure.models_shape, doc(text, fmt)) == expected


def test_yaml_header() -> None:
    """config.yaml needs name and version; config.json needs neither."""
    assert codes(rules_structure.yaml_header, doc("models: []\n", "yaml")) == [
        ("yaml-name-missing", "/name"),
        ("yaml-version-missing", "/version"),
    ]
    assert codes(rules_structure.yaml_header, doc("name: x\nversion: '1'\n", "yaml")) == []
    assert codes(rules_structure.yaml_header, doc('{"models": []}')) == []


# --- titles ---------------------------------------------------------------------------------


def test_titles_json() -> None:
    """A config.json entry needs a non-empty string title; autocomplete entries too."""
    text = (
        '{"models": [{"provider": "openai"}, {"title": "  ", "provider": "openai"},'
        ' {"title": 3}], "tabAutocompleteModel": [{"title": "A"}, {"model": "m"}]}'
    )
    assert codes(rules_structure.titles, doc(text)) == [
        ("title-missing", "/models/0/title"),
        ("title-missing", "/models/1/title"),
        ("title-missing", "/models/2/title"),
        ("title-missing", "/tabAutocompleteModel/1/title"),
    ]


def test_titles_yaml() -> None:
    """A config.yaml model needs a name; hub blocks (uses) do not."""
    text = "models:\n  - provider: openai\n  - name:\n  - uses: a/b\n  - name: ''\n"
    assert codes(rules_structure.titles, doc(text, "yaml")) == [
        ("title-missing", "/models/0/name"),
        ("title-missing", "/models/1/name"),
    ]


def test_duplicate_titles_are_counted_per_list() -> None:
    """The same title twice in models is a warning; in models and tabAutocompleteModel it is not."""
    text = (
        '{"models": [{"title": "A"}, {"title": "A"}, {"title": "B"}],'
        ' "tabAutocompleteModel": {"title": "A"}}'
    )
    findings = rules_structure.titles(doc(text), RuleContext())
    assert [(f.code, f.pointer, f.severity) for f in findings] == [
        ("duplicate-title", "/models/1/title", "warning")
    ]
    assert "/models/0" in next(iter(rules_structure.titles(doc(text), RuleContext()))).message


def test_duplicate_keys() -> None:
    """A key written twice in one JSON object is reported once, where it was written last."""
    text = '{"models": [], "a": {"b": 1, "b": 2, "b": 3}, "c/d": 1, "c/d": 2}'
    assert codes(rules_structure.duplicate_keys, doc(text)) == [
        ("duplicate-key", "/a/b"),
        ("duplicate-key", "/c~1d"),
    ]
    messages = [f.message for f in rules_structure.duplicate_keys(doc(text), RuleContext())]
    assert messages == [
        "the key 'b' appears more than once here",
        "the key 'c/d' appears more than once here",
    ]


def test_deprecated_keys_only_in_json() -> None:
    """Settings Continue moves to shared settings are flagged in config.json only."""
    text = (
        '{"disableSessionTitles": true, "experimental": {"promptPath": "p", "modelRoles": {}},'
        ' "ui": {"codeWrap": true, "getChatTitles": false},'
        ' "tabAutocompleteOptions": {"disable": 1}}'
    )
    assert codes(rules_structure.deprecated_keys, doc(text)) == [
        ("deprecated-key", "/disableSessionTitles"),
        ("deprecated-key", "/experimental/promptPath"),
        ("deprecated-key", "/ui/codeWrap"),
        ("deprecated-key", "/ui/getChatTitles"),
    ]
    assert codes(rules_structure.deprecated_keys, doc("disableIndexing: true\n", "yaml")) == []


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ('"contextLength": 2000, "completionOptions": {"maxTokens": 1001}', True),
        ('"contextLength": 2000, "completionOptions": {"maxTokens": 1000}', False),
        ('"contextLength": 2000', False),
        ('"contextLength": true, "completionOptions": {"maxTokens": 1}', False),
        ('"contextLength": 1500.5, "completionOptions": {"maxTokens": 600}', True),
    ],
)
def test_context_length_json(entry: str, expected: bool) -> None:
    """contextLength - maxTokens under 1000 warns, as Continue's validateConfig does."""
    found = codes(rules_structure.context_length, doc('{"models": [{' + entry + "}]}"))
    assert found == ([("context-length-small", "/models/0/contextLength")] if expected else [])


def test_context_length_yaml_reads_default_completion_options() -> None:
    """In config.yaml both numbers come from defaultCompletionOptions."""
    text = (
        "models:\n  - name: a\n    contextLength: 100\n    defaultCompletionOptions:\n"
        "      contextLength: 4096\n      maxTokens: 4000\n"
    )
    assert codes(rules_structure.context_length, doc(text, "yaml")) == [
        ("context-length-small", "/models/0/defaultCompletionOptions/contextLength")
    ]


# --- shadowing ------------------------------------------------------------------------------

DEFAULT = "name: Main Config\nversion: 1.0.0\nschema: v1\nmodels: []\n"
REAL = "name: x\nversion: '1'\nmodels:\n  - name: a\n    provider: openai\n    model: m\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"name": "Main Config", "version": "1.0.0", "schema": "v1", "models": []}, True),
        ({"name": "Local Assistant", "version": "1.0.0"}, True),
        ({"name": "x", "version": "1", "models": [{"name": "a"}]}, False),
        ({"name": "x", "version": "1", "models": [], "rules": ["be nice"]}, False),
        ([], False),
    ],
)
def test_is_default_yaml(data: Any, expected: bool) -> None:
    """Continue's untouched default has no models and nothing beyond its four keys."""
    assert rules_structure.is_default_yaml(data) is expected


def _shadow(
    tmp_path: Path, name: str, text: str, sibling: str, sibling_text: str
) -> list[tuple[str, str]]:
    (tmp_path / sibling).write_text(sibling_text)
    path = tmp_path / name
    path.write_text(text)
    fmt = parsing.guess_format(path)
    return codes(rules_structure.shadowing, doc(text, fmt, path), RuleContext(path=path))


def test_json_beside_yaml_is_shadowed(tmp_path: Path) -> None:
    """config.json beside config.yaml is ignored by Continue; the default YAML gets a hint."""
    assert _shadow(tmp_path, "config.json", '{"models": []}', "config.yaml", REAL) == [
        ("shadowed-config", "")
    ]
    findings = rules_structure.shadowing(
        doc('{"models": []}', "json", tmp_path / "config.json"),
        RuleContext(path=tmp_path / "config.json"),
    )
    assert "untouched default" not in next(iter(findings)).message
    (tmp_path / "config.yaml").write_text(DEFAULT)
    finding = next(
        iter(
            rules_structure.shadowing(
                doc("{}", "json", tmp_path / "config.json"),
                RuleContext(path=tmp_path / "config.json"),
            )
        )
    )
    assert "untouched default" in finding.message and "Delete config.yaml" in finding.hint


def test_yaml_beside_json(tmp_path: Path) -> None:
    """config.yaml beside config.json: default-config if it is Continue's default, else shadowed."""
    assert _shadow(tmp_path, "config.yaml", DEFAULT, "config.json", "{}") == [
        ("default-config", "")
    ]
    assert _shadow(tmp_path, "config.yaml", REAL, "config.json", "{}") == [("shadowed-config", "")]


def test_no_shadowing_for_other_names_or_alone(tmp_path: Path) -> None:
    """Only Continue's two file names shadow each other, and only when both exist."""
    assert _shadow(tmp_path, "team.json", "{}", "config.yaml", REAL) == []
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "config.yaml").write_text(DEFAULT)
    ctx = RuleContext(path=alone / "config.yaml")
    assert codes(rules_structure.shadowing, doc(DEFAULT, "yaml"), ctx) == []
    assert codes(rules_structure.shadowing, doc("{}"), RuleContext()) == []


def test_unreadable_sibling_yaml_is_not_default(tmp_path: Path) -> None:
    """A config.yaml that cannot be parsed is not taken for Continue's default."""
    assert _shadow(tmp_path, "config.json", "{}", "config.yaml", "a: [\n") == [
        ("shadowed-config", "")
    ]
