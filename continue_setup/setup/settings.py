"""What ``init`` was asked to do, checked once: key, region, base URL, entries, format."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from continue_setup.config.entries import LANGDOCK_HOST
from continue_setup.config.keys import Secret
from continue_setup.errors import UsageError
from continue_setup.records import Frozen

PUBLIC_BASE = f"https://{LANGDOCK_HOST}"
DEPLOYMENT_SUFFIX = "/api/public"
REGIONS = ("eu", "us")
DEFAULT_ENTRIES = ("gpt", "claude", "codestral")

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Literal

    Storage = Literal["inline", "dotenv"]
    FormatChoice = Literal["auto", "json", "yaml"]


def is_loopback(host: str | None) -> bool:
    """Tell whether ``host`` is this machine (tests and local gateways use plain http there)."""
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normalize_base_url(url: str | None) -> tuple[str, list[str]]:
    """Return the base URL every apiBase starts with, and notes on what was changed."""
    if url is None or not url.strip():
        return PUBLIC_BASE, []
    notes: list[str] = []
    raw = url.strip()
    try:
        parts = urlsplit(raw)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as e:
        raise UsageError(f"--base-url {raw!r} is not a valid URL: {e}") from None
    if parts.scheme not in ("https", "http") or not host:
        raise UsageError(
            f"--base-url {raw!r} is not an http(s) URL",
            hint="Give your deployment's URL, for example https://acme.langdock.com/api/public.",
        )
    if parts.scheme == "http" and not is_loopback(host):
        raise UsageError(
            f"--base-url {raw!r} uses plain http",
            hint="The key would travel unencrypted: use https (plain http is only for "
            "127.0.0.1 and localhost).",
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        raise UsageError(
            f"--base-url {raw!r} has a query, fragment or credentials",
            hint="Give only scheme, host and path.",
        )
    path = re.sub(r"/{2,}", "/", parts.path).rstrip("/")
    route = re.search(r"/(openai|anthropic|mistral|google)(/|$)", path)
    if route:
        raise UsageError(
            f"--base-url {raw!r} already contains the route /{route.group(1)}/",
            hint="Give the deployment's base only (https://acme.langdock.com/api/public); "
            "continue-setup adds /openai/{region}/v1 and the others.",
        )
    if host == LANGDOCK_HOST:
        return PUBLIC_BASE, notes
    if not path and not is_loopback(host):
        path = DEPLOYMENT_SUFFIX
        notes.append(f"added {DEPLOYMENT_SUFFIX} to the deployment URL, as Langdock documents")
    netloc = parts.netloc.lower()
    return f"{parts.scheme}://{netloc}{path}", notes


def check_region(region: str) -> str:
    """Return ``region`` lower-cased, or refuse it with the valid ones."""
    value = region.strip().lower()
    if value not in REGIONS:
        raise UsageError(f"unknown region {region!r}", hint=f"Valid regions: {', '.join(REGIONS)}.")
    return value


class Settings(Frozen):
    """The checked inputs of ``init`` (checked where they are read: options, prompts, org file).

    A plain read-only record, not a pydantic model: init never validates untrusted data
    here, and importing pydantic cost more than the rest of ``init --no-ping``. Its repr
    names no field that echoes input (the key's own repr is masked as well).
    """

    __slots__ = (
        "api_key",
        "base_url",
        "carry_over",
        "entries",
        "force",
        "format",
        "key_storage",
        "models",
        "region",
        "request_options",
    )
    _REPR = ("region", "base_url", "entries", "format")
    api_key: Secret
    region: str
    base_url: str
    entries: tuple[str, ...]
    models: dict[str, str]
    key_storage: Storage | None
    format: FormatChoice
    force: bool
    carry_over: bool  # config.json's own models into config.yaml (setup.carry)
    request_options: dict[str, object]

    def __init__(self, *, api_key: Secret, region: str = "eu", base_url: str = PUBLIC_BASE,
                 entries: tuple[str, ...] = DEFAULT_ENTRIES,
                 models: dict[str, str] | None = None, key_storage: Storage | None = None,
                 format: FormatChoice = "auto", force: bool = False, carry_over: bool = False,
                 request_options: dict[str, object] | None = None) -> None:
        self._set(api_key=api_key, region=region, base_url=base_url, entries=entries,
                  models={} if models is None else models, key_storage=key_storage,
                  format=format, force=force, carry_over=carry_over,
                  request_options={} if request_options is None else request_options)
