"""Rules from what the model is: its route, what Continue knows, Claude's options, syntax."""

from __future__ import annotations

import json
from typing import Any

from continue_setup.check.rules import RuleContext, modelfacts, references
from continue_setup.check.rules import models as rules_models
from continue_setup.config import parsing

BASE = "https://api.langdock.com"


def doc(fmt: parsing.Format, *models: dict[str, Any]) -> parsing.Document:
    """A config of ``fmt`` holding ``models`` (JSON text is YAML too)."""
    data: dict[str, Any] = {"models": list(models)}
    if fmt == "yaml":
        data = {"name": "x", "version": "1", **data}
    return parsing.parse_text(json.dumps(data), fmt)


def entry(model: str, provider: str, route: str, region: str = "eu", **extra: Any
          ) -> dict[str, Any]:
    """A Langdock entry for ``model``."""
    return {"title": model, "name": model, "provider": provider, "model": model,
            "apiBase": f"{BASE}/{route}/{region}/v1", "apiKey": "k", **extra}


def hints(rule: Any, document: parsing.Document) -> list[tuple[str, str, str | None]]:
    """Return (code, pointer, hint) of each finding ``rule`` makes."""
    return [(f.code, f.pointer, f.hint) for f in rule(document, RuleContext())]


def test_claude_on_the_openai_route_names_anthropic() -> None:
    """claude-* with provider openai on /openai/: the hint names provider and route."""
    found = hints(modelfacts.model_routes, doc("json", entry("claude-opus-5", "openai", "openai",
                                                               "us")))
    assert found == [("langdock-model-route", "/models/0/model",
                      f"Use provider 'anthropic' and apiBase {BASE}/anthropic/us/v1.")]


def test_gpt_on_the_anthropic_route_names_openai() -> None:
    """A gpt-* id (one the catalogue lacks too) on /anthropic/ points to /openai/."""
    found = hints(modelfacts.model_routes, doc("yaml", entry("gpt-5.5", "anthropic",
                                                               "anthropic")))
    assert found == [("langdock-model-route", "/models/0/model",
                      f"Use provider 'openai' and apiBase {BASE}/openai/eu/v1.")]


def test_right_routes_and_foreign_bases_are_quiet() -> None:
    """Each family on its own route, and non-Langdock bases, give nothing."""
    quiet = doc("json", entry("gpt-5.2", "openai", "openai"),
                entry("claude-sonnet-5", "anthropic", "anthropic"),
                {"title": "x", "provider": "openai", "model": "claude-x",
                 "apiBase": "https://proxy.example/v1"})
    assert hints(modelfacts.model_routes, quiet) == []


def test_route_mismatch_hint_changes_the_provider_for_claude() -> None:
    """claude-* with provider openai on /anthropic/: keep the route, change the provider."""
    findings = hints(rules_models.api_bases, doc("json", entry("claude-sonnet-4-6-default",
                                                               "openai", "anthropic")))
    assert findings == [("langdock-route-mismatch", "/models/0/provider",
                         "Use provider 'anthropic': 'claude-sonnet-4-6-default' is served on "
                         "this route.")]


def test_metadata_warning_only_for_models_continue_does_not_know() -> None:
    """gpt-5.6 bare warns; gpt-5.2 bare (known to llm-info) and gpt-5.6 with metadata do not."""
    bare = doc("yaml", entry("gpt-5.6", "openai", "openai"), entry("gpt-5.2", "openai", "openai"))
    assert [p for _, p, _ in hints(modelfacts.model_metadata, bare)] == ["/models/0/model"]
    full = doc("yaml", entry("gpt-5.6", "openai", "openai",
                             capabilities=["tool_use", "image_input"],
                             defaultCompletionOptions={"contextLength": 400000,
                                                       "maxTokens": 100000}))
    assert hints(modelfacts.model_metadata, full) == []


def test_model_level_context_does_not_satisfy_cn() -> None:
    """In config.yaml a model-level contextLength still leaves cn at 200000: still a warning."""
    model_level = doc("yaml", entry("claude-opus-5", "anthropic", "anthropic",
                                    contextLength=200000))
    [(code, _, hint)] = hints(modelfacts.model_metadata, model_level)
    assert code == "model-metadata-missing"
    assert hint is not None and "defaultCompletionOptions.contextLength: 200000" in hint


def test_autodetect_and_sampling() -> None:
    """AUTODETECT on anthropic is an error; so is temperature with topP on Claude 4.x."""
    assert [c for c, _, _ in hints(modelfacts.anthropic_autodetect, doc(
        "yaml", entry("AUTODETECT", "anthropic", "anthropic"),
        entry("AUTODETECT", "openai", "openai")))] == ["anthropic-autodetect"]
    options = {"temperature": 0.1, "topP": 0.9}
    findings = list(modelfacts.claude_sampling(doc(
        "yaml", entry("claude-sonnet-4-5", "anthropic", "anthropic",
                      defaultCompletionOptions=options),
        entry("claude-sonnet-4-5", "anthropic", "anthropic",
              defaultCompletionOptions={"temperature": 0.1}),
        entry("gpt-4.1", "openai", "openai", defaultCompletionOptions=options)), RuleContext()))
    assert [(f.pointer, f.severity) for f in findings] == [
        ("/models/0/defaultCompletionOptions/topP", "error")]


def test_variable_syntax() -> None:
    """${{ NAME }} anywhere and $NAME as a key are errors; secrets. and inputs. are fine."""
    document = doc("yaml",
                   entry("gpt-5.2", "openai", "openai", apiKey="${{ KEY }}"),
                   entry("gpt-5.2", "openai", "openai", apiKey="${{ secrets.KEY }}"),
                   entry("gpt-5.2", "openai", "openai", apiKey="${KEY}"),
                   entry("gpt-5.2", "openai", "openai", apiKey="${{ inputs.KEY }}"),
                   entry("gpt-5.2", "openai", "openai", apiKey="k$1x"))
    assert [p for _, p, _ in hints(references.variable_syntax, document)] == [
        "/models/0/apiKey", "/models/2/apiKey"]
