"""Rules on model entries: providers, apiBase, Langdock's routes and regions, autocomplete."""

from __future__ import annotations

import json
from typing import Any

import pytest

from continue_setup.check.rules import RuleContext
from continue_setup.check.rules import models as rules_models
from continue_setup.config import parsing


def json_doc(*models: dict[str, Any], tab: Any = None) -> parsing.Document:
    """A config.json with ``models`` (and a tabAutocompleteModel)."""
    data: dict[str, Any] = {"models": list(models)}
    if tab is not None:
        data["tabAutocompleteModel"] = tab
    return parsing.parse_text(json.dumps(data), "json")


def yaml_doc(*models: dict[str, Any]) -> parsing.Document:
    """A config.yaml with ``models`` (JSON is YAML)."""
    return parsing.parse_text(
        json.dumps({"name": "x", "version": "1", "models": list(models)}), "yaml"
    )


def found(rule: Any, document: parsing.Document) -> list[tuple[str, str, str]]:
    """Run one rule; return (code, pointer, severity) of each finding."""
    return [(f.code, f.pointer, f.severity) for f in rule(document, RuleContext())]


def entry(**fields: Any) -> dict[str, Any]:
    """A model entry with a title, updated with ``fields``."""
    return {"title": "t", "provider": "openai", "model": "gpt-5.2", **fields}


# --- providers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "provider",
    [
        "openai",
        "anthropic",
        "mistral",
        "xAI",
        "askSage",
        "docker",
        "zAI",
        "ollama",
        "continue-proxy",
    ],
)
def test_runtime_providers_pass(provider: str) -> None:
    """Providers Continue implements (including ones its schema enum lacks) raise nothing."""
    assert found(rules_models.providers, json_doc(entry(provider=provider))) == []


@pytest.mark.parametrize(
    ("provider", "hint"),
    [
        ("OpenAI", "Did you mean 'openai'? Provider names are case-sensitive."),
        ("codestral", "Codestral is provider 'mistral'"),
        ("antropic", "Did you mean 'anthropic'?"),
        ("free-trial", "Use a provider Continue implements."),
    ],
)
def test_unknown_provider(provider: str, hint: str) -> None:
    """An unknown provider is an error, with a suggestion when one is close."""
    findings = list(rules_models.providers(json_doc(entry(provider=provider)), RuleContext()))
    assert [(f.code, f.pointer, f.severity) for f in findings] == [
        ("unknown-provider", "/models/0/provider", "error")
    ]
    assert hint in findings[0].hint


@pytest.mark.parametrize("provider", sorted(rules_models.SCHEMA_ONLY_PROVIDERS))
def test_schema_only_providers_are_dropped(provider: str) -> None:
    """Providers in Continue's schema but without a class are reported as dropped."""
    assert found(rules_models.providers, yaml_doc({"name": "a", "provider": provider})) == [
        ("provider-dropped", "/models/0/provider", "error")
    ]


# --- apiBase --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "base",
    [
        "https://llm.example.com/v1/chat/completions",
        "https://llm.example.com/v1/completions/",
        "https://llm.example.com/v1/fim/completions?x=1",
        "https://llm.example.com/v1/messages",
        "https://llm.example.com/v1/responses",
    ],
)
def test_endpoint_suffix(base: str) -> None:
    """An apiBase ending in an endpoint (slash or query aside) is an error."""
    assert found(rules_models.api_bases, json_doc(entry(apiBase=base))) == [
        ("apibase-endpoint-suffix", "/models/0/apiBase", "error")
    ]


@pytest.mark.parametrize(
    "base",
    [
        "http://localhost:11434",
        "https://llm.example.com/v1",
        "https://api.langdock.com/openai/eu/v1/",
        "https://api.langdock.com/openai/us/v1",
        "https://api.langdock.com/openai/global/v1",
        "https://api.langdock.com/openai/ch/v1",
        "https://acme.langdock.com/api/public/openai/eu/v1",
        "not a url",
    ],
)
def test_good_bases_pass(base: str) -> None:
    """Bases Continue can append endpoints to raise nothing (non-Langdock ones need no /v1)."""
    assert found(rules_models.api_bases, json_doc(entry(apiBase=base))) == []


