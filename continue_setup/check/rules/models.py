"""Rules on each model entry: its provider, its apiBase, Langdock's routes, autocomplete."""

from __future__ import annotations

import re
from collections.abc import Iterator

from continue_setup.check.catalogue import load_catalogue
from continue_setup.check.findings import Finding
from continue_setup.check.rules.codes import RuleContext, child, issue
from continue_setup.config.entries import Entry, LangdockBase, model_entries
from continue_setup.config.parsing import Document
from continue_setup.config.urls import split

# Continue's LLM classes (static providerName, core/llm/llms at d0a3c0b). An entry naming
# any other provider is dropped without a word (LLMClasses.find returns undefined).
RUNTIME_PROVIDERS = frozenset(
    (
        "anthropic",
        "askSage",
        "azure",
        "bedrock",
        "bedrockimport",
        "cerebras",
        "clawrouter",
        "cloudflare",
        "cohere",
        "cometapi",
        "deepinfra",
        "deepseek",
        "docker",
        "fireworks",
        "flowise",
        "function-network",
        "gemini",
        "groq",
        "huggingface-inference-api",
        "huggingface-tei",
        "huggingface-tgi",
        "inception",
        "kindo",
        "lemonade",
        "llama.cpp",
        "llamafile",
        "llamastack",
        "lmstudio",
        "mimo",
        "minimax",
        "mistral",
        "moonshot",
        "msty",
        "ncompass",
        "nebius",
        "nous",
        "novita",
        "nvidia",
        "ollama",
        "openai",
        "openrouter",
        "ovhcloud",
        "relace",
        "replicate",
        "sagemaker",
        "sambanova",
        "scaleway",
        "siliconflow",
        "tars",
        "tensorix",
        "text-gen-webui",
        "together",
        "venice",
        "vertexai",
        "vllm",
        "voyage",
        "watsonx",
        "xAI",
        "zAI",
        "continue-proxy",
    )
)
# In Continue's config_schema.json enum, yet no class implements them: dropped as well.
SCHEMA_ONLY_PROVIDERS = frozenset(
    ("anthropic-vertexai", "gemini-vertexai", "mistral-vertexai", "morph")
)
# supportsFim() is true for these; ollama and msty depend on the model's template.
FIM_PROVIDERS = frozenset(
    ("mistral", "deepseek", "moonshot", "siliconflow", "inception", "llamastack")
)
FIM_MAYBE = frozenset(("ollama", "msty"))
ENDPOINTS = ("/chat/completions", "/fim/completions", "/completions", "/messages", "/responses")
# Routes and the regions Langdock serves them in (global and ch: openai chat only).
LANGDOCK_REGIONS = {
    "openai": ("eu", "us", "global", "ch"),
    "anthropic": ("eu", "us"),
    "mistral": ("eu",),
    "google": ("eu", "us"),
}
LANGDOCK_PROVIDER = {"openai": "openai", "anthropic": "anthropic", "mistral": "mistral"}
_ANY_ENDPOINT = re.compile("|".join(re.escape(endpoint) for endpoint in ENDPOINTS))


def _suggest(name: str) -> str:
    by_case = {p.lower(): p for p in RUNTIME_PROVIDERS}
    if name.lower() in by_case:
        return f" Did you mean '{by_case[name.lower()]}'? Provider names are case-sensitive."
    if name.lower() == "codestral":
        return " Codestral is provider 'mistral' with model 'codestral-...'."
    import difflib  # only for a provider Continue does not know

    close = difflib.get_close_matches(name, sorted(RUNTIME_PROVIDERS), n=1, cutoff=0.75)
    return f" Did you mean '{close[0]}'?" if close else ""


