"""Our JSON Schemas: valid schemas, right about what Continue loads, readable findings."""

from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from continue_setup.check import schema
from continue_setup.check.schema import load_schema, schema_findings
from continue_setup.config import parsing

SECRET = "sk-ld-SENTINEL-schema-0123456789"


def findings(data: Any, fmt: str) -> list[tuple[str, str, str]]:
    """Return (severity, code, pointer) of the schema findings for ``data``."""
    doc = parsing.parse_text(json.dumps(data), fmt)  # type: ignore[arg-type]
    return [(f.severity, f.code, f.pointer) for f in schema_findings(doc)]


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_schemas_are_valid_draft_2020_12(fmt: str) -> None:
    """Both bundled schemas pass the 2020-12 metaschema (upstream's does not)."""
    Draft202012Validator.check_schema(load_schema(fmt))


def test_validators_are_built_once() -> None:
    """The compiled validator is cached per format."""
    assert schema.validator("json") is schema.validator("json")


JSON_MODEL = {"title": "C", "provider": "mistral", "model": "codestral-2501"}


@pytest.mark.parametrize(
    "data",
    [
        {"models": []},
        {"models": [JSON_MODEL]},  # upstream's schema rejects codestral-2501
        {"models": [{**JSON_MODEL, "provider": "anything-goes"}]},  # rules judge providers
        {"models": [{"title": "O", "provider": "openai", "model": "gpt-5.2"}]},  # no apiKey: fine
        {"models": [], "tabAutocompleteModel": JSON_MODEL},
        {"models": [], "tabAutocompleteModel": [JSON_MODEL, JSON_MODEL]},
        {
            "models": [],
            "env": ["K"],
            "someFutureKey": {"x": 1},
            "requestOptions": {"caBundlePath": ["/a.pem", "/b.pem"], "headers": {"X": "y"}},
        },
        {"models": [{**JSON_MODEL, "useLegacyCompletionsEndpoint": True, "roles": ["chat"]}]},
    ],
)
def test_json_accepts_what_continue_loads(data: Any) -> None:
    """config.json: any model id and provider string; unknown keys kept, as Continue keeps them."""
    assert findings(data, "json") == []


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, [("error", "schema-required", "")]),
        ({"models": {}}, [("error", "schema-type", "/models")]),
        (
            {"models": [{"title": "", "provider": "x", "model": "m"}]},
            [("error", "schema-minlength", "/models/0/title")],
        ),
        (
            {"models": [{"provider": "x"}]},
            [("error", "schema-required", "/models/0"), ("error", "schema-required", "/models/0")],
        ),
        ({"models": [], "disableIndexing": "yes"}, [("error", "schema-type", "/disableIndexing")]),
        (
            {"models": [], "slashCommands": [{"name": "x"}]},
            [("error", "schema-required", "/slashCommands/0")],
        ),
        (
            {"models": [], "embeddingsProvider": []},
            [("error", "schema-type", "/embeddingsProvider")],
        ),
        (
            {"models": [], "tabAutocompleteModel": {"title": "t", "provider": "p"}},
            [("error", "schema-required", "/tabAutocompleteModel")],
        ),
        (
            {"models": [], "requestOptions": {"timeout": 0}},
            [("error", "schema-exclusiveminimum", "/requestOptions/timeout")],
        ),
    ],
)
def test_json_rejects_what_continue_refuses(data: Any, expected: list[Any]) -> None:
    """What validateConfig() makes fatal, and wrong types, are schema errors."""
    assert findings(data, "json") == expected


YAML_MODEL = {"name": "C", "provider": "mistral", "model": "codestral-2501"}


