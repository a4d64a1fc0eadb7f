"""Smoke tests: call every entry the way Continue will, all at once, one verdict each."""

from __future__ import annotations

import asyncio
import json
import random
import re
from collections.abc import Coroutine, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from continue_setup.config import redact
from continue_setup.config.entries import sends_own_auth
from continue_setup.probe.modellists import ModelList, closest, fetch_list, models_url
from continue_setup.probe.targets import Skipped, Target
from continue_setup.probe.transport import (
    Pool,
    Tls,
    base_headers,
    choose_proxy,
    exchange,
    run_sync,
    tls_from_options,
)
from continue_setup.probe.verdicts import (
    RETRYABLE,
    SseWatch,
    Verdict,
    backoff,
    hint_for,
    judge,
    retry_after,
)

TOKEN_CAP = 16  # OpenAI's minimum for max_output_tokens; an answer cut short still passes
CONCURRENCY = 8
FIM_PROMPT, FIM_SUFFIX = "def add(a, b):\n    return", "\n"


@dataclass(frozen=True)
class Options:
    """How to probe: per-probe timeout, streaming, retries, fleet jitter, environment."""

    timeout: float = 15.0
    stream: bool = False
    retries: int = 0
    jitter: float = 0.0
    concurrency: int = CONCURRENCY
    check_models: bool = True
    environ: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Probe:
    """The exact request one target gets."""

    target: Target
    kind: str  # "chat", "responses", "messages" or "fim"
    url: str
    headers: dict[str, str]
    body: dict[str, Any]
    stream: bool
    timeout: float
    tls: Tls
    proxy: str | None


@dataclass
class ProbeResult:
    """One entry's verdict: exactly one category, never an exception."""

    title: str
    provider: str
    model: str
    kind: str
    url: str
    category: str
    status: int | None = None
    latency_ms: int | None = None
    message: str = ""
    hint: str = ""
    role: str = "chat"
    attempts: int = 0
    suggestions: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.category == "ok"

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form of this result."""
        data = asdict(self)
        data["ok"] = self.ok
        data["suggestions"] = list(self.suggestions)
        return data


@dataclass
class PingReport:
    """Every verdict of a run, and the entries left out."""

    results: list[ProbeResult]
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form of the report."""
        return {"ok": self.ok, "results": [r.to_dict() for r in self.results],
                "skipped": [asdict(s) for s in self.skipped]}


# --- which entries, and the request each gets --------------------------------------------


def is_reasoning_model(model: str) -> bool:
    """Tell whether Continue treats ``model`` as o-series or gpt-5+ (isOSeriesOrGpt5PlusModel)."""
    return bool(re.match(r"o[0-9]+", model) or re.search(r"gpt-[5-9]", model))


def join_url(api_base: str, path: str) -> str:
    """Join like Continue: ``new URL(path, apiBase)`` after making apiBase end with ``/``."""
    return urljoin(api_base if api_base.endswith("/") else api_base + "/", path)


def kind_of(target: Target) -> str:
    """Return which endpoint Continue calls for this target."""
    if target.provider == "anthropic":
        return "messages"
    if target.provider == "mistral" and target.role == "autocomplete":
        return "fim"
    if target.provider == "openai" and target.use_responses_api and is_reasoning_model(
            target.model):
        return "responses"
    return "chat"


_PATHS = {"chat": "chat/completions", "responses": "responses", "messages": "messages",
          "fim": "fim/completions"}


def _request(kind: str, model: str, key: str, stream: bool) -> tuple[dict[str, str],
                                                                        dict[str, Any]]:
    """Return the headers and body Continue sends on this route, capped at TOKEN_CAP."""
    json_headers = {"Content-Type": "application/json", "Accept": "application/json"}
    messages = [{"role": "user", "content": "ping"}]
    body: dict[str, Any]
    if kind == "messages":  # AnthropicUtils.getAnthropicHeaders: no Authorization
        headers = {**json_headers, "anthropic-version": "2023-06-01", "x-api-key": key}
        body = {"model": model, "max_tokens": TOKEN_CAP, "messages": messages}
    elif kind == "fim":  # OpenAI.ts _streamFim: both headers
        headers = {**json_headers, "x-api-key": key, "Authorization": f"Bearer {key}"}
        body = {"model": model, "prompt": FIM_PROMPT, "suffix": FIM_SUFFIX,
                "max_tokens": TOKEN_CAP}
    else:
        headers = {**json_headers, "Authorization": f"Bearer {key}", "api-key": key}
        if kind == "responses":
            body = {"model": model, "input": "ping", "max_output_tokens": TOKEN_CAP,
                    "reasoning": {"effort": "medium", "summary": "auto"},
                    "include": ["reasoning.encrypted_content"]}
        else:
            cap = "max_completion_tokens" if is_reasoning_model(model) else "max_tokens"
            body = {"model": model, "messages": messages, cap: TOKEN_CAP}
    if stream:
        body["stream"] = True
        if kind == "chat":
            body["stream_options"] = {"include_usage": True}
    return headers, body


