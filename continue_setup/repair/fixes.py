"""``doctor --fix``: the mechanical fixes, applied to a copy of the data, never to the text.

Each fix says what it changes. The caller renders the new data onto the document (comments
kept), shows a masked diff, and writes with a backup. Fixing fixed data changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit

from continue_setup.check.catalogue import load_catalogue
from continue_setup.check.rules.models import ENDPOINTS, FIM_MAYBE, FIM_PROVIDERS, LANGDOCK_REGIONS
from continue_setup.config.datacopy import deep_copy
from continue_setup.config.entries import SECRET_REFERENCE, split_langdock
from continue_setup.config.keys import KEY_ENV, PLACEHOLDERS, YAML_REFERENCE, substitutes_safely
from continue_setup.records import NamedTuple

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any

ROUTE_PROVIDERS = ("openai", "anthropic", "mistral")
FIM_MODEL = re.compile(r"codestral|fim|starcoder|deepseek-coder|qwen2\.5-coder", re.IGNORECASE)
FIM_REGION = "eu"


class Fix(NamedTuple):
    """One change a fix makes: the finding code it resolves, where, and what it does."""

    code: str
    pointer: str
    change: str
    file: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "pointer": self.pointer, "change": self.change,
                "file": self.file}


class DataFixes:
    """The fixed data, each fix made, .env names to set, and what could not be fixed."""

    def __init__(self, data: Any) -> None:
        self.data = data
        self.fixes: list[Fix] = []
        self.dotenv: dict[str, str] = {}
        self.unfixed: list[str] = []


def strip_endpoint(api_base: str) -> str:
    """Remove endpoint paths (``/chat/completions``, ...) from the end of ``api_base``."""
    try:
        parts = urlsplit(api_base.strip())
    except ValueError:
        return api_base
    path = parts.path.rstrip("/")
    changed = True
    while changed:
        changed = False
        for endpoint in ENDPOINTS:
            if path.endswith(endpoint):
                path, changed = path[: -len(endpoint)].rstrip("/"), True
    return urlunsplit(parts._replace(path=path))


def _langdock_base(api_base: str, route: str | None) -> str | None:
    """Return the Langdock apiBase Continue needs: ``{base}/{route}/{region}/v1``."""
    split = split_langdock(api_base)
    if split is None or split.route not in LANGDOCK_REGIONS:
        return None
    region, rest = split.region, split.rest
    if region == "v1" and rest == "":
        region = None
    route = route or split.route
    served = LANGDOCK_REGIONS[route]
    if region not in served:
        region = FIM_REGION if FIM_REGION in served else served[0]
    return f"{split.base}/{route}/{region}/v1"


class _Fixer:
    def __init__(self, data: Any, fmt: str, *, key: str | None, resolved: set[str],
                 dotenv: Mapping[str, str], move_inline: bool) -> None:
        self.data = deep_copy(data)
        self.fmt = fmt
        self.key = key
        self.resolved = resolved  # secret / env names that resolve somewhere
        self.existing = dotenv  # the .env as it is
        self.move_inline = move_inline
        self.out = DataFixes(self.data)
        env = self.data.get("env") if isinstance(self.data, dict) else None
        self.env_names = {n for n in env if isinstance(n, str)} if isinstance(env, list) else set()
        self.title_key = "name" if fmt == "yaml" else "title"

    def fix(self, code: str, pointer: str, change: str) -> None:
        self.out.fixes.append(Fix(code, pointer, change))

    def entries(self) -> list[tuple[str, dict[str, Any], bool]]:
        """Return (pointer, entry, is autocomplete) for every model entry."""
        found: list[tuple[str, dict[str, Any], bool]] = []
        if not isinstance(self.data, dict):
            return found
        models = self.data.get("models")
        for index, entry in enumerate(models if isinstance(models, list) else []):
            if isinstance(entry, dict) and not ("uses" in entry and "provider" not in entry):
                roles = entry.get("roles")
                auto = self.fmt == "yaml" and isinstance(roles, list) and "autocomplete" in roles
                found.append((f"/models/{index}", entry, auto))
        tab = self.data.get("tabAutocompleteModel") if self.fmt == "json" else None
        if isinstance(tab, dict):
            found.append(("/tabAutocompleteModel", tab, True))
        elif isinstance(tab, list):
            found += [(f"/tabAutocompleteModel/{i}", t, True) for i, t in enumerate(tab)
                      if isinstance(t, dict)]
        return found

    def run(self) -> DataFixes:
        entries = self.entries()
        for pointer, entry, auto in entries:
            self.endpoint(pointer, entry, auto)
        self.titles(entries)
        for pointer, entry, _ in entries:
            self.api_key(pointer, entry)
        return self.out

    def endpoint(self, pointer: str, entry: dict[str, Any], auto: bool) -> None:
        base = entry.get("apiBase")
        provider = entry.get("provider")
        model = entry.get("model")
        if auto and isinstance(provider, str) and provider not in FIM_PROVIDERS | FIM_MAYBE:
            if isinstance(model, str) and FIM_MODEL.search(model):
                entry["provider"] = "mistral"
                self.fix("autocomplete-no-fim", f"{pointer}/provider",
                         f"provider '{provider}' -> 'mistral' (Continue's FIM provider for "
                         f"{model})")
                provider = "mistral"
            else:
                self.out.unfixed.append(f"{pointer}: autocomplete through provider '{provider}' "
                                        "has no FIM; choose a FIM model such as Codestral")
        if not isinstance(base, str):
            return
        new = strip_endpoint(base)
        if new != base:
            self.fix("apibase-endpoint-suffix", f"{pointer}/apiBase",
                     f"apiBase {base} -> {new} (Continue appends the endpoint itself)")
        model_code = self.provider_for_model(pointer, entry, new, auto)
        provider = entry.get("provider")
        route = provider if provider in ROUTE_PROVIDERS else None
        langdock = _langdock_base(new, route)
        if langdock is not None and langdock != new.rstrip("/"):
            self.fix(model_code or _langdock_code(new, langdock), f"{pointer}/apiBase",
                     f"apiBase {new} -> {langdock}")
            new = langdock
        if new != base:
            entry["apiBase"] = new

    def provider_for_model(self, pointer: str, entry: dict[str, Any], base: str,
                           auto: bool) -> str | None:
        """Give a Langdock entry the provider its model's route speaks (claude-* -> anthropic).

        The model decides, not the route: a claude-* id with provider openai on /anthropic/
        keeps its route and changes provider; one on /openai/ moves to /anthropic/ as well
        (the caller moves the apiBase). Returns the finding code the change resolves.
        """
        provider, model = entry.get("provider"), entry.get("model")
        split = split_langdock(base)
        if split is None or provider not in ROUTE_PROVIDERS or not isinstance(model, str):
            return None
        serving = load_catalogue().route_of(model)
        if serving is None or serving == provider or split.route not in ROUTE_PROVIDERS:
            return None
        if serving == "mistral" and not auto:
            return None  # Langdock serves Codestral for autocomplete only: no route fits chat
        code = "langdock-model-route" if split.route == provider else "langdock-route-mismatch"
        entry["provider"] = serving
        self.fix(code, f"{pointer}/provider", f"provider '{provider}' -> '{serving}' ({model} "
                 f"is served on Langdock's /{serving}/ route)")
        return code

    def titles(self, entries: list[tuple[str, dict[str, Any], bool]]) -> None:
        taken: set[str] = set()
        for pointer, entry, auto in entries:
            title = entry.get(self.title_key)
            if not isinstance(title, str) or not title.strip():
                model = entry.get("model")
                base = str(model) if isinstance(model, str) and model else (
                    "Autocomplete" if auto else "Model")
                new = _unique(base, taken)
                entry[self.title_key] = new
                self.fix("title-missing", f"{pointer}/{self.title_key}",
                         f"added {self.title_key} '{new}'")
            elif title in taken:
                new = _unique(title, taken)
                entry[self.title_key] = new
                self.fix("duplicate-title", f"{pointer}/{self.title_key}",
                         f"renamed duplicate '{title}' to '{new}'")
            taken.add(entry[self.title_key])

    def api_key(self, pointer: str, entry: dict[str, Any]) -> None:
        base = entry.get("apiBase")
        if split_langdock(base if isinstance(base, str) else None) is None:
            return
        raw = entry.get("apiKey")
        name: str | None = None
        if isinstance(raw, str) and self.fmt == "yaml":
            match = SECRET_REFERENCE.fullmatch(raw.strip())
            name = match.group(1) if match else None
        elif isinstance(raw, str) and raw in self.env_names:
            name = raw
        if name is not None:
            if name in self.resolved:
                return
            if self.key is None:
                self.out.unfixed.append(f"{pointer}/apiKey: {name} resolves nowhere; give the "
                                        f"key with {KEY_ENV} or --api-key-stdin")
                return
            self.out.dotenv[name] = self.key
            self.fix("secret-unresolved" if self.fmt == "yaml" else "env-unresolved",
                     f"{pointer}/apiKey", f"set {name} in .env to the given key")
            return
        if isinstance(raw, str) and raw.strip() and not PLACEHOLDERS.match(raw.strip()):
            if raw != raw.strip() and not any(c.isspace() for c in raw.strip()):
                # A trailing newline from a copied key: the key itself is unambiguous.
                raw = entry["apiKey"] = raw.strip()
                self.fix("key-whitespace", f"{pointer}/apiKey",
                         "whitespace around the key removed")
            if self.move_inline:
                self.inline_key(pointer, entry, raw)
            return
        if self.key is None:
            self.out.unfixed.append(f"{pointer}/apiKey: no usable key; give it with {KEY_ENV} "
                                    "or --api-key-stdin")
            return
        code = "key-missing" if raw is None else "key-empty" if not str(raw).strip() else (
            "placeholder-key")
        if self.fmt == "yaml":
            entry["apiKey"] = YAML_REFERENCE
            self.out.dotenv[KEY_ENV] = self.key
            change = f"apiKey -> {YAML_REFERENCE}, the key stored in .env"
        else:
            entry["apiKey"] = self.key
            change = "apiKey -> the given key"
        self.fix(code, f"{pointer}/apiKey", change)


    def inline_key(self, pointer: str, entry: dict[str, Any], raw: str) -> None:
        """Move an inline key into .env (config.yaml only: config.json has no secrets)."""
        if self.fmt != "yaml":
            self.out.unfixed.append(f"{pointer}/apiKey: config.json cannot refer to .env secrets "
                                    "safely; 'continue-setup migrate --key-storage dotenv' can")
            return
        stored = self.out.dotenv.get(KEY_ENV, self.existing.get(KEY_ENV))
        if stored is not None and stored != raw:
            self.out.unfixed.append(f"{pointer}/apiKey: .env already holds a different "
                                    f"{KEY_ENV}; left inline")
            return
        if not substitutes_safely(raw):
            self.out.unfixed.append(f"{pointer}/apiKey: the key has characters that break "
                                    "config.yaml as a secret; left inline")
            return
        entry["apiKey"] = YAML_REFERENCE
        self.out.dotenv[KEY_ENV] = raw
        self.fix("key-inline", f"{pointer}/apiKey", f"inline key moved to .env; apiKey -> "
                 f"{YAML_REFERENCE}")


def _langdock_code(old: str, new: str) -> str:
    before, after = split_langdock(old), split_langdock(new)
    if before is None or after is None:
        return "langdock-missing-v1"
    if before.route != after.route:
        return "langdock-route-mismatch"
    if before.region != after.region:
        return "langdock-region"
    return "langdock-missing-v1"


def _unique(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    counter = 2
    while f"{base} ({counter})" in taken:
        counter += 1
    return f"{base} ({counter})"


def fix_data(data: Any, fmt: str, *, key: str | None = None, resolved: set[str] | None = None,
             dotenv: Mapping[str, str] | None = None, move_inline: bool = False) -> DataFixes:
    """Apply every mechanical fix to a copy of ``data``; return it and what changed.

    ``key`` replaces placeholder or missing keys; ``resolved`` names the secrets that resolve;
    ``move_inline`` moves inline Langdock keys of a config.yaml into .env.
    """
    return _Fixer(data, fmt, key=key, resolved=resolved or set(), dotenv=dotenv or {},
                  move_inline=move_inline).run()
