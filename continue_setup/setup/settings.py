"""What ``init`` was asked to do, checked once: key, region, base URL, entries, format."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

from continue_setup.config.entries import LANGDOCK_HOST
from continue_setup.config.keys import Secret
from continue_setup.errors import UsageError

PUBLIC_BASE = f"https://{LANGDOCK_HOST}"
DEPLOYMENT_SUFFIX = "/api/public"
REGIONS = ("eu", "us")
DEFAULT_ENTRIES = ("gpt", "claude", "codestral")

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


@dataclass(frozen=True, kw_only=True)
class Settings:
    """The checked inputs of ``init`` (checked where they are read: options, prompts, org file).

    A plain dataclass, not a pydantic model: init never validates untrusted data here, and
    importing pydantic cost more than the rest of ``init --no-ping``.
    """

    api_key: Secret
    region: str = "eu"
    base_url: str = PUBLIC_BASE
    entries: tuple[str, ...] = DEFAULT_ENTRIES
    models: dict[str, str] = field(default_factory=dict)
    key_storage: Storage | None = None
    format: FormatChoice = "auto"
    force: bool = False
    carry_over: bool = False  # config.json's own models into config.yaml (setup.carry)
    request_options: dict[str, object] = field(default_factory=dict)

    def __repr__(self) -> str:
        # The key's own repr is masked; say so explicitly so no field ever echoes input.
        return f"Settings(region={self.region!r}, base_url={self.base_url!r}, " \
               f"entries={self.entries!r}, format={self.format!r})"
