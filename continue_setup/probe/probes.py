"""Smoke tests: call every entry the way Continue will, all at once, one verdict each."""

from __future__ import annotations

import asyncio
import functools
import json
import random
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol
from urllib.parse import urljoin, urlsplit

from continue_setup.config import redact
from continue_setup.config.entries import AUTH_HEADERS, sends_own_auth
from continue_setup.config.keys import header_problem, key_problem
from continue_setup.probe.bodies import (
    build,
    is_cn_responses_model,
    is_reasoning_model,
)
from continue_setup.probe.modellists import ModelList, closest, fetch_list, models_url
from continue_setup.probe.pool import Pool
from continue_setup.probe.targets import Skipped, Target
from continue_setup.probe.transport import (
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

CONCURRENCY = 50  # probes in flight at once; model-list lookups come on top
_CLIENT_TAGS = {"ide": " (IDE)", "cn": " (cn)"}


class Listener(Protocol):
    """Who watches a run live (a terminal's progress display); every call is quick."""

    def started(self, titles: list[str]) -> None:
        """The run begins: one row per title, in the order the results come back."""

    def finished(self, index: int, result: ProbeResult) -> None:
        """Probe ``index`` has its verdict (before the model lists refine it)."""

    def waiting(self, index: int | None, text: str) -> None:
        """Say why nothing moves: a retry's backoff (``index``) or the jitter (None)."""

    def ended(self) -> None:
        """The run is over, whatever its outcome."""


@dataclass(frozen=True)
class Options:
    """How to probe: per-probe timeout, streaming, tools, retries, fleet jitter, environment."""

    timeout: float = 15.0
    stream: bool = True  # both Continue clients always stream
    tools: bool = False  # offer one tool, as Agent mode does
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
    tools: bool = False


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
    client: str = ""  # "ide" or "cn" when the two clients are probed apart, else ""

    @property
    def ok(self) -> bool:
        return self.category == "ok"

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form of this result."""
        data = asdict(self)
        data["ok"] = self.ok
        data["suggestions"] = list(self.suggestions)
        return data


def autocomplete_unavailable(result: ProbeResult) -> bool:
    """Tell whether ``result`` is autocomplete whose model the workspace does not serve.

    The one no-Codestral policy of init, ping and doctor: Langdock serves no Mistral model
    today, so working chat entries make a successful set-up, and autocomplete is reported
    as unavailable (with what to do), not as a failure.
    """
    return result.role == "autocomplete" and result.category == "model_unavailable"


@dataclass
class PingReport:
    """Every verdict of a run, and the entries left out."""

    results: list[ProbeResult]
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # secrets the two clients resolve apart

    @property
    def ok(self) -> bool:
        return all(r.ok or autocomplete_unavailable(r) for r in self.results)

    @property
    def unavailable(self) -> list[ProbeResult]:
        """The autocomplete entries whose model the workspace does not serve."""
        return [r for r in self.results if autocomplete_unavailable(r)]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form of the report."""
        return {"ok": self.ok, "results": [r.to_dict() for r in self.results],
                "skipped": [asdict(s) for s in self.skipped], "notes": list(self.notes),
                "autocomplete_unavailable": [r.title for r in self.unavailable]}


# --- which entries, and the request each gets --------------------------------------------


def join_url(api_base: str, path: str) -> str:
    """Join like Continue: ``new URL(path, apiBase)`` after making apiBase end with ``/``."""
    return urljoin(api_base if api_base.endswith("/") else api_base + "/", path)


def kind_of(target: Target) -> str:
    """Return which endpoint the target's client calls for it."""
    if target.provider == "anthropic":
        return "messages"
    if target.provider == "mistral" and target.role == "autocomplete":
        return "fim"
    if target.provider != "openai":
        return "chat"
    if target.client == "cn":  # cn ignores useResponsesApi and the host
        return "responses" if is_cn_responses_model(target.model) else "chat"
    if target.use_responses_api and is_reasoning_model(target.model):
        return "responses"
    return "chat"


# What validate reports in a key or header that sending cannot get past: a 401, or an error
# of the HTTP layer ("Illegal header value"), which ping reported as "network" before.
_UNSENDABLE = ("key-whitespace", "key-control", "key-non-ascii", "header-name")
_PATHS = {"chat": "chat/completions", "responses": "responses", "messages": "messages",
          "fim": "fim/completions"}


def _unsendable(target: Target) -> Verdict | None:
    """Return the verdict for a key or requestOptions header validate reports as holding
    what no request can carry, or None: the same code, words and advice as validate's."""
    problem = key_problem(target.api_key) if target.api_key else None
    if problem is not None and problem[0] in _UNSENDABLE:
        code, words, hint, category = problem[0], f"the apiKey {problem[1]}", None, "auth"
    else:
        own = target.request_options.get("headers")
        found = next((
            (str(name), trouble) for name, value in (own.items() if isinstance(own, dict) else ())
            if isinstance(value, str) and (trouble := header_problem(str(name), value))
            and trouble[0] in _UNSENDABLE), None)
        if found is None:
            return None
        name, (code, words, hint) = found
        category = "auth" if name.lower() in AUTH_HEADERS and code != "header-name" else "network"
    from continue_setup.check.rules.codes import CODES  # loads every rule: only here

    return Verdict(category, f"{words} ({code})", hint or CODES[code].hint)


def plan_probe(target: Target, options: Options) -> Probe | ProbeResult:
    """Build the request for ``target``, or its verdict when it cannot be sent at all."""
    kind = kind_of(target)
    url = join_url(target.api_base, _PATHS[kind])
    parts = urlsplit(url)
    ro = target.request_options
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return _result(target, kind, url, Verdict(
            "not_found", f"apiBase {target.api_base!r} is not an http(s) URL"))
    if target.unresolved:
        return _result(target, kind, url, Verdict("unresolved_secret", target.unresolved))
    if not target.api_key and not sends_own_auth(ro):
        return _result(target, kind, url, Verdict("auth", target.key_problem))
    unsendable = _unsendable(target)
    if unsendable is not None:
        return _result(target, kind, url, unsendable)
    # With no apiKey, Continue's template renders JavaScript's "undefined" where the key
    # goes; the entry's own auth header (merged below) then replaces it.
    key = target.api_key or "undefined"
    headers, body = build(kind, target.model, key, client=target.client,
                          stream=options.stream, tools=options.tools)
    extra = ro.get("extraBodyProperties")
    if isinstance(extra, dict):  # Continue merges these into every body
        capped = {k: v for k, v in body.items() if k.startswith("max_") or k.startswith("stream")}
        body = {**body, **extra, **capped}
    own = ro.get("headers")
    if isinstance(own, dict):  # requestOptions.headers win, as in Continue's fetch
        # Spaces around a value: Node sends them and the server drops them (RFC 9110 5.5);
        # h11 refuses to send them, so they go as the server would read them.
        headers.update({str(k): v.strip(" \t") for k, v in own.items() if isinstance(v, str)})
    literal = next((k for k, v in headers.items() if "${{" in v), None)
    if literal is not None:  # neither client reports it: both send the text as written
        return _result(target, kind, url, Verdict("unresolved_secret", (
            f"the {literal} header would be sent as the literal text "
            f"'{redact.redact(headers[literal])[:80]}': a secret it names is set nowhere "
            "Continue looks")))
    timeout = options.timeout
    if isinstance(ro.get("timeout"), (int, float)) and not isinstance(ro.get("timeout"), bool) \
            and ro["timeout"] > 0:
        timeout = min(timeout, float(ro["timeout"]))  # Continue's timeout is in seconds
    return Probe(target, kind, url, {**base_headers(), **headers}, body, options.stream,
                 timeout, tls_from_options(ro), choose_proxy(url, ro, options.environ),
                 tools=options.tools)


def _result(target: Target, kind: str, url: str, verdict: Verdict, *, status: int | None = None,
            latency: int | None = None, attempts: int = 0, stream: bool = False,
            suggestions: tuple[str, ...] = (), notes: tuple[str, ...] = ()) -> ProbeResult:
    return ProbeResult(target.title, target.provider, target.model, kind, url, verdict.category,
                       status, latency, verdict.message,
                       verdict.hint or hint_for(verdict.category, kind=kind, stream=stream,
                                                suggestions=suggestions, notes=notes,
                                                message=verdict.message),
                       target.role, attempts, suggestions, target.client)


# --- running ------------------------------------------------------------------------------


async def _send(pool: Pool, limit: asyncio.Semaphore, probe: Probe, retries: int,
                on_wait: Callable[[str], None] | None = None) -> ProbeResult:
    attempt = 0
    while True:
        attempt += 1
        watch = SseWatch(probe.kind) if probe.stream else None
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
                            model=probe.target.model, tools=probe.tools)
        wait = backoff(attempt, retry_after(answer.headers)) if (
            verdict.category in RETRYABLE and attempt <= retries) else None
        if wait is None:
            notes = pool.problems(probe.tls) if verdict.category == "tls" else ()
            return _result(probe.target, probe.kind, probe.url, verdict, status=answer.status,
                           latency=answer.latency_ms, attempts=attempt, stream=probe.stream,
                           notes=notes)
        if on_wait is not None:
            on_wait(f"{verdict.category}, retry {attempt} of {retries} in {wait:.1f} s")
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


