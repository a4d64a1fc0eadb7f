"""Probes against the fake Langdock on 127.0.0.1: what they send, and one verdict per answer."""

from __future__ import annotations

import socket
import time
import tracemalloc
from email.utils import formatdate

import pytest

from continue_setup.fake.server import Behaviour, FakeServer
from continue_setup.probe import probes
from continue_setup.probe.probes import Options, ProbeResult, ping
from continue_setup.probe.targets import Target
from tests.fakeserver_fixtures import KEY

ROUTE = {"openai": "openai", "anthropic": "anthropic", "mistral": "mistral"}


def target(fake: FakeServer, provider: str = "openai", model: str = "gpt-4.1", *,
           role: str = "chat", title: str = "T", slash: str = "", **kwargs: object) -> Target:
    """Build a target on the fake server's route for ``provider``."""
    return Target(title, provider, model, fake.base(ROUTE[provider]) + slash, KEY, role,
                  **kwargs)  # type: ignore[arg-type]


def recipe(fake: FakeServer) -> list[Target]:
    """Langdock's recipe plus an older GPT: responses, chat, messages and FIM."""
    return [target(fake, "openai", "gpt-5.2", title="gpt5"),
            target(fake, "openai", "gpt-4.1", title="gpt4", slash="/"),
            target(fake, "anthropic", "claude-sonnet-4-6-default", title="claude"),
            target(fake, "mistral", "codestral-2501", role="autocomplete", title="codestral")]


def one(fake: FakeServer, t: Target | None = None, **options: object) -> ProbeResult:
    """Probe a single target (gpt-4.1 chat by default) with a short timeout."""
    settings = {"timeout": 2.0, **options}
    return ping([t or target(fake)], Options(**settings)).results[0]  # type: ignore[arg-type]


def test_each_route_gets_exactly_what_continue_sends(fake: FakeServer) -> None:
    """Paths, auth headers, token caps and bodies match Continue's calls, and all pass."""
    report = ping(recipe(fake), Options(timeout=5))
    assert [r.category for r in report.results] == ["ok"] * 4 and report.ok
    sent = {r.kind: r for r in fake.recorded() if r.method == "POST"}
    responses, chat = sent["responses"], sent["chat"]
    messages, fim = sent["messages"], sent["fim"]
    assert responses.path == "/openai/eu/v1/responses"
    assert responses.headers["authorization"] == f"Bearer {KEY}"
    assert responses.headers["api-key"] == KEY
    assert responses.body["max_output_tokens"] == 16 and responses.body["model"] == "gpt-5.2"
    assert chat.path == "/openai/eu/v1/chat/completions"  # the trailing slash made no //
    assert chat.body["max_tokens"] == 16 and chat.body["stream"] is True
    assert messages.path == "/anthropic/eu/v1/messages"
    assert messages.headers["x-api-key"] == KEY
    assert messages.headers["anthropic-version"] == "2023-06-01"
    assert "authorization" not in messages.headers
    assert messages.body["max_tokens"] == 16
    assert fim.path == "/mistral/eu/v1/fim/completions"
    assert fim.headers["authorization"] == f"Bearer {KEY}" and fim.headers["x-api-key"] == KEY
    assert fim.body["prompt"] and "suffix" in fim.body and fim.body["max_tokens"] == 16
    for request in sent.values():
        assert request.headers["content-type"] == "application/json"
        assert request.headers["accept-encoding"] == "identity"


def test_model_lists_are_fetched_with_bearer_for_openai_and_anthropic(fake: FakeServer) -> None:
    """Each Langdock route in use has its zero-token list fetched once, with Bearer auth."""
    ping(recipe(fake), Options(timeout=5))
    lists = [r for r in fake.recorded() if r.kind == "models"]
    assert sorted(r.path for r in lists) == ["/anthropic/eu/v1/models", "/openai/eu/v1/models"]
    assert all(r.headers["authorization"] == f"Bearer {KEY}" for r in lists)


def test_streaming_succeeds_on_every_route_with_continues_flags(fake: FakeServer) -> None:
    """--stream sends stream: true (stream_options on chat) and needs the stream's end."""
    chat5 = target(fake, "openai", "gpt-5.2", title="gpt5-chat", use_responses_api=False)
    report = ping([*recipe(fake), chat5], Options(timeout=5, stream=True))
    assert [r.category for r in report.results] == ["ok"] * 5
    chat = {r.body["model"]: r.body for r in fake.recorded("chat")}  # arrival order varies
    assert {"stream": True, "stream_options": {"include_usage": True}}.items() <= chat[
        "gpt-4.1"].items()
    assert chat["gpt-5.2"]["max_completion_tokens"] == 16 and "max_tokens" not in chat["gpt-5.2"]
    assert all(r.body["stream"] is True for r in fake.recorded() if r.method == "POST")
    assert "stream_options" not in fake.recorded("fim")[0].body


