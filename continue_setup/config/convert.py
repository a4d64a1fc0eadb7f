"""config.json data to config.yaml data, field by field, as Continue's converter maps them.

Every field with a YAML home is kept; every field without one is reported with its pointer.
"""

from __future__ import annotations

import re

from continue_setup.config.datacopy import deep_copy
from continue_setup.config.entries import split_langdock
from continue_setup.config.jsonc import escape_pointer_token
from continue_setup.config.keys import KEY_ENV, PLACEHOLDERS, substitutes_safely
from continue_setup.records import NamedTuple

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any

HEADER = {"name": "Local Config", "version": "1.0.0", "schema": "v1"}
_COPIED = ("provider", "model", "apiKey", "apiBase", "requestOptions", "contextLength",
           "maxStopWords", "useLegacyCompletionsEndpoint", "useResponsesApi", "env",
           "autocompleteOptions", "promptTemplates", "cacheBehavior", "embedOptions",
           "chatOptions")
_COMPLETION = frozenset({"contextLength", "maxTokens", "temperature", "topP", "topK", "minP",
                         "presencePenalty", "frequencyPenalty", "stop", "n", "reasoning",
                         "reasoningBudgetTokens", "promptCaching", "stream", "keepAlive"})
_CAPABILITIES = {"uploadImage": "image_input", "tools": "tool_use"}
_NO_YAML_HOME = {
    "slashCommands": "config.yaml has no slash commands; use prompts (invokable) instead",
    "completionOptions": "config.yaml has no top-level completionOptions; set "
                         "defaultCompletionOptions on each model",
    "tabAutocompleteOptions": "config.yaml has no tabAutocompleteOptions; set "
                              "autocompleteOptions on the autocomplete model or use IDE settings",
    "analytics": "config.yaml has no analytics section",
    "userToken": "config.yaml has no userToken",
    "ui": "UI options live in the IDE's Continue settings with config.yaml",
    "allowAnonymousTelemetry": "telemetry is an IDE setting with config.yaml",
    "disableIndexing": "indexing is an IDE setting with config.yaml",
    "disableSessionTitles": "session titles are an IDE setting with config.yaml",
}


class Dropped(NamedTuple):
    """A config.json field with no config.yaml equivalent."""

    pointer: str
    key: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"pointer": self.pointer, "key": self.key, "reason": self.reason}