@pytest.mark.parametrize(
    ("provider", "base", "expected"),
    [
        ("anthropic", "https://api.langdock.com/anthropic/ch/v1", ["langdock-region"]),
        ("anthropic", "https://api.langdock.com/anthropic/us/v1", []),
        (
            "mistral",
            "https://api.langdock.com/mistral/us/v1",
            ["langdock-region", "langdock-fim-only"],
        ),
        ("openai", "https://api.langdock.com/openai/v1", ["langdock-region"]),
        ("openai", "https://api.langdock.com/openai", ["langdock-region", "langdock-missing-v1"]),
        ("openai", "https://api.langdock.com/openai/eu", ["langdock-missing-v1"]),
        ("openai", "https://api.langdock.com/openai/eu/v2", ["langdock-missing-v1"]),
        (
            "openai",
            "https://api.langdock.com/openai/eu/v1/chat/completions",
            ["apibase-endpoint-suffix"],
        ),
        ("gemini", "https://api.langdock.com/google/eu/v1beta", []),
        ("gemini", "https://api.langdock.com/google/eu/v1", ["langdock-missing-v1"]),
        (
            "openai",
            "https://acme.langdock.com/api/public/mistral/eu/v1",
            ["langdock-route-mismatch", "langdock-fim-only"],
        ),
        ("anthropic", "https://api.langdock.com/openai/eu/v1", ["langdock-route-mismatch"]),
    ],
)
def test_langdock_bases(provider: str, base: str, expected: list[str]) -> None:
    """Langdock apiBases need a served region, /v1, and the route that matches the provider."""
    codes = [
        c
        for c, _, _ in found(
            rules_models.api_bases, json_doc(entry(provider=provider, apiBase=base))
        )
    ]
    assert codes == expected


def test_langdock_hints_name_the_fixed_base() -> None:
    """The hint spells out the apiBase to use, keeping a deployment's own host."""
    document = json_doc(
        entry(provider="mistral", apiBase="https://acme.langdock.com/api/public/mistral/us")
    )
    hints = {f.code: f.hint for f in rules_models.api_bases(document, RuleContext())}
    assert hints["langdock-region"] == "Use https://acme.langdock.com/api/public/mistral/eu/v1."
    assert hints["langdock-missing-v1"] == (
        "Use https://acme.langdock.com/api/public/mistral/us/v1."
    )


def test_fim_only_depends_on_roles() -> None:
    """On Langdock's Mistral route, autocomplete-only entries are fine; chat ones warn."""
    base = "https://api.langdock.com/mistral/eu/v1"
    auto = {
        "name": "a",
        "provider": "mistral",
        "model": "codestral-2501",
        "apiBase": base,
        "roles": ["autocomplete"],
    }
    chat = {**auto, "roles": ["autocomplete", "chat"]}
    default = {k: v for k, v in auto.items() if k != "roles"}
    assert found(rules_models.api_bases, yaml_doc(auto)) == []
    assert found(rules_models.api_bases, yaml_doc(chat, default)) == [
        ("langdock-fim-only", "/models/0/apiBase", "warning"),
        ("langdock-fim-only", "/models/1/apiBase", "warning"),
    ]
    assert (
        found(rules_models.api_bases, json_doc(tab=entry(provider="mistral", apiBase=base))) == []
    )


# --- autocomplete ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("provider", "model", "base", "expected"),
    [
        ("mistral", "codestral-2501", None, []),
        ("deepseek", "deepseek-coder", None, []),
        ("ollama", "qwen2.5-coder:1.5b", None, []),
        ("msty", "anything", None, []),
        ("vertexai", "codestral-2501", None, []),
        ("vertexai", "code-gecko", None, []),
        ("vertexai", "gemini-2.5-flash", None, [("autocomplete-no-fim", "warning")]),
        ("openai", "gpt-4o", "https://llm.example.com/v1", [("autocomplete-no-fim", "warning")]),
        (
            "openai",
            "codestral-2501",
            "https://api.langdock.com/openai/eu/v1",
            [("autocomplete-no-fim", "error")],
        ),
        ("nope", "x", None, []),  # reported as an unknown provider instead
    ],
)
def test_autocomplete_needs_fim(
    provider: str, model: str, base: str | None, expected: list[tuple[str, str]]
) -> None:
    """Autocomplete through a provider without FIM warns, and fails outright on Langdock."""
    fields: dict[str, Any] = {"provider": provider, "model": model}
    if base:
        fields["apiBase"] = base
    findings = found(rules_models.autocomplete, json_doc(tab=entry(**fields)))
    assert [(c, s) for c, _, s in findings] == expected
    assert all(p == "/tabAutocompleteModel/provider" for _, p, _ in findings)


@pytest.mark.parametrize(
    ("model", "flagged"),
    [
        ("mistral-small-latest", True),
        ("Mistral-7B-Instruct", True),
        ("llama-3-instruct", True),
        ("codestral-2501", False),
        ("mistral-codestral", False),
        ("deepseek-coder-instruct", False),
        ("qwen2.5-coder-7b-instruct", False),
        ("starcoder2", False),
    ],
)
def test_autocomplete_model_name(model: str, flagged: bool) -> None:
    """Continue's own check: instruct/mistral names are not for autocomplete, coders are."""
    document = yaml_doc(
        {"name": "a", "provider": "mistral", "model": model, "roles": ["autocomplete"]}
    )
    findings = found(rules_models.autocomplete, document)
    assert findings == (
        [("autocomplete-not-fim-model", "/models/0/model", "warning")] if flagged else []
    )


def test_chat_models_are_not_checked_for_fim() -> None:
    """Only autocomplete entries are checked for FIM."""
    assert found(rules_models.autocomplete, json_doc(entry(model="mistral-7b-instruct"))) == []