@pytest.mark.parametrize(("mode", "category", "words"), [
    ("no_done", "bad_response", "without [DONE]"),
    ("hold_stream", "timeout", "stream started"),
    ("json_for_stream", "bad_response", "plain JSON"),
])
def test_broken_streams_fail_even_though_plain_requests_pass(fake: FakeServer, mode: str,
                                                              category: str, words: str) -> None:
    """A stream cut short, held open by a buffering proxy, or answered as JSON fails."""
    fake.behaviours["chat"] = Behaviour(mode)
    assert one(fake, stream=False).ok
    result = one(fake, timeout=1.5)
    assert result.category == category and words in result.message


@pytest.mark.parametrize(("behaviour", "category", "status"), [
    (Behaviour("unauthorized"), "auth", 401),
    (Behaviour("forbidden"), "auth", 403),
    (Behaviour("not_found"), "not_found", 404),
    (Behaviour("model_unavailable"), "model_unavailable", 400),
    (Behaviour("rate_limited"), "rate_limited", 429),
    (Behaviour("server_error"), "server_error", 500),
    (Behaviour("status", status=503), "server_error", 503),
    (Behaviour("bad_request", message="stream_options is not supported"), "bad_response", 400),
    (Behaviour("garbage"), "bad_response", 200),
    (Behaviour("invalid_utf8"), "bad_response", 200),
    (Behaviour("huge"), "bad_response", 200),
    (Behaviour("stall"), "timeout", None),
    (Behaviour("trickle"), "timeout", 200),
    (Behaviour("disconnect"), "network", None),
])
def test_every_answer_ends_in_one_verdict(fake: FakeServer, behaviour: Behaviour, category: str,
                                          status: int | None) -> None:
    """Each way the gateway can answer maps to its category, with the status seen."""
    fake.behaviours["*"] = behaviour
    result = one(fake, timeout=1.0)
    assert (result.category, result.status) == (category, status)
    assert result.hint and result.attempts == 1


def test_codestral_unavailable_says_autocomplete_not_bad_key(fake: FakeServer) -> None:
    """Langdock's 'no Mistral models' answer is model_unavailable with the autocomplete hint."""
    fake.behaviours["mistral"] = Behaviour("model_unavailable")
    result = ping(recipe(fake), Options(timeout=5)).results[3]
    assert result.category == "model_unavailable" and result.role == "autocomplete"
    assert "no Mistral models" in result.message
    assert result.hint.startswith("autocomplete unavailable")


def test_a_wrong_key_is_auth(fake: FakeServer) -> None:
    """A key the gateway does not accept is auth, on every route."""
    fake.keys = {"sk-ld-the-right-one"}
    report = ping(recipe(fake), Options(timeout=5))
    assert [r.category for r in report.results] == ["auth"] * 4


def test_a_refused_connection_is_network() -> None:
    """Nothing listening on the port is a network verdict, not an exception."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = ping([Target("T", "openai", "gpt-4.1", f"http://127.0.0.1:{port}/openai/eu/v1",
                          KEY, "chat")], Options(timeout=2)).results[0]
    assert result.category == "network" and result.status is None


@pytest.mark.parametrize("mode", ["stall", "trickle", "huge", "invalid_utf8", "hold_stream"])
def test_hostile_servers_end_within_the_timeout(fake: FakeServer, mode: str) -> None:
    """Never answering, 1 byte/s, 100 MB or invalid UTF-8 all end by the deadline."""
    fake.behaviours["*"] = Behaviour(mode)
    started = time.monotonic()
    result = one(fake, timeout=1.0, stream=mode == "hold_stream")
    assert result.category in ("timeout", "bad_response")
    assert time.monotonic() - started < 2.5


def test_a_huge_body_is_read_with_bounded_memory(fake: FakeServer) -> None:
    """A 100 MB answer stops at the 1 MiB cap; memory stays far below the body's size."""
    fake.behaviours["*"] = Behaviour("huge")
    tracemalloc.start()
    try:
        result = one(fake, timeout=5.0, stream=False)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.category == "bad_response" and "1 MiB" in result.message
    assert peak < 16 * 1024 * 1024