@pytest.mark.parametrize(
    "data",
    [
        {"name": "x", "version": "1"},
        {
            "name": "x",
            "version": "1.0.0",
            "schema": "v1",
            "models": [
                {
                    **YAML_MODEL,
                    "roles": ["autocomplete", "subagent"],
                    "capabilities": ["tool_use", "x"],
                    "defaultCompletionOptions": {"contextLength": 32000, "maxTokens": 4096},
                    "requestOptions": {"verifySsl": True, "caBundlePath": "/ca.pem"},
                    "autocompleteOptions": {"debounceDelay": 250},
                    "useResponsesApi": False,
                    "promptTemplates": {"chat": "codestral"},
                    "env": {"A": 1},
                }
            ],
        },
        {"name": "x", "version": "1", "models": [{"uses": "anthropic/claude", "with": {"K": "v"}}]},
        {
            "name": "x",
            "version": "1",
            "rules": ["be nice", {"name": "r", "rule": "t"}],
            "prompts": [{"name": "p", "prompt": "t"}],
            "docs": [{"name": "d", "startUrl": "u"}],
            "context": [{"provider": "code"}],
            "mcpServers": [{"name": "m", "url": "http://x"}],
            "data": [{"name": "d", "destination": "file:///tmp", "schema": "0.2.0"}],
        },
        {
            "name": "x",
            "version": "1",
            "models": [
                {
                    **YAML_MODEL,
                    "provider": "continue-proxy",
                    "orgScopeId": None,
                    "onPremProxyUrl": None,
                }
            ],
        },
    ],
)
def test_yaml_accepts_what_continue_loads(data: Any) -> None:
    """config.yaml: what Continue's zod schema takes, we take."""
    assert findings(data, "yaml") == []


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"name": "x", "version": 1}, [("error", "schema-type", "/version")]),
        (
            {"name": "x", "version": "1", "models": [{**YAML_MODEL, "roles": ["tab"]}]},
            [("error", "schema-enum", "/models/0/roles/0")],
        ),
        (
            {"name": "x", "version": "1", "models": [{"name": "a", "provider": "p"}]},
            [("error", "schema-required", "/models/0")],
        ),
        (
            {"name": "x", "version": "1", "models": [{**YAML_MODEL, "title": "t"}]},
            [("warning", "unknown-key", "/models/0/title")],
        ),
        ({"name": "x", "version": "1", "colour": "blue"}, [("warning", "unknown-key", "/colour")]),
        (
            {"name": "x", "version": "1", "models": [{**YAML_MODEL, "provider": "continue-proxy"}]},
            [("error", "schema-required", "/models/0"), ("error", "schema-required", "/models/0")],
        ),
        (
            {
                "name": "x",
                "version": "1",
                "data": [{"name": "d", "destination": "u", "schema": "v1"}],
            },
            [("error", "schema-pattern", "/data/0/schema")],
        ),
    ],
)
def test_yaml_rejects_what_continue_refuses(data: Any, expected: list[Any]) -> None:
    """Wrong types and missing keys are errors; unknown keys (dropped by Continue) warnings."""
    assert findings(data, "yaml") == expected


def test_any_of_reports_the_branch_the_author_meant() -> None:
    """A model with a mistake is judged as a model, not as a 'uses' block."""
    data = {"name": "x", "version": "1", "models": [{"name": "a", "provider": "p", "modle": "m"}]}
    doc = parsing.parse_text(json.dumps(data), "yaml")
    messages = sorted(f.message for f in schema_findings(doc))
    assert messages == ["missing required key 'model'", "unknown key 'modle': Continue ignores it"]


def test_findings_never_quote_the_instance() -> None:
    """Schema messages name keys and allowed values, never the entry's values (its key)."""
    data = {
        "name": "x",
        "version": 2,
        "models": [
            {
                "name": "a",
                "provider": "p",
                "apiKey": SECRET,
                "roles": [SECRET],
                "requestOptions": {"verifySsl": SECRET, "headers": {"Authorization": 5}},
            },
            {"apiKey": SECRET, SECRET: 1},
        ],
    }
    doc = parsing.parse_text(json.dumps(data), "yaml")
    found = schema_findings(doc)
    assert len(found) >= 5
    for finding in found:
        text = finding.message + finding.hint
        assert SECRET not in text or finding.code == "unknown-key"  # a key *name* is named
    json_doc = parsing.parse_text(
        json.dumps(
            {
                "models": [
                    {
                        "title": 1,
                        "provider": "p",
                        "model": "m",
                        "apiKey": SECRET,
                        "contextLength": SECRET,
                    }
                ]
            }
        ),
        "json",
    )
    assert all(SECRET not in f.message for f in schema_findings(json_doc))