class Conversion:
    """config.yaml data converted from config.json data, and what did not fit."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.dropped: list[Dropped] = []
        self.warnings: list[str] = []
        self.secrets: dict[str, str] = {}  # .env names to add -> values


def _reference(name: str) -> str:
    return "${{ secrets." + name + " }}"


def _ptr(*parts: str | int) -> str:
    return "".join(f"/{escape_pointer_token(str(p))}" for p in parts)


class _Converter:
    def __init__(self, data: dict[str, Any], *, key_storage: str,
                 existing_env: dict[str, str]) -> None:
        self.src = data
        self.key_storage = key_storage
        self.existing_env = existing_env
        self.out = Conversion(dict(HEADER))
        env = data.get("env")
        self.env_names = {n for n in env if isinstance(n, str)} if isinstance(env, list) else set()

    def drop(self, pointer: str, reason: str) -> None:
        key = pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
        self.out.dropped.append(Dropped(pointer, key, reason))

    # --- keys -----------------------------------------------------------------------------
    def _secret_name(self, base: str, value: str) -> str:
        name, counter = base, 1
        while True:
            taken = self.out.secrets.get(name, self.existing_env.get(name))
            if taken is None or taken == value:
                return name
            counter += 1
            name = f"{base}_{counter}"

    def key(self, raw: Any, entry: dict[str, Any], pointer: str) -> Any:
        """Return the YAML apiKey for a config.json key: a secret reference or the literal."""
        if not isinstance(raw, str):
            return raw
        if raw in self.env_names:
            return _reference(raw)
        if self.key_storage != "dotenv" or not raw.strip() or PLACEHOLDERS.match(raw.strip()):
            return raw
        if not substitutes_safely(raw):
            self.out.warnings.append(f"{pointer}: the key has characters that break config.yaml "
                                     "when Continue substitutes a secret as text; left inline")
            return raw
        api_base = entry.get("apiBase")
        if split_langdock(api_base if isinstance(api_base, str) else None) is not None:
            base = KEY_ENV
        else:
            provider = re.sub(r"[^A-Za-z0-9]+", "_", str(entry.get("provider") or "MODEL"))
            base = f"{provider.upper().strip('_') or 'MODEL'}_API_KEY"
        name = self._secret_name(base, raw)
        if name not in self.out.secrets and name not in self.existing_env and base != KEY_ENV:
            self.out.warnings.append(f"{pointer}: the inline key is stored in .env as {name}")
        self.out.secrets[name] = raw
        return _reference(name)

    def refs(self, value: Any) -> Any:
        """Replace strings equal to an ``env`` name, as Continue's text substitution does."""
        if isinstance(value, str):
            return _reference(value) if value in self.env_names else value
        if isinstance(value, list):
            return [self.refs(v) for v in value]
        if isinstance(value, dict):
            return {k: self.refs(v) for k, v in value.items()}
        return value

    # --- models ---------------------------------------------------------------------------
    def model(self, raw: dict[str, Any], pointer: str, roles: list[str],
              fallback_name: str) -> dict[str, Any]:
        title = raw.get("title")
        entry: dict[str, Any] = {"name": title if isinstance(title, str) and title.strip()
                                 else fallback_name}
        if entry["name"] == fallback_name:
            self.out.warnings.append(f"{pointer}: no title; named it {fallback_name!r}")
        for key in _COPIED:
            if key in raw:
                entry[key] = deep_copy(raw[key])
        if "apiKey" in entry:
            entry["apiKey"] = self.key(raw["apiKey"], raw, f"{pointer}/apiKey")
        entry["roles"] = roles
        options = raw.get("completionOptions")
        if isinstance(options, dict):
            kept = {k: v for k, v in options.items() if k in _COMPLETION}
            for key in options:
                if key not in _COMPLETION:
                    self.drop(f"{pointer}/completionOptions/{escape_pointer_token(key)}",
                              "config.yaml's defaultCompletionOptions has no such option")
            if kept:
                entry["defaultCompletionOptions"] = kept
        capabilities = raw.get("capabilities")
        if isinstance(capabilities, dict):
            entry["capabilities"] = [_CAPABILITIES[k] for k, v in capabilities.items()
                                     if v is True and k in _CAPABILITIES]
        if isinstance(raw.get("systemMessage"), str):
            entry.setdefault("chatOptions", {})["baseSystemMessage"] = raw["systemMessage"]
        handled = {"title", "completionOptions", "capabilities", "systemMessage", "roles",
                   *_COPIED}
        for key in raw:
            if key not in handled:
                self.drop(f"{pointer}/{escape_pointer_token(key)}",
                          "config.yaml models have no such field")
        return self.refs(entry)  # type: ignore[no-any-return]

    def models(self) -> list[dict[str, Any]]:
        roles_of = self._model_roles()
        result: list[dict[str, Any]] = []
        models = self.src.get("models")
        for index, raw in enumerate(models if isinstance(models, list) else []):
            if not isinstance(raw, dict):
                self.drop(_ptr("models", index), "not a model object")
                continue
            title = raw.get("title")
            result.append(self.model(raw, _ptr("models", index), roles_of(title),
                                     f"Model {index + 1}"))
        tab = self.src.get("tabAutocompleteModel")
        items = tab if isinstance(tab, list) else [tab] if isinstance(tab, dict) else []
        for index, raw in enumerate(items):
            pointer = _ptr("tabAutocompleteModel", index) if isinstance(tab, list) else (
                "/tabAutocompleteModel")
            if not isinstance(raw, dict):
                self.drop(pointer, "not a model object")
                continue
            entry = self.model(raw, pointer, ["autocomplete"], "Autocomplete")
            twin = next((m for m in result if _same_model(m, entry)), None)
            if twin is not None:
                twin["roles"] = [*twin["roles"], "autocomplete"]
                continue
            if any(m["name"] == entry["name"] for m in result):
                entry["name"] = f"{entry['name']} (autocomplete)"
            result.append(entry)
        result.extend(self._embed_rerank())
        return result

    def _model_roles(self) -> Any:
        """Return title -> roles: chat, edit, apply unless experimental.modelRoles picks one."""
        experimental = self.src.get("experimental")
        chosen = experimental.get("modelRoles") if isinstance(experimental, dict) else None
        chosen = chosen if isinstance(chosen, dict) else {}
        edit, apply = chosen.get("inlineEdit"), chosen.get("applyCodeBlock")

        def roles(title: Any) -> list[str]:
            out = ["chat"]
            if edit is None or edit == title:
                out.append("edit")
            if apply is None or apply == title:
                out.append("apply")
            return out

        return roles

    def _embed_rerank(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = []
        embed = self.src.get("embeddingsProvider")
        if isinstance(embed, dict):
            entry = {"title": "Embeddings Model", **embed}
            options = {k2: entry.pop(k) for k, k2 in (("maxEmbeddingChunkSize", "maxChunkSize"),
                                                      ("maxEmbeddingBatchSize", "maxBatchSize"))
                       if k in entry}
            if options:
                entry["embedOptions"] = options
            entry.setdefault("model", entry.get("provider"))
            result.append(self.model(entry, "/embeddingsProvider", ["embed"], "Embeddings Model"))
        rerank = self.src.get("reranker")
        if isinstance(rerank, dict) and isinstance(rerank.get("name"), str):
            given = rerank.get("params")
            params: dict[str, Any] = given if isinstance(given, dict) else {}
            entry = {"title": "Reranker", "provider": rerank["name"],
                     "model": params.get("model", rerank["name"])}
            for key, value in params.items():
                if key in ("apiKey", "apiBase"):
                    entry[key] = value
                elif key != "model":
                    self.drop(f"/reranker/params/{escape_pointer_token(key)}",
                              "config.yaml rerank models have no such field")
            result.append(self.model(entry, "/reranker", ["rerank"], "Reranker"))
        return result

    # --- everything else ------------------------------------------------------------------
    def convert(self) -> Conversion:
        data = self.out.data
        data["models"] = self.models()
        if isinstance(self.src.get("requestOptions"), dict):
            data["requestOptions"] = self.refs(self.src["requestOptions"])
        if isinstance(self.src.get("systemMessage"), str):
            data["rules"] = [self.src["systemMessage"]]
        self._lists(data)
        self._experimental(data)
        handled = {"models", "tabAutocompleteModel", "embeddingsProvider", "reranker",
                   "requestOptions", "systemMessage", "customCommands", "contextProviders",
                   "docs", "experimental", "env", "data"}
        for key in self.src:
            if key in _NO_YAML_HOME:
                self.drop(_ptr(key), _NO_YAML_HOME[key])
            elif key not in handled:
                self.drop(_ptr(key), "not a config.json field Continue knows")
        return self.out

    def _lists(self, data: dict[str, Any]) -> None:
        commands = self.src.get("customCommands")
        if isinstance(commands, list):
            data["prompts"] = [
                {k: c[k] for k in ("name", "description", "prompt") if k in c}
                for c in commands if isinstance(c, dict)
            ]
        providers = self.src.get("contextProviders")
        if isinstance(providers, list):
            data["context"] = [
                {"provider": p.get("name"), **({"params": self.refs(p["params"])}
                                               if p.get("params") else {})}
                for p in providers if isinstance(p, dict)
            ]
        docs = self.src.get("docs")
        if isinstance(docs, list):
            converted = []
            for index, doc in enumerate(docs):
                if not isinstance(doc, dict):
                    continue
                item = {"name": doc.get("title"), "startUrl": doc.get("startUrl")}
                item.update({k: doc[k] for k in ("rootUrl", "faviconUrl", "useLocalCrawling")
                             if k in doc})
                for key in doc:
                    if key not in ("title", "startUrl", "rootUrl", "faviconUrl",
                                   "useLocalCrawling"):
                        self.drop(_ptr("docs", index, key), "config.yaml docs have no such field")
                converted.append(item)
            data["docs"] = converted
        if isinstance(self.src.get("data"), list):
            data["data"] = self.refs(self.src["data"])

    def _experimental(self, data: dict[str, Any]) -> None:
        experimental = self.src.get("experimental")
        if not isinstance(experimental, dict):
            return
        servers = experimental.get("modelContextProtocolServers")
        if isinstance(servers, list):
            data["mcpServers"] = [_mcp(s, i) for i, s in enumerate(servers) if isinstance(s, dict)]
        for key in experimental:
            if key not in ("modelContextProtocolServers", "modelRoles"):
                self.drop(_ptr("experimental", key), "config.yaml has no such experimental option")
        roles = experimental.get("modelRoles")
        for key in roles if isinstance(roles, dict) else {}:
            if key not in ("inlineEdit", "applyCodeBlock"):
                self.drop(_ptr("experimental", "modelRoles", key),
                          "config.yaml roles have no equivalent")


def _same_model(a: dict[str, Any], b: dict[str, Any]) -> bool:
    def strip(m: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in m.items() if k not in ("roles", "name")}

    return a["name"] == b["name"] and strip(a) == strip(b)


def _mcp(server: dict[str, Any], index: int) -> dict[str, Any]:
    inner = server.get("transport")
    transport: dict[str, Any] = inner if isinstance(inner, dict) else server
    name = server.get("name") or transport.get("command") or f"MCP server {index + 1}"
    item: dict[str, Any] = {"name": str(name)}
    for key in ("type", "command", "args", "env", "url"):
        if key in transport and not (key == "type" and transport[key] == "stdio"):
            item[key] = transport[key]
    return item


def convert(data: dict[str, Any], *, key_storage: str = "inline",
            existing_env: dict[str, str] | None = None) -> Conversion:
    """Convert config.json data to config.yaml data; report what has no YAML home."""
    return _Converter(data, key_storage=key_storage, existing_env=existing_env or {}).convert()
