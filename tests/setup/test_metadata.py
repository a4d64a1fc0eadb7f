"""What init writes for each catalogue model gives Continue the intended numbers and abilities.

``continue_computes`` mirrors Continue's rules from continue-clients.md section 4 (YAML
capabilities list, config.json capabilities object, contextLength and maxTokens precedence,
cn's 200000 default); ``TABLE`` is that reference's computed table, copied here by hand so
that the catalogue's own record of it is checked rather than trusted.
"""

from __future__ import annotations

from typing import Any

import pytest

from continue_setup.check.catalogue import CatalogueModel, load_catalogue
from continue_setup.setup.templates import load_templates, render
from tests.conftest import SENTINEL

# id: (tools, images, core contextLength, core maxTokens) without metadata (reference s.4).
TABLE: dict[str, tuple[bool, bool, int, int]] = {
    "gpt-5.2": (True, False, 400000, 100000),
    "gpt-5.4": (True, False, 32768, 4096),
    "gpt-5.6": (True, False, 32768, 4096),
    "gpt-4.1": (True, False, 1047576, 32768),
    "claude-sonnet-4-6-default": (True, True, 200000, 8192),
    "claude-sonnet-4-5": (True, True, 200000, 8192),
    "claude-opus-4-6": (True, True, 200000, 8192),
    "claude-sonnet-5": (True, True, 32768, 8192),
    "claude-opus-5": (True, True, 32768, 8192),
    "codestral-2501": (True, False, 32768, 4096),
    "codestral-latest": (True, False, 32768, 4096),
}
DEFAULT_CONTEXT = 32768  # DEFAULT_CONTEXT_LENGTH, core/llm/constants.ts
CN_CONTEXT = 200000  # cn tokenizer.ts: defaultCompletionOptions.contextLength ?? 200000
TEMPLATE_OF = {"gpt": "gpt", "claude": "claude", "codestral": "codestral"}
RENDERED = [m for m in load_catalogue().models.values() if m.family in TEMPLATE_OF]


def continue_computes(entry: dict[str, Any], fmt: str, seen: tuple[bool, bool, int, int]
                      ) -> dict[str, Any]:
    """Return what Continue core (and cn, for config.yaml) makes of ``entry`` (section 4)."""
    tools, images, context, max_tokens = seen
    if fmt == "yaml":
        caps = entry.get("capabilities")
        if caps is not None:  # any list: unlisted capabilities are false
            tools, images = "tool_use" in caps, "image_input" in caps
        options = entry.get("defaultCompletionOptions") or {}
        configured = entry.get("contextLength", options.get("contextLength"))
    else:
        caps = entry.get("capabilities") or {}
        tools = caps.get("tools", tools)  # copied as is: omitted keys are autodetected
        images = caps.get("uploadImage", images)
        options = entry.get("completionOptions") or {}
        configured = entry.get("contextLength")
    result = {
        "tools": tools,
        "images": images,
        "contextLength": configured if configured is not None else (context or DEFAULT_CONTEXT),
        "maxTokens": options.get("maxTokens", max_tokens),
    }
    if fmt == "yaml":
        result["cnContextLength"] = options.get("contextLength", CN_CONTEXT)
    return result


def intended(model: CatalogueModel, fmt: str) -> dict[str, Any]:
    """Return the catalogue's values in the shape of ``continue_computes``."""
    want = {"tools": model.tool_use, "images": model.image_input,
            "contextLength": model.context_length, "maxTokens": model.max_tokens}
    if fmt == "yaml":
        want["cnContextLength"] = model.context_length if model.chat else CN_CONTEXT
    return want


def entry_for(model: CatalogueModel, fmt: str) -> dict[str, Any]:
    """Render the model's template with the model's id, as ``init --model`` does."""
    template = load_templates()[TEMPLATE_OF[model.family]]
    return render(template, fmt=fmt, base_url="https://api.langdock.com", region="eu",
                  model=model.id, api_key=SENTINEL).entry


def test_catalogue_records_the_reference_table() -> None:
    """The catalogue's 'continue' block of every id in the table matches the table."""
    catalogue = load_catalogue()
    for model_id, (tools, images, context, max_tokens) in TABLE.items():
        seen = catalogue.models[model_id].detected
        assert (seen.tools, seen.images, seen.context_length, seen.max_tokens) == (
            tools, images, context, max_tokens), model_id


@pytest.mark.parametrize("fmt", ["yaml", "json"])
@pytest.mark.parametrize("model", RENDERED, ids=lambda m: m.id)
def test_continue_gets_the_intended_values(model: CatalogueModel, fmt: str) -> None:
    """For each catalogue model, Continue computes the catalogue's tools, images, ctx, cap."""
    seen = TABLE.get(model.id)
    if seen is None:  # an id the reference table lacks: the catalogue's own record
        d = model.detected
        seen = (d.tools, d.images, d.context_length or DEFAULT_CONTEXT, d.max_tokens or 4096)
    computed = continue_computes(entry_for(model, fmt), fmt, seen)
    want = intended(model, fmt)
    if not model.chat:  # capabilities and cn do not apply to an autocomplete model
        for key in ("tools", "images", "cnContextLength"):
            computed.pop(key, None)
            want.pop(key, None)
    assert computed == want


@pytest.mark.parametrize("model", RENDERED, ids=lambda m: m.id)
def test_nothing_is_written_where_continue_knows(model: CatalogueModel) -> None:
    """An entry carries metadata keys only where Continue's own value is wrong."""
    seen = TABLE.get(model.id)
    for fmt in ("yaml", "json"):
        entry = entry_for(model, fmt)
        if seen is not None and (model.tool_use, model.image_input) == seen[:2]:
            assert "capabilities" not in entry, (model.id, fmt)
        if seen is not None and model.context_length == seen[2] and (
            fmt == "json" or model.context_length == CN_CONTEXT or not model.chat
        ) and model.max_tokens == seen[3]:
            numbers = {"contextLength", "defaultCompletionOptions", "completionOptions"}
            assert not numbers & set(entry), (model.id, fmt)


def test_known_claude_gets_no_metadata_and_new_gpt_gets_all() -> None:
    """claude-sonnet-4-6-default stays bare; gpt-5.6 gets a full list and both numbers."""
    catalogue = load_catalogue()
    claude = entry_for(catalogue.models["claude-sonnet-4-6-default"], "yaml")
    assert "capabilities" not in claude and "defaultCompletionOptions" not in claude
    gpt = entry_for(catalogue.models["gpt-5.6"], "yaml")
    assert gpt["capabilities"] == ["tool_use", "image_input"]
    assert gpt["defaultCompletionOptions"] == {"contextLength": 400000, "maxTokens": 100000}
    assert gpt["roles"] == ["chat", "edit", "apply"]
    as_json = entry_for(catalogue.models["gpt-5.6"], "json")
    assert as_json["capabilities"] == {"tools": True, "uploadImage": True}
    assert (as_json["contextLength"], as_json["completionOptions"]) == (
        400000, {"maxTokens": 100000})


def test_codestral_suits_a_remote_fim_route() -> None:
    """Codestral gets a short output cap and a modelTimeout a remote gateway can meet."""
    entry = entry_for(load_catalogue().models["codestral-2501"], "yaml")
    assert entry["roles"] == ["autocomplete"]
    assert entry["defaultCompletionOptions"] == {"maxTokens": 256}
    assert entry["autocompleteOptions"]["modelTimeout"] >= 1000
