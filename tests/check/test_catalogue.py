"""The model catalogue: it validates against its schema and every fact names a known source."""

from __future__ import annotations

import json
from typing import Any

import jsonschema

from continue_setup.check.catalogue import load_catalogue
from tests.conftest import ROOT

DATA = ROOT / "templates" / "catalogue" / "models.json"
SCHEMA = ROOT / "schemas" / "catalogue.schema.json"
FACTS = ("listed", "route", "provider", "roles", "contextLength", "maxTokens", "tool_use",
         "image_input", "autocompleteOptions")


def data() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return loaded


def test_catalogue_matches_its_schema() -> None:
    """The bundled catalogue passes schemas/catalogue.schema.json."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data())) == []


def test_schema_rejects_a_fact_without_source() -> None:
    """A fact that lost its source fails the schema (the test above can fail)."""
    broken = data()
    del broken["models"][0]["contextLength"]["source"]
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(broken))


def test_every_fact_names_a_listed_source() -> None:
    """Each fact, and each record of what Continue detects, cites a key of 'sources'."""
    catalogue = data()
    sources = catalogue["sources"]
    cited = {catalogue["cnContextLength"]["source"]}
    for model in catalogue["models"]:
        for name in FACTS:
            if name in model:
                assert model[name]["source"] in sources, (model["id"], name)
                cited.add(model[name]["source"])
        assert model["continue"]["source"] in sources, model["id"]
        cited.add(model["continue"]["source"])
    assert cited == set(sources), "every listed source is used"


def test_guessed_values_say_why() -> None:
    """A value the sources do not give (source 'same-family') carries a note with the reason."""
    for model in data()["models"]:
        for name in FACTS:
            fact = model.get(name)
            if fact and fact["source"] == "same-family":
                assert len(fact.get("note", "")) > 20, (model["id"], name)


def test_catalogue_holds_the_issue_ids() -> None:
    """The ids issue #15 names are in the catalogue, each on its family's route."""
    catalogue = load_catalogue()
    wanted = {
        "gpt-5.2": "openai", "gpt-5.4": "openai", "gpt-5.6": "openai", "gpt-4.1": "openai",
        "claude-sonnet-4-6-default": "anthropic", "claude-sonnet-4-5": "anthropic",
        "claude-opus-4-6": "anthropic", "claude-sonnet-5": "anthropic",
        "claude-opus-5": "anthropic", "codestral-2501": "mistral",
        "codestral-latest": "mistral", "text-embedding-ada-002": "openai",
    }
    assert {i: m.route for i, m in catalogue.models.items() if i in wanted} == wanted
    for model in catalogue.models.values():
        assert model.provider == model.route, "Langdock's routes each speak one provider's API"


def test_chat_models_leave_room_for_input_and_thinking() -> None:
    """Every chat model keeps contextLength - maxTokens >= 1000; Claude's cap beats 2048."""
    for model in load_catalogue().models.values():
        if model.chat:
            assert model.context_length and model.max_tokens
            assert model.context_length - model.max_tokens >= 1000, model.id
        if model.family == "claude":
            assert model.max_tokens and model.max_tokens > 2048, model.id


def test_preference_order_puts_the_newest_default_line_first() -> None:
    """init proposes the first listed: gpt-5.6 for GPT, claude-sonnet-5 for Claude."""
    catalogue = load_catalogue()
    assert [m.id for m in catalogue.family("gpt")][:2] == ["gpt-5.6", "gpt-5.4"]
    assert [m.id for m in catalogue.family("claude")][:2] == [
        "claude-sonnet-5", "claude-sonnet-4-6-default"]