def plan_probe(target: Target, options: Options) -> Probe | ProbeResult:
    """Build the request for ``target``, or its verdict when it cannot be sent at all."""
    kind = kind_of(target)
    url = join_url(target.api_base, _PATHS[kind])
    parts = urlsplit(url)
    ro = target.request_options
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return _result(target, kind, url, Verdict(
            "not_found", f"apiBase {target.api_base!r} is not an http(s) URL"))
    if not target.api_key and not sends_own_auth(ro):
        return _result(target, kind, url, Verdict("auth", target.key_problem))
    # With no apiKey, Continue's template renders JavaScript's "undefined" where the key
    # goes; the entry's own auth header (merged below) then replaces it.
    key = target.api_key or "undefined"
    headers, body = _request(kind, target.model, key, options.stream)
    extra = ro.get("extraBodyProperties")
    if isinstance(extra, dict):  # Continue merges these into every body
        capped = {k: v for k, v in body.items() if k.startswith("max_") or k.startswith("stream")}
        body = {**body, **extra, **capped}
    own = ro.get("headers")
    if isinstance(own, dict):  # requestOptions.headers win, as in Continue's fetch
        headers.update({str(k): str(v) for k, v in own.items() if isinstance(v, str)})
    timeout = options.timeout
    if isinstance(ro.get("timeout"), (int, float)) and not isinstance(ro.get("timeout"), bool) \
            and ro["timeout"] > 0:
        timeout = min(timeout, float(ro["timeout"]))  # Continue's timeout is in seconds
    return Probe(target, kind, url, {**base_headers(), **headers}, body, options.stream,
                 timeout, tls_from_options(ro), choose_proxy(url, ro, options.environ))


def _result(target: Target, kind: str, url: str, verdict: Verdict, *, status: int | None = None,
            latency: int | None = None, attempts: int = 0, stream: bool = False,
            suggestions: tuple[str, ...] = (), notes: tuple[str, ...] = ()) -> ProbeResult:
    return ProbeResult(target.title, target.provider, target.model, kind, url, verdict.category,
                       status, latency, verdict.message,
                       hint_for(verdict.category, kind=kind, stream=stream,
                                suggestions=suggestions, notes=notes, message=verdict.message),
                       target.role, attempts, suggestions)


# --- running ------------------------------------------------------------------------------


async def _send(pool: Pool, limit: asyncio.Semaphore, probe: Probe, retries: int) -> ProbeResult:
    attempt = 0
    while True:
        attempt += 1
        watch = SseWatch() if probe.stream else None
        async with limit:
            answer = await exchange(pool, method="POST", url=probe.url, headers=probe.headers,
                                    body=json.dumps(probe.body).encode(), timeout=probe.timeout,
                                    tls=probe.tls, proxy=probe.proxy, watch=watch)
        if answer.failure is not None:
            verdict = answer.failure
            if verdict.category == "timeout" and watch is not None and watch.events:
                verdict = Verdict("timeout", f"the stream started ({watch.events} events) but "
                                  f"did not finish within {probe.timeout:g} s")
        else:
            verdict = judge(probe.kind, answer.status or 0, answer.headers, answer.body,
                            truncated=answer.truncated, eof=answer.eof, watch=watch,
                            model=probe.target.model)
        wait = backoff(attempt, retry_after(answer.headers)) if (
            verdict.category in RETRYABLE and attempt <= retries) else None
        if wait is None:
            notes = pool.problems(probe.tls) if verdict.category == "tls" else ()
            return _result(probe.target, probe.kind, probe.url, verdict, status=answer.status,
                           latency=answer.latency_ms, attempts=attempt, stream=probe.stream,
                           notes=notes)
        await asyncio.sleep(wait)


def refine(result: ProbeResult, listing: ModelList | None) -> ProbeResult:
    """Turn a failed probe of a model the workspace does not list into not_found."""
    if result.ok or listing is None or not listing.ok or result.model in listing.models:
        return result
    close = closest(result.model, listing.models)
    got = f" (the probe got: {result.message})" if result.message else ""
    result.category = "not_found"
    result.message = (f"{result.model} is not among the {len(listing.models)} models this key "
                      f"can use at {listing.url}{got}")
    result.suggestions = close
    result.hint = hint_for("not_found", kind=result.kind, suggestions=close)
    return result


async def _ping(targets: list[Target], options: Options) -> list[ProbeResult]:
    if options.jitter > 0:  # spread a fleet's probes over time (shared rate limits)
        await asyncio.sleep(random.uniform(0, options.jitter))
    planned = [plan_probe(t, options) for t in targets]
    pool = Pool(environ=options.environ, limit=options.concurrency)
    limit = asyncio.Semaphore(options.concurrency)
    wanted: dict[tuple[str, str], Coroutine[Any, Any, ModelList]] = {}
    for plan in planned:
        if not isinstance(plan, Probe) or not plan.target.api_key or not options.check_models:
            continue
        url = models_url(plan.target.api_base)
        if url and (url, plan.target.api_key) not in wanted:
            wanted[(url, plan.target.api_key)] = fetch_list(
                pool, limit, route=plan.target.provider, url=url, key=plan.target.api_key,
                timeout=options.timeout, retries=options.retries, environ=options.environ,
                request_options=plan.target.request_options)

    async def one(plan: Probe | ProbeResult) -> ProbeResult:
        return plan if isinstance(plan, ProbeResult) else await _send(
            pool, limit, plan, options.retries)

    try:
        # The zero-token lists run alongside the probes: they only explain failures, so
        # waiting for them first would add a round trip to every run.
        lists, results = await asyncio.gather(asyncio.gather(*wanted.values()),
                                              asyncio.gather(*(one(p) for p in planned)))
    finally:
        await pool.aclose()
    by_key = dict(zip(wanted, lists, strict=True))
    for plan, result in zip(planned, results, strict=True):
        if isinstance(plan, Probe) and plan.target.api_key:
            url = models_url(plan.target.api_base)
            refine(result, by_key.get((url, plan.target.api_key)) if url else None)
    return list(results)


def ping(targets: list[Target], options: Options, skipped: list[Skipped] | None = None
         ) -> PingReport:
    """Probe every target concurrently; return one verdict per target, in order."""
    redact.register_all(t.api_key for t in targets)  # a server may echo the key back
    results = run_sync(_ping(targets, options), options.concurrency) if targets else []
    return PingReport(results, skipped or [])
