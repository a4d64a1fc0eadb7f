"""The mechanical fixes of ``doctor --fix``, on data."""

from __future__ import annotations

from typing import Any

import pytest

from continue_setup.repair.fixes import fix_data, strip_endpoint

BASE = "https://api.langdock.com"


@pytest.mark.parametrize(("given", "wanted"), [
    (f"{BASE}/openai/eu/v1/chat/completions", f"{BASE}/openai/eu/v1"),
    (f"{BASE}/openai/eu/v1/chat/completions/", f"{BASE}/openai/eu/v1"),
    (f"{BASE}/mistral/eu/v1/fim/completions", f"{BASE}/mistral/eu/v1"),
    (f"{BASE}/anthropic/eu/v1/messages", f"{BASE}/anthropic/eu/v1"),
    ("http://localhost:8000/v1/completions", "http://localhost:8000/v1"),
    (f"{BASE}/openai/eu/v1", f"{BASE}/openai/eu/v1"),
])
def test_strip_endpoint_cuts_after_the_base(given: str, wanted: str) -> None:
    """Endpoint paths Continue appends itself are removed from the end of apiBase."""
    assert strip_endpoint(given) == wanted


def entry(**fields: Any) -> dict[str, Any]:
    return {"title": "GPT", "provider": "openai", "model": "gpt-5.2", "apiKey": "sk-ld-k-1234",
            "apiBase": f"{BASE}/openai/eu/v1", **fields}


def test_region_missing_is_filled_with_eu() -> None:
    """A Langdock apiBase without region (…/openai/v1) gets eu."""
    fixed = fix_data({"models": [entry(apiBase=f"{BASE}/openai/v1")]}, "json")
    assert fixed.data["models"][0]["apiBase"] == f"{BASE}/openai/eu/v1"


def test_route_follows_the_provider_for_a_model_of_no_known_family() -> None:
    """provider anthropic on /openai/ moves to /anthropic/ in the same region."""
    fixed = fix_data({"models": [entry(provider="anthropic", model="house-model",
                                       apiBase=f"{BASE}/openai/us/v1")]}, "json")
    assert fixed.data["models"][0]["apiBase"] == f"{BASE}/anthropic/us/v1"
    assert [f.code for f in fixed.fixes] == ["langdock-route-mismatch"]


def test_claude_with_provider_openai_on_the_anthropic_route_changes_provider() -> None:
    """The model decides: claude-* keeps the /anthropic/ route and becomes provider anthropic."""
    fixed = fix_data({"models": [entry(provider="openai", model="claude-sonnet-4-6-default",
                                       apiBase=f"{BASE}/anthropic/us/v1")]}, "json")
    result = fixed.data["models"][0]
    assert (result["provider"], result["apiBase"]) == ("anthropic", f"{BASE}/anthropic/us/v1")
    assert [(f.code, f.pointer) for f in fixed.fixes] == [
        ("langdock-route-mismatch", "/models/0/provider")]


def test_gpt_with_provider_anthropic_on_the_openai_route_changes_provider() -> None:
    """gpt-5.2 as anthropic on /openai/ is not moved to /anthropic/, which does not serve it."""
    fixed = fix_data({"models": [entry(provider="anthropic", apiBase=f"{BASE}/openai/us/v1")]},
                     "json")
    result = fixed.data["models"][0]
    assert (result["provider"], result["apiBase"]) == ("openai", f"{BASE}/openai/us/v1")


def test_claude_on_the_openai_route_moves_with_its_provider() -> None:
    """claude-* with provider openai on /openai/ gets provider anthropic and /anthropic/."""
    fixed = fix_data({"models": [entry(model="claude-opus-5")]}, "json")
    result = fixed.data["models"][0]
    assert (result["provider"], result["apiBase"]) == ("anthropic", f"{BASE}/anthropic/eu/v1")
    assert {f.code for f in fixed.fixes} == {"langdock-model-route"}


def test_yaml_codestral_autocomplete_becomes_mistral_on_eu() -> None:
    """A YAML autocomplete Codestral as openai on /openai/us/ goes to mistral on /mistral/eu/."""
    data = {"name": "x", "version": "1", "models": [
        entry(provider="openai", model="codestral-2501", roles=["autocomplete"],
              apiBase=f"{BASE}/openai/us/v1")]}
    data["models"][0]["name"] = data["models"][0].pop("title")
    fixed = fix_data(data, "yaml")
    result = fixed.data["models"][0]
    assert (result["provider"], result["apiBase"]) == ("mistral", f"{BASE}/mistral/eu/v1")


def test_chat_models_named_codestral_are_not_touched_outside_autocomplete() -> None:
    """Only autocomplete entries get the FIM provider fix."""
    data = {"models": [entry(model="codestral-2501")]}
    assert fix_data(data, "json").fixes == []


def test_fixing_fixed_data_changes_nothing_and_input_is_not_mutated() -> None:
    """fix_data works on a copy, and a second pass finds nothing to do."""
    data = {"models": [entry(apiBase=f"{BASE}/anthropic/eu/messages", provider="anthropic"),
                       entry(), {"provider": "openai", "model": "gpt-4.1"}]}
    snapshot = repr(data)
    first = fix_data(data, "json", key="sk-ld-new-9999")
    assert repr(data) == snapshot
    second = fix_data(first.data, "json", key="sk-ld-new-9999")
    assert second.fixes == [] and second.data == first.data
    assert [m["title"] for m in first.data["models"]] == ["GPT", "GPT (2)", "gpt-4.1"]


def test_placeholder_without_key_is_reported_not_fixed() -> None:
    """Without a key, a placeholder stays and the reason is in ``unfixed``."""
    fixed = fix_data({"models": [entry(apiKey="<YOUR_LANGDOCK_API_KEY>")]}, "json")
    assert fixed.fixes == []
    assert fixed.unfixed and "LANGDOCK_API_KEY" in fixed.unfixed[0]


def test_non_langdock_keys_are_left_alone() -> None:
    """Keys of entries that do not point at Langdock are never replaced."""
    data = {"models": [{"title": "L", "provider": "ollama", "model": "x", "apiKey": ""}]}
    assert fix_data(data, "json", key="sk-ld-new-9999").fixes == []


def test_moving_an_inline_key_refuses_a_different_key_already_in_dotenv() -> None:
    """--key-storage dotenv never overwrites a different LANGDOCK_API_KEY in .env."""
    data = {"name": "x", "version": "1", "models": [{"name": "G", "provider": "openai",
            "model": "gpt-5.2", "apiKey": "sk-ld-inline-1111", "apiBase": f"{BASE}/openai/eu/v1"}]}
    fixed = fix_data(data, "yaml", dotenv={"LANGDOCK_API_KEY": "sk-ld-other-2222"},
                     move_inline=True)
    assert fixed.fixes == [] and fixed.dotenv == {}
    assert "different" in fixed.unfixed[0]