def _lists_wanted(probes: list[Probe], options: Options) -> dict[tuple[str, str], Target]:
    """Return one target per (models URL, key) whose list can explain a failed probe."""
    wanted: dict[tuple[str, str], Target] = {}
    for probe in probes if options.check_models else []:
        key = probe.target.api_key
        url = models_url(probe.target.api_base) if key else None
        if url and key:
            wanted.setdefault((url, key), probe.target)
    return wanted


async def _ping(targets: list[Target], options: Options,
                listener: Listener | None = None) -> list[ProbeResult]:
    if options.jitter > 0:  # spread a fleet's probes over time (shared rate limits)
        wait = random.uniform(0, options.jitter)
        if listener is not None:
            listener.waiting(None, f"waiting {wait:.1f} s first (--jitter)")
        await asyncio.sleep(wait)
        if listener is not None:
            listener.waiting(None, "")
    planned = [plan_probe(t, options) for t in targets]
    probes = [p for p in planned if isinstance(p, Probe)]
    listed = _lists_wanted(probes, options)
    # As wide as the work (up to options.concurrency): a ping of 30 entries takes as long
    # as its slowest probe, not three waves. The lists get slots of their own, so a probe
    # never waits behind a lookup that only explains failures.
    width = max(1, min(options.concurrency, len(probes)))
    pool = Pool(environ=options.environ, limit=width + len(listed))
    limit = asyncio.Semaphore(width)
    list_limit = asyncio.Semaphore(max(1, len(listed)))
    pool.warm([(p.url, p.tls, p.proxy) for p in probes])
    wanted: dict[tuple[str, str], Coroutine[Any, Any, ModelList]] = {
        (url, key): fetch_list(
            pool, list_limit, route=target.provider, url=url, key=key,
            timeout=options.timeout, retries=options.retries, environ=options.environ,
            request_options=target.request_options)
        for (url, key), target in listed.items()}

    async def one(index: int, plan: Probe | ProbeResult) -> ProbeResult:
        on_wait = None if listener is None else functools.partial(listener.waiting, index)
        result = plan if isinstance(plan, ProbeResult) else await _send(
            pool, limit, plan, options.retries, on_wait)
        if listener is not None:
            listener.finished(index, result)
        return result

    try:
        # The zero-token lists run alongside the probes: they only explain failures, so
        # waiting for them first would add a round trip to every run.
        lists, results = await asyncio.gather(
            asyncio.gather(*wanted.values()),
            asyncio.gather(*(one(i, p) for i, p in enumerate(planned))))
    finally:
        await pool.aclose()
    by_key = dict(zip(wanted, lists, strict=True))
    for plan, result in zip(planned, results, strict=True):
        if isinstance(plan, Probe) and plan.target.api_key:
            url = models_url(plan.target.api_base)
            refine(result, by_key.get((url, plan.target.api_key)) if url else None)
    return list(results)


def ping(targets: list[Target], options: Options, skipped: list[Skipped] | None = None,
         notes: list[str] | None = None, *, listener: Listener | None = None) -> PingReport:
    """Probe every target concurrently; return one verdict per target, in order.

    ``listener`` hears each verdict as it comes (a terminal's live progress).
    """
    redact.register_all(t.api_key for t in targets)  # a server may echo the key back
    # One executor thread per connection that may resolve a name at once.
    workers = max(1, min(options.concurrency, len(targets))) + 2
    if listener is not None and targets:
        listener.started([t.title + _CLIENT_TAGS.get(t.client, "") for t in targets])
    try:
        results = run_sync(_ping(targets, options, listener), workers) if targets else []
    finally:
        if listener is not None and targets:
            listener.ended()
    return PingReport(results, skipped or [], notes or [])
