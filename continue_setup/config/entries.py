"""One view of the model entries in a config, whichever format it is in."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache

from continue_setup.config.parsing import Document
from continue_setup.config.urls import split
from continue_setup.records import NamedTuple

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any

# Roles a YAML model gets when it names none (core/config/yaml/loadYaml.ts).
DEFAULT_YAML_ROLES = ("chat", "summarize", "apply", "edit")
SECRET_REFERENCE = re.compile(r"\$\{\{\s*secrets\.([^}\s]+)\s*\}\}")
LANGDOCK_HOST = "api.langdock.com"
ROUTES = ("openai", "anthropic", "mistral")
# Headers that carry a key; in requestOptions.headers they replace what the provider sends.
AUTH_HEADERS = frozenset(("authorization", "x-api-key", "api-key"))
# {prefix}/{route}/{region}/v1 on a Langdock host; the prefix is /api/public on a deployment.
_LANGDOCK_PATH = re.compile(
    r"^(?P<prefix>(?:/api/public)?)/(?P<route>openai|anthropic|mistral|google)"
    r"(?:/(?P<region>[^/]+))?(?P<rest>/.*)?$"
)


class LangdockBase(NamedTuple):
    """An apiBase taken apart: base URL, route, region and what follows (``/v1``)."""

    base: str
    route: str
    region: str | None
    rest: str


@lru_cache(maxsize=1024)  # a fleet's configs repeat the same few apiBases
def split_langdock(api_base: str | None, known_bases: tuple[str, ...] = ()) -> LangdockBase | None:
    """Split a Langdock apiBase (public, dedicated deployment, or one of ``known_bases``)."""
    if not api_base or not isinstance(api_base, str):
        return None
    for known in known_bases:
        if api_base.startswith(known + "/"):
            match = _LANGDOCK_PATH.match(re.sub(r"/{2,}", "/", api_base[len(known) :]))
            if match is not None and match["prefix"] == "":
                rest = (match["rest"] or "").rstrip("/")
                return LangdockBase(known, match["route"], match["region"], rest)
    try:
        parts = split(api_base.strip())
    except ValueError:
        return None
    if not parts.scheme or not parts.netloc:
        return None
    path = re.sub(r"/{2,}", "/", parts.path)
    match = _LANGDOCK_PATH.match(path)
    if match is None:
        return None
    if match["prefix"] == "" and parts.hostname != LANGDOCK_HOST:
        return None
    base = f"{parts.scheme}://{parts.netloc}{match['prefix']}"
    return LangdockBase(base, match["route"], match["region"], (match["rest"] or "").rstrip("/"))


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


class Entry:
    """A model entry: where it is and the fields Continue uses to call it.

    Read-only by convention. A plain slotted class: rules read these fields ~20 times per
    config, so they are worked out once, here, rather than on every access.
    """

    __slots__ = ("api_base", "api_key", "format", "model", "pointer", "provider", "raw",
                 "request_options", "roles", "title")

    def __init__(self, pointer: str, raw: dict[str, Any], format: str,
                 roles: tuple[str, ...], request_options: dict[str, Any] | None = None) -> None:
        self.pointer = pointer
        self.raw = raw
        self.format = format
        self.roles = roles
        self.request_options: dict[str, Any] = request_options or {}
        self.title = _text(raw.get("name" if format == "yaml" else "title"))
        self.provider = _text(raw.get("provider"))
        self.model = _text(raw.get("model"))
        self.api_base = _text(raw.get("apiBase"))
        self.api_key = _text(raw.get("apiKey"))

    def __repr__(self) -> str:
        return f"Entry({self.pointer!r}, {self.provider!r}, {self.model!r})"

    @property
    def autocomplete(self) -> bool:
        return "autocomplete" in self.roles

    @property
    def label(self) -> str:
        return self.title or self.model or self.pointer

    @property
    def langdock(self) -> LangdockBase | None:
        return split_langdock(self.api_base)  # cached by apiBase


def sends_own_auth(request_options: Mapping[str, Any]) -> bool:
    """Tell whether ``requestOptions.headers`` carry a key themselves (Continue sends them)."""
    headers = request_options.get("headers")
    return isinstance(headers, dict) and any(str(k).lower() in AUTH_HEADERS for k in headers)


def _merged_options(top: Any, own: Any) -> dict[str, Any]:
    merged: dict[str, Any] = dict(top) if isinstance(top, dict) else {}
    if isinstance(own, dict):
        merged.update(own)  # Continue shallow-merges model options over top-level ones
    return merged


def model_entries(doc: Document) -> tuple[Entry, ...]:
    """Return every model entry Continue would load from ``doc``, in file order."""
    return doc.derive(_entries)


def _entries(doc: Document) -> tuple[Entry, ...]:
    return tuple(_iter_entries(doc))


def _iter_entries(doc: Document) -> Iterator[Entry]:
    data = doc.data
    if not isinstance(data, dict):
        return
    top = data.get("requestOptions")
    models = data.get("models")
    if isinstance(models, list):
        for index, raw in enumerate(models):
            if not isinstance(raw, dict):
                continue
            if doc.format == "yaml":
                if "uses" in raw and "provider" not in raw:
                    continue  # a block reference, resolved by Continue's hub, not here
                roles = raw.get("roles")
                role_tuple = (
                    tuple(r for r in roles if isinstance(r, str))
                    if isinstance(roles, list)
                    else DEFAULT_YAML_ROLES
                )
            else:
                role_tuple = ("chat",)
            yield Entry(
                f"/models/{index}",
                raw,
                doc.format,
                role_tuple,
                _merged_options(top, raw.get("requestOptions")),
            )
    if doc.format == "json":
        tab = data.get("tabAutocompleteModel")
        items = tab if isinstance(tab, list) else [tab]
        for index, raw in enumerate(items):
            if isinstance(raw, dict):
                pointer = (
                    f"/tabAutocompleteModel/{index}"
                    if isinstance(tab, list)
                    else ("/tabAutocompleteModel")
                )
                yield Entry(
                    pointer,
                    raw,
                    "json",
                    ("autocomplete",),
                    _merged_options(top, raw.get("requestOptions")),
                )


def env_names(doc: Document) -> list[str]:
    """Return the names of config.json's top-level ``env`` list (Continue's substitution)."""
    data = doc.data
    if doc.format != "json" or not isinstance(data, dict) or not isinstance(data.get("env"), list):
        return []
    return [name for name in data["env"] if isinstance(name, str)]