def test_probes_run_concurrently(fake: FakeServer) -> None:
    """Three probes that each take 1 s finish together in well under 2 s."""
    fake.delay = 1.0
    targets = [target(fake, "openai", "gpt-4.1", title="a"),
               target(fake, "anthropic", "claude-sonnet-4-6-default", title="b"),
               target(fake, "mistral", "codestral-2501", role="autocomplete", title="c")]
    started = time.monotonic()
    report = ping(targets, Options(timeout=5))
    elapsed = time.monotonic() - started
    assert report.ok and all(r.latency_ms is not None and r.latency_ms >= 1000
                             for r in report.results)
    assert elapsed < 1.8


def test_retries_honour_retry_after_seconds(fake: FakeServer) -> None:
    """A 429 with Retry-After: 1 is retried after about a second and then passes."""
    fake.behaviours["chat"] = Behaviour("rate_limited", retry_after="1", times=1)
    started = time.monotonic()
    result = one(fake, retries=2, timeout=5)
    assert result.ok and result.attempts == 2
    assert 1.0 <= time.monotonic() - started < 3.0
    assert len(fake.recorded("chat")) == 2


def test_retries_honour_a_retry_after_date(fake: FakeServer) -> None:
    """Retry-After as an HTTP date is waited for too."""
    fake.behaviours["chat"] = Behaviour("rate_limited", retry_after=formatdate(
        time.time() + 1, usegmt=True), times=1)
    result = one(fake, retries=1, timeout=5)
    assert result.ok and result.attempts == 2


def test_retries_back_off_on_5xx_and_stop_when_spent(fake: FakeServer) -> None:
    """5xx without Retry-After is retried with backoff; when retries run out, it stays failed."""
    fake.behaviours["*"] = Behaviour("server_error")
    result = one(fake, retries=2, timeout=5)
    assert result.category == "server_error" and result.attempts == 3
    assert len(fake.recorded("chat")) == 3


def test_no_retries_by_default(fake: FakeServer) -> None:
    """Off by default: a 429 is reported after one attempt."""
    fake.behaviours["*"] = Behaviour("rate_limited", retry_after="1")
    result = one(fake)
    assert result.category == "rate_limited" and result.attempts == 1


def test_an_echoed_key_is_masked_in_the_message(fake: FakeServer) -> None:
    """When the server puts the key in its error, the verdict's message masks it."""
    fake.behaviours["*"] = Behaviour("echo_key")
    result = one(fake)
    assert result.category == "auth"
    assert KEY not in result.message and "********" in result.message


def test_an_unlisted_model_is_not_found_with_suggestions(fake: FakeServer) -> None:
    """A model the workspace does not list is not_found with 'did you mean' from the list."""
    result = one(fake, target(fake, "openai", "gpt-5.3"))
    assert result.category == "not_found"
    assert "gpt-5.2" in result.suggestions and result.hint.startswith("did you mean gpt-5.")
    claude = one(fake, target(fake, "anthropic", "claude-sonnet-4-6"))
    assert claude.category == "not_found"
    assert claude.suggestions[0] == "claude-sonnet-4-6-default"


def test_a_listed_model_that_works_stays_ok_even_if_lists_fail(fake: FakeServer) -> None:
    """The list only explains failures: a broken list never fails a working probe."""
    fake.behaviours["models"] = Behaviour("server_error")
    assert one(fake).ok


def test_dedicated_deployment_paths_work(fake: FakeServer) -> None:
    """A deployment's /api/public prefix reaches the same routes."""
    t = Target("T", "openai", "gpt-4.1", f"{fake.url}/api/public/openai/eu/v1", KEY, "chat")
    assert one(fake, t).ok
    assert fake.recorded("chat")[0].path == "/api/public/openai/eu/v1/chat/completions"


def test_jitter_waits_before_probing(fake: FakeServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """--jitter delays the run by a random time up to the given seconds."""
    monkeypatch.setattr(probes.random, "uniform", lambda low, high: high)
    started = time.monotonic()
    assert one(fake, jitter=0.4).ok
    assert time.monotonic() - started >= 0.4


def test_request_options_headers_reach_the_server(fake: FakeServer) -> None:
    """requestOptions.headers are sent with the probe, as Continue sends them."""
    t = target(fake, request_options={"headers": {"X-Org": "acme"}})
    assert one(fake, t).ok
    assert fake.recorded("chat")[0].headers["x-org"] == "acme"
