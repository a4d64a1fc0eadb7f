"""Which models a key can use: Langdock's zero-token list endpoints, read leniently."""

from __future__ import annotations

import asyncio
import difflib
import functools
import ipaddress
import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from continue_setup.config.entries import split_langdock
from continue_setup.probe.pool import Pool
from continue_setup.probe.transport import (
    base_headers,
    choose_proxy,
    exchange,
    run_sync,
    tls_from_options,
)
from continue_setup.probe.verdicts import RETRYABLE, Verdict, backoff, hint_for, judge, retry_after

ROUTES = ("openai", "anthropic")  # Langdock documents no list for the Mistral route
_LOCAL_ROUTE = re.compile(r"/(openai|anthropic)/[^/]+/v1/?$")


@dataclass
class ModelList:
    """The model ids one route lists for a key, or why it could not list them."""

    route: str
    url: str
    category: str
    status: int | None = None
    latency_ms: int | None = None
    message: str = ""
    hint: str = ""
    models: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.category == "ok"

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form of this list."""
        return {**asdict(self), "ok": self.ok}


def parse_model_ids(body: bytes) -> list[str]:
    """Read model ids leniently: ``data[*].id``, a bare array, or Google-style names."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return []
    items: Any = data
    if isinstance(data, dict):
        items = data.get("data") if isinstance(data.get("data"), list) else data.get("models")
    ids: list[str] = []
    for item in items if isinstance(items, list) else []:
        value = (item.get("id") or item.get("name")) if isinstance(item, dict) else item
        if isinstance(value, str) and value.strip():
            ids.append(value.strip().removeprefix("models/"))
    return list(dict.fromkeys(ids))


def _is_loopback(host: str | None) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


@functools.lru_cache(maxsize=512)  # asked twice per probe, for a handful of distinct bases
def models_url(api_base: str) -> str | None:
    """Return the list URL for a Langdock openai or anthropic apiBase, else None."""
    split = split_langdock(api_base)
    parts = urlsplit(api_base)
    local = _is_loopback(parts.hostname) and _LOCAL_ROUTE.search(parts.path)
    if (split is not None and split.route in ROUTES and split.region) or local:
        # Same join as the probes: Continue's own listModels calls {apiBase}/models.
        return urljoin(api_base if api_base.endswith("/") else api_base + "/", "models")
    return None


async def fetch_list(pool: Pool, limit: asyncio.Semaphore, *, route: str, url: str, key: str,
                     timeout: float, retries: int, environ: Mapping[str, str],
                     request_options: Mapping[str, Any]) -> ModelList:
    """GET one models list with Bearer auth; retry 429 and 5xx like the probes."""
    headers = {**base_headers(), "Accept": "application/json", "Authorization": f"Bearer {key}"}
    own = request_options.get("headers")
    if isinstance(own, dict):
        headers.update({str(k): v for k, v in own.items() if isinstance(v, str)})
    tls = tls_from_options(request_options)
    proxy = choose_proxy(url, request_options, environ)
    attempt = 0
    while True:
        attempt += 1
        async with limit:
            answer = await exchange(pool, method="GET", url=url, headers=headers, body=None,
                                    timeout=timeout, tls=tls, proxy=proxy)
        ids: list[str] = []
        if answer.failure is not None:
            verdict = answer.failure
        elif answer.status is not None and 200 <= answer.status < 300:
            ids = [] if answer.truncated else parse_model_ids(answer.body)
            verdict = Verdict("ok") if ids else Verdict("bad_response",
                                                        "no model ids in the answer")
        else:
            verdict = judge("chat", answer.status or 0, answer.headers, answer.body)
        wait = backoff(attempt, retry_after(answer.headers)) if (
            verdict.category in RETRYABLE and attempt <= retries) else None
        if wait is None:
            return ModelList(route, url, verdict.category, answer.status, answer.latency_ms,
                             verdict.message, hint_for(verdict.category, kind="models",
                                                      message=verdict.message), ids)
        await asyncio.sleep(wait)


def closest(model: str, ids: list[str]) -> tuple[str, ...]:
    """Return up to three listed ids that look like ``model`` (for "did you mean")."""
    return tuple(difflib.get_close_matches(model, ids, n=3, cutoff=0.5))


def list_models(*, base_url: str, region: str, api_key: str, timeout: float = 15.0,
                retries: int = 0, environ: Mapping[str, str],
                routes: tuple[str, ...] = ROUTES) -> list[ModelList]:
    """List the model ids ``api_key`` can use on each route of a Langdock base URL."""

    async def run() -> list[ModelList]:
        pool = Pool(environ=environ, limit=len(routes))
        limit = asyncio.Semaphore(len(routes))
        try:
            return list(await asyncio.gather(*(
                fetch_list(pool, limit, route=route, key=api_key, timeout=timeout,
                           retries=retries, environ=environ, request_options={},
                           url=f"{base_url}/{route}/{region}/v1/models")
                for route in routes)))
        finally:
            await pool.aclose()

    return run_sync(run())
