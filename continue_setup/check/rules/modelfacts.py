"""Rules from what the model is: its family's route, what Continue knows about it, Claude's
sampling options, and ``AUTODETECT`` where Continue cannot list anything.

The facts come from the model catalogue (``templates/catalogue/models.json``).
"""

from __future__ import annotations

from collections.abc import Iterator

from continue_setup.check.catalogue import (
    CatalogueModel,
    continue_view,
    load_catalogue,
    needs_capabilities,
    needs_context,
    needs_max_tokens,
)
from continue_setup.check.findings import Finding
from continue_setup.check.rules.codes import RuleContext, child, issue
from continue_setup.config.entries import Entry, model_entries
from continue_setup.config.parsing import Document

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any

ROUTE_PROVIDER = {"openai": "openai", "anthropic": "anthropic", "mistral": "mistral"}


def _options(entry: Entry) -> tuple[str, dict[str, Any]]:
    """Return the key and value of the entry's completion options (per format)."""
    key = "defaultCompletionOptions" if entry.format == "yaml" else "completionOptions"
    value = entry.raw.get(key)
    return key, value if isinstance(value, dict) else {}


def model_routes(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """A model id on a Langdock route that serves another family (claude-* on /openai/)."""
    catalogue = None
    for entry in model_entries(doc):
        split = entry.langdock
        if split is None or entry.model is None or split.route not in ROUTE_PROVIDER:
            continue
        catalogue = catalogue or load_catalogue()
        want = catalogue.route_of(entry.model)
        if want is None or want == split.route:
            continue
        if entry.provider != ROUTE_PROVIDER[split.route]:
            continue  # provider and route disagree too: langdock-route-mismatch says it
        if entry.autocomplete and want == "mistral":
            continue  # Codestral without FIM: autocomplete-no-fim says it, with the fix
        region = split.region if split.region in ("eu", "us") else "eu"
        region = "eu" if want == "mistral" else region
        yield issue(
            "langdock-model-route",
            child(entry.pointer, "model"),
            f"'{entry.model}' is served on Langdock's /{want}/ route, not on "
            f"/{split.route}/ (provider '{entry.provider}')",
            hint=f"Use provider '{ROUTE_PROVIDER[want]}' and apiBase "
            f"{split.base}/{want}/{region}/v1.",
        )


def _missing(entry: Entry, model: CatalogueModel, cn_context: int) -> tuple[list[str], list[str]]:
    """Return what Continue will assume instead, and the keys that would correct it."""
    assumed: list[str] = []
    add: list[str] = []
    detected = model.detected
    options_key, options = _options(entry)
    caps = entry.raw.get("capabilities")
    if needs_capabilities(model) and caps is None:
        if model.image_input and not detected.images:
            assumed.append("no image input")
        if model.tool_use and not detected.tools:
            assumed.append("no tools (Agent mode off)")
        if entry.format == "yaml":
            listed = [n for n, on in (("tool_use", model.tool_use),
                                      ("image_input", model.image_input)) if on]
            add.append(f"capabilities: [{', '.join(listed)}]")
        else:
            add.append(f'"capabilities": {{"tools": {str(model.tool_use).lower()}, '
                       f'"uploadImage": {str(model.image_input).lower()}}}')
    if needs_context(model, entry.format, cn_context):
        has = "contextLength" in options if entry.format == "yaml" else (
            "contextLength" in entry.raw)
        if not has:
            seen = detected.context_length or 32768
            assumed.append(f"a {seen}-token context" + (
                f" ({cn_context} in cn)" if entry.format == "yaml" else ""))
            add.append(f"{options_key}.contextLength: {model.context_length}"
                       if entry.format == "yaml" else f'"contextLength": {model.context_length}')
    if needs_max_tokens(model) and "maxTokens" not in options:
        assumed.append(f"a {detected.max_tokens or 4096}-token output cap")
        add.append(f"{options_key}.maxTokens: {model.max_tokens}" if entry.format == "yaml"
                   else f'"{options_key}": {{"maxTokens": {model.max_tokens}}}')
    return assumed, add


def model_metadata(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """A model Continue does not know, configured without the metadata it needs."""
    catalogue = None
    for entry in model_entries(doc):
        if entry.model is None or entry.provider is None:
            continue
        catalogue = catalogue or load_catalogue()
        model = catalogue.get(entry.model)
        if model is None or model.provider != entry.provider or not model.chat:
            continue
        if model.detected.known:
            continue  # Continue's llm-info knows it; init's extras there are refinements
        assumed, add = _missing(entry, model, catalogue.cn_context_length)
        if not assumed:
            continue
        yield issue(
            "model-metadata-missing",
            child(entry.pointer, "model"),
            f"Continue does not know '{entry.model}': without metadata it assumes "
            + ", ".join(assumed),
            hint=f"Add {'; '.join(add)} (or run 'continue-setup init', which writes them).",
        )


def anthropic_autodetect(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """``model: AUTODETECT`` lists models only for providers that can; anthropic cannot."""
    for entry in model_entries(doc):
        if entry.provider == "anthropic" and entry.model == "AUTODETECT":
            yield issue(
                "anthropic-autodetect",
                child(entry.pointer, "model"),
                "model AUTODETECT with provider anthropic: Continue lists no models for it, "
                "so the entry offers nothing",
            )


def claude_sampling(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Claude entries that set both temperature and topP: newer Claude models refuse that."""
    for entry in model_entries(doc):
        model = (entry.model or "").lower()
        if entry.provider != "anthropic" and not model.startswith("claude"):
            continue
        options_key, options = _options(entry)
        if "temperature" in options and "topP" in options:
            old = model.startswith(("claude-3-", "claude-3.", "claude-2", "claude-instant"))
            yield issue(
                "claude-temperature-top-p",
                child(entry.pointer, options_key, "topP"),
                "temperature and topP are both set: Anthropic refuses the pair for newer "
                "Claude models (400)",
                hint=f"Remove topP (or temperature) from {options_key}.",
                severity="warning" if old else None,
            )


def partial_capabilities(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """A config.yaml ``capabilities`` list switches off what it leaves out, even what
    Continue would have detected (``[image_input]`` alone turns Agent mode off)."""
    if doc.format != "yaml":
        return
    for entry in model_entries(doc):
        caps = entry.raw.get("capabilities")
        if not isinstance(caps, list) or entry.model is None or entry.provider is None:
            continue
        seen = continue_view(entry.model, entry.provider)
        lost = [name for name, on in (("tool_use", seen.tools), ("image_input", seen.images))
                if on and name not in caps]
        if lost:
            wanted = [c for c in caps if isinstance(c, str)] + lost
            yield issue(
                "capabilities-partial",
                child(entry.pointer, "capabilities"),
                f"the capabilities list leaves out {' and '.join(lost)}, so Continue switches "
                f"{'it' if len(lost) == 1 else 'them'} off for '{entry.model}', where it "
                "would detect it on its own",
                hint=f"Write capabilities: [{', '.join(wanted)}], or remove the list.",
            )


RULES = (model_routes, model_metadata, partial_capabilities, anthropic_autodetect,
         claude_sampling)
