"""What ``init`` tells Continue about a model: only what Continue would otherwise get wrong.

Continue detects tools, images, context and output cap from the model id (its tables stop
at gpt-5.2 and Claude 4.6). For a catalogue id this module compares the catalogue's
intended values with what Continue detects and returns the config keys that correct the
difference, in the shape of each format:

- config.yaml: ``capabilities: [tool_use, image_input]`` (any list switches off what it
  leaves out, so the list always names every capability the model has), and
  ``defaultCompletionOptions.contextLength/maxTokens`` (``cn`` ignores a model-level
  ``contextLength`` and assumes 200000 without this one);
- config.json: ``capabilities: {tools, uploadImage}``, ``contextLength`` and
  ``completionOptions.maxTokens``.
"""

from __future__ import annotations

from continue_setup.check.catalogue import (
    Catalogue,
    CatalogueModel,
    needs_capabilities,
    needs_context,
    needs_max_tokens,
)

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any

# Keys whose value is a mapping we merge into, keeping the user's other options.
NESTED = ("defaultCompletionOptions", "completionOptions", "autocompleteOptions")


def metadata_fields(model: CatalogueModel, fmt: str, catalogue: Catalogue) -> dict[str, Any]:
    """Return the keys an entry for ``model`` needs in ``fmt`` (empty where Continue knows)."""
    fields: dict[str, Any] = {}
    if needs_capabilities(model):
        if fmt == "yaml":
            fields["capabilities"] = [
                name
                for name, on in (("tool_use", model.tool_use), ("image_input", model.image_input))
                if on
            ]
        else:
            fields["capabilities"] = {"tools": model.tool_use, "uploadImage": model.image_input}
    options: dict[str, int] = {}
    if needs_context(model, fmt, catalogue.cn_context_length):
        assert model.context_length is not None
        if fmt == "yaml":
            options["contextLength"] = model.context_length
        else:
            fields["contextLength"] = model.context_length
    if needs_max_tokens(model):
        assert model.max_tokens is not None
        options["maxTokens"] = model.max_tokens
    if options:
        fields["defaultCompletionOptions" if fmt == "yaml" else "completionOptions"] = options
    # Only config.yaml has per-model autocomplete options; config.json's top-level
    # tabAutocompleteOptions are overridden by the IDE's own settings (docs/init.md).
    if fmt == "yaml" and model.autocomplete_options:
        fields["autocompleteOptions"] = dict(model.autocomplete_options)
    return fields


def apply_fields(existing: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """Return ``existing`` with ``fields`` set; nested options merge into the user's own."""
    updated = dict(existing)
    for key, value in fields.items():
        current = updated.get(key)
        if key in NESTED and isinstance(value, dict) and isinstance(current, dict):
            merged = dict(current)
            merged.update(value)
            updated[key] = merged
        else:
            updated[key] = value
    return updated


def fill_missing(existing: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """Return ``existing`` with those of ``fields`` it lacks; what it sets stays."""
    updated = dict(existing)
    for key, value in fields.items():
        current = updated.get(key)
        if key not in updated:
            updated[key] = value
        elif key in NESTED and isinstance(value, dict) and isinstance(current, dict):
            updated[key] = {**value, **current}
    return updated


def with_catalogue_metadata(data: dict[str, Any]) -> dict[str, Any]:
    """Give a config.yaml's Langdock entries the metadata ``init`` would write, if missing.

    ``migrate`` uses it: config.json lacks what only config.yaml can say (the context for
    ``cn``, per-model autocomplete options).
    """
    from continue_setup.check.catalogue import load_catalogue
    from continue_setup.config.entries import split_langdock

    models = data.get("models")
    if not isinstance(models, list):
        return data
    catalogue = load_catalogue()
    completed: list[Any] = []
    for item in models:
        known = catalogue.get(item.get("model")) if isinstance(item, dict) else None
        base = item.get("apiBase") if isinstance(item, dict) else None
        if (known is not None and item.get("provider") == known.provider
                and split_langdock(base if isinstance(base, str) else None) is not None):
            item = fill_missing(item, metadata_fields(known, "yaml", catalogue))
        completed.append(item)
    return {**data, "models": completed}