def providers(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Providers Continue does not implement make it drop the entry silently."""
    for entry in model_entries(doc):
        name = entry.provider
        if name is None or name in RUNTIME_PROVIDERS:
            continue
        where = child(entry.pointer, "provider")
        if name in SCHEMA_ONLY_PROVIDERS:
            yield issue(
                "provider-dropped",
                where,
                f"provider '{name}' is in Continue's schema "
                "but not implemented: the entry is silently dropped",
            )
        else:
            yield issue(
                "unknown-provider",
                where,
                f"Continue has no provider '{name}': the entry is silently dropped",
                hint="Use a provider Continue implements." + _suggest(name),
            )


def _endpoint(api_base: str) -> str | None:
    if _ANY_ENDPOINT.search(api_base) is None:
        return None  # the common case, without taking the URL apart
    try:
        path = split(api_base.strip()).path.rstrip("/")
    except ValueError:
        return None
    return next((e for e in ENDPOINTS if path.endswith(e)), None)


def api_bases(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """apiBase must be the base Continue appends endpoints to, and fit Langdock's routes."""
    for entry in model_entries(doc):
        if entry.api_base is None:
            continue
        endpoint = _endpoint(entry.api_base)
        if endpoint is not None:
            yield issue(
                "apibase-endpoint-suffix",
                child(entry.pointer, "apiBase"),
                f"apiBase ends in {endpoint}; Continue "
                f"appends the endpoint itself, so it would call ...{endpoint}/...",
                hint=f"Remove {endpoint} from the end of apiBase.",
            )
        if entry.langdock is not None:
            yield from _langdock(entry, entry.langdock, endpoint is not None)


def _langdock(entry: Entry, split: LangdockBase, has_endpoint: bool) -> Iterator[Finding]:
    where = child(entry.pointer, "apiBase")
    route, region, rest = split.route, split.region, split.rest
    if region == "v1" and rest == "":
        region, rest = None, "/v1"  # .../openai/v1: the region is what is missing
    served = LANGDOCK_REGIONS[route]
    if region is None:
        yield issue(
            "langdock-region",
            where,
            f"the Langdock apiBase has no region after /{route}/",
            hint=f"Use {split.base}/{route}/{served[0]}/v1.",
        )
    elif region not in served:
        only = " only" if len(served) == 1 else ""
        yield issue(
            "langdock-region",
            where,
            f"Langdock serves the {route} route in {', '.join(served)}{only}, not in '{region}'",
            hint=f"Use {split.base}/{route}/{served[0]}/v1.",
        )
    expected = "/v1beta" if route == "google" else "/v1"
    if rest != expected and not has_endpoint:
        yield issue(
            "langdock-missing-v1",
            where,
            f"a Langdock apiBase ends in /{route}/<region>{expected}",
            hint=f"Use {split.base}/{route}/{region or served[0]}{expected}.",
        )
    wanted = LANGDOCK_PROVIDER.get(route)
    if wanted is not None and entry.provider is not None and entry.provider != wanted:
        yield issue(
            "langdock-route-mismatch",
            child(entry.pointer, "provider"),
            f"apiBase uses Langdock's /{route}/ route, which speaks the {wanted} API, "
            f"but the provider is '{entry.provider}'",
            hint=_route_hint(entry, split, wanted),
        )
    if route == "mistral" and set(entry.roles) - {"autocomplete"}:
        yield issue(
            "langdock-fim-only",
            where,
            "a chat entry on Langdock's Mistral route, where "
            "Langdock documents only /fim/completions",
            hint="Use this entry for autocomplete only (tabAutocompleteModel in "
            "config.json, roles: [autocomplete] in config.yaml).",
        )


def _route_hint(entry: Entry, split: LangdockBase, wanted: str) -> str:
    """Name the provider and route that serve the entry's model, when its family is known."""
    serving = load_catalogue().route_of(entry.model) if entry.model else None
    if serving == split.route:
        return f"Use provider '{wanted}': '{entry.model}' is served on this route."
    if serving is not None and serving == entry.provider:
        region = split.region if split.region in LANGDOCK_REGIONS[serving] else (
            LANGDOCK_REGIONS[serving][0])
        return (f"Use apiBase {split.base}/{serving}/{region}/v1: '{entry.model}' is served "
                "there.")
    return f"Use provider '{wanted}' for this route, or the route that matches the provider."


def _has_fim(entry: Entry) -> bool | None:
    provider = entry.provider or ""
    if provider in FIM_PROVIDERS:
        return True
    if provider in FIM_MAYBE or provider not in RUNTIME_PROVIDERS:
        return None  # depends on the model's template, or reported as unknown already
    model = (entry.model or "").lower()
    return provider == "vertexai" and ("code-gecko" in model or "codestral" in model)


def autocomplete(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Autocomplete needs a FIM provider and a model trained for it (Continue's own check)."""
    for entry in model_entries(doc):
        if not entry.autocomplete:
            continue
        if _has_fim(entry) is False:
            langdock = entry.langdock is not None
            yield issue(
                "autocomplete-no-fim",
                child(entry.pointer, "provider"),
                f"Continue has no fill-in-the-middle for provider '{entry.provider}': it "
                "would send a /completions prompt instead of calling /fim/completions"
                + (", which Langdock does not serve" if langdock else ""),
                severity="error" if langdock else "warning",
            )
        model = (entry.model or "").lower()
        if ("mistral" in model or "instruct" in model) and not any(
            word in model for word in ("deepseek", "codestral", "coder")
        ):
            yield issue(
                "autocomplete-not-fim-model",
                child(entry.pointer, "model"),
                f"'{entry.model}' is not trained for tab autocomplete; suggestions will be poor",
            )


RULES = (providers, api_bases, autocomplete)
