"""The model catalogue (``templates/catalogue/models.json``): Langdock's models as Continue
should see them, and what Continue detects for each on its own.

The data file is the source of truth and names a source for every fact; this module only
reads it. Plain named tuples rather than pydantic: ``validate`` consults it on every run, and
``tests/check/test_catalogue.py`` checks the file against ``schemas/catalogue.schema.json``.
"""

from __future__ import annotations

import json
import os
import re
from functools import cache

from continue_setup.records import NamedTuple
from continue_setup.resources import data_dir

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any

CATALOGUE_FILE = ("catalogue", "models.json")
# The Langdock route of a model id the catalogue lacks, by its family's prefix.
_FAMILY_ROUTES = (
    (r"claude-", "anthropic"),
    (r"(gpt-|o[0-9]|text-embedding-)", "openai"),
    (r"codestral", "mistral"),
)


class Detected(NamedTuple):
    """What Continue computes for an id without metadata (continue-clients.md section 4)."""

    tools: bool
    images: bool
    context_length: int | None
    max_tokens: int | None
    known: bool  # llm-info has an entry matching the id


class CatalogueModel(NamedTuple):
    """One Langdock model: where it is served and what Continue should know about it."""

    id: str
    family: str
    route: str
    provider: str
    roles: tuple[str, ...]
    context_length: int | None
    max_tokens: int | None
    tool_use: bool
    image_input: bool
    autocomplete_options: dict[str, int] | None
    detected: Detected

    @property
    def chat(self) -> bool:
        """Whether the model is used for chat (where capabilities and context matter)."""
        return bool({"chat", "edit", "apply", "summarize"} & set(self.roles))


class Catalogue(NamedTuple):
    """Every catalogue model by id, newest first within each family."""

    models: dict[str, CatalogueModel]
    cn_context_length: int  # what cn assumes without defaultCompletionOptions.contextLength

    def get(self, model_id: object) -> CatalogueModel | None:
        """Return the catalogue model ``model_id``, or None when the catalogue lacks it."""
        return self.models.get(model_id) if isinstance(model_id, str) else None

    def family(self, family: str) -> list[CatalogueModel]:
        """Return the models of ``family``, newest first."""
        return [m for m in self.models.values() if m.family == family]

    def route_of(self, model_id: str) -> str | None:
        """Return the Langdock route that serves ``model_id``, or None if unknown."""
        known = self.models.get(model_id)
        if known is not None:
            return known.route
        lowered = model_id.lower()
        return next((route for pattern, route in _FAMILY_ROUTES if re.match(pattern, lowered)),
                    None)


def needs_capabilities(model: CatalogueModel) -> bool:
    """Whether Continue's own detection of tools or images is wrong for a chat model."""
    detected = model.detected
    return model.chat and (model.tool_use, model.image_input) != (detected.tools, detected.images)


def needs_context(model: CatalogueModel, fmt: str, cn_context: int) -> bool:
    """Whether a client loading ``fmt`` would assume another context length than intended."""
    if model.context_length is None:
        return False
    if model.context_length != model.detected.context_length:
        return True
    # cn reads config.yaml only, and uses it only for chat.
    return fmt == "yaml" and model.chat and model.context_length != cn_context


def needs_max_tokens(model: CatalogueModel) -> bool:
    """Whether Continue's output cap for the id differs from the intended one."""
    return model.max_tokens is not None and model.max_tokens != model.detected.max_tokens


def _value(item: dict[str, Any], key: str) -> Any:
    return item[key]["value"]


def _model(item: dict[str, Any]) -> CatalogueModel:
    seen = item["continue"]
    options = item.get("autocompleteOptions")
    return CatalogueModel(
        id=item["id"],
        family=item["family"],
        route=_value(item, "route"),
        provider=_value(item, "provider"),
        roles=tuple(_value(item, "roles")),
        context_length=_value(item, "contextLength"),
        max_tokens=_value(item, "maxTokens"),
        tool_use=_value(item, "tool_use"),
        image_input=_value(item, "image_input"),
        autocomplete_options=dict(options["value"]) if options else None,
        detected=Detected(
            seen["tools"],
            seen["images"],
            seen["contextLength"],
            seen["maxTokens"],
            seen["llmInfoMatch"] is not None,
        ),
    )


def parse_catalogue(data: dict[str, Any]) -> Catalogue:
    """Build the catalogue from the data file's JSON (already checked by its schema)."""
    models = {item["id"]: _model(item) for item in data["models"]}
    return Catalogue(models, data["cnContextLength"]["value"])


@cache
def load_catalogue() -> Catalogue:
    """Return the bundled catalogue (read once per process)."""
    with open(os.path.join(data_dir("templates"), *CATALOGUE_FILE), encoding="utf-8") as handle:
        return parse_catalogue(json.load(handle))


# Continue's own name rules (continue-clients.md section 4), for ids the catalogue lacks.
# Patterns, not compiled ones: re compiles (and caches) each on first use, and catalogue
# ids, the usual case, never need them.
_TOOLS = {"openai": r"^(gpt-[4-9]|o[1-9]|codex)", "anthropic": r"^claude"}
_IMAGES = r"gpt-4o|gpt-4-turbo|claude-3|sonnet|opus|haiku|vision"
_NO_TOOLS = r"^claude-(2|instant)"


def continue_view(model_id: str, provider: str) -> Detected:
    """Return what Continue knows of ``model_id`` without metadata (context None: unknown).

    Catalogue ids give the reference's computed values; other ids Continue's name rules
    for tools and images, and no context (only Continue's llm-info tables know it).
    """
    known = load_catalogue().get(model_id)
    if known is not None and known.provider == provider:
        return known.detected
    lowered = model_id.lower()
    pattern = _TOOLS.get(provider)
    tools = bool(pattern and re.search(pattern, lowered)) and not re.search(_NO_TOOLS, lowered)
    images = provider in ("openai", "anthropic") and bool(re.search(_IMAGES, lowered))
    return Detected(tools, images, None, None, False)
