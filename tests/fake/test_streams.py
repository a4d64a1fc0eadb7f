"""The fake Langdock streams every route as the real API does, and records every request."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest

from continue_setup.fake.server import Behaviour, FakeServer
from tests.fakeserver_fixtures import KEY

ROUTES = {
    "chat": ("/openai/eu/v1/chat/completions",
             {"model": "gpt-4.1", "messages": [{"role": "user", "content": "hi"}]}),
    "responses": ("/openai/eu/v1/responses", {"model": "gpt-5.2", "input": "hi"}),
    "messages": ("/anthropic/eu/v1/messages",
                 {"model": "claude-sonnet-4-6-default", "max_tokens": 16,
                  "messages": [{"role": "user", "content": "hi"}]}),
    "fim": ("/mistral/eu/v1/fim/completions", {"model": "codestral-2501", "prompt": "def f("}),
}
TOOL = {"type": "function", "function": {"name": "get_time", "parameters": {"type": "object"}}}


def stream(fake: FakeServer, kind: str, **extra: Any) -> tuple[int, str, list[tuple[str, Any]]]:
    """POST a streamed request; return status, content type and the (event, data) pairs."""
    path, body = ROUTES[kind]
    request = urllib.request.Request(  # noqa: S310 - the fake server's own http URL
        fake.url + path, data=json.dumps({**body, "stream": True, **extra}).encode(),
        headers={"Authorization": f"Bearer {KEY}", "x-api-key": KEY,
                 "anthropic-version": "2023-06-01", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            text, status = response.read().decode(), response.status
            ctype = response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as e:
        with e:
            return e.code, "", [("", json.loads(e.read()))]
    events, name = [], ""
    for line in text.splitlines():
        if line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: "):
            payload = line[6:]
            events.append((name, payload if payload == "[DONE]" else json.loads(payload)))
            name = ""
    return status, ctype, events


def test_responses_stream_has_every_event_the_openai_sdk_needs_in_order(
        fake: FakeServer) -> None:
    """created, in_progress, item added, part added, deltas, done events, completed; numbered."""
    status, ctype, events = stream(fake, "responses")
    assert status == 200 and ctype == "text/event-stream"
    assert [e for e, _ in events] == [
        "response.created", "response.in_progress", "response.output_item.added",
        "response.content_part.added", "response.output_text.delta",
        "response.output_text.delta", "response.output_text.done", "response.content_part.done",
        "response.output_item.done", "response.completed"]
    assert [d["sequence_number"] for _, d in events] == list(range(len(events)))
    assert all(d["type"] == e for e, d in events)
    assert "".join(d["delta"] for e, d in events if e.endswith("text.delta")) == "pong"


@pytest.mark.parametrize("kind", ["chat", "fim"])
def test_chat_and_fim_streams_are_chunks_ending_in_done(fake: FakeServer, kind: str) -> None:
    """Role chunk, content chunks, a finish chunk, a usage chunk, then data: [DONE]."""
    _, _, events = stream(fake, kind)
    assert events[-1] == ("", "[DONE]")
    chunks = [d for _, d in events[:-1]]
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    assert chunks[-1]["usage"] and chunks[-1]["choices"] == []
    assert chunks[-2]["choices"][0]["finish_reason"] == "length"


def test_anthropic_stream_runs_from_message_start_to_message_stop(fake: FakeServer) -> None:
    """The seven Anthropic event types, in order, each named in its event line and its type."""
    _, _, events = stream(fake, "messages")
    assert [e for e, _ in events] == [
        "message_start", "content_block_start", "content_block_delta", "content_block_delta",
        "content_block_stop", "message_delta", "message_stop"]
    assert all(d["type"] == e for e, d in events)


@pytest.mark.parametrize(("kind", "tool"), [
    ("chat", TOOL),
    ("responses", {"type": "function", "name": "get_time", "parameters": {}}),
    ("messages", {"name": "get_time", "input_schema": {"type": "object"}}),
])
def test_tools_get_a_tool_call_in_the_routes_shape(fake: FakeServer, kind: str,
                                                   tool: dict[str, Any]) -> None:
    """A request offering tools gets a call of the first tool, shaped as its API shapes it."""
    _, _, events = stream(fake, kind, tools=[tool])
    text = json.dumps(events)
    assert "get_time" in text
    if kind == "chat":
        assert events[-3][1]["choices"][0]["finish_reason"] == "tool_calls"
    elif kind == "responses":
        assert events[-1][1]["response"]["output"][0]["type"] == "function_call"
    else:
        assert events[1][1]["content_block"]["type"] == "tool_use"


@pytest.mark.parametrize("mode", ["sse_stripped", "json_for_stream"])
def test_a_stripping_proxy_answers_json_to_a_streamed_request(fake: FakeServer,
                                                              mode: str) -> None:
    """sse_stripped: a 200 JSON body where an event stream was asked for."""
    fake.behaviours["*"] = Behaviour(mode)
    path, body = ROUTES["chat"]
    request = urllib.request.Request(  # noqa: S310
        fake.url + path, data=json.dumps({**body, "stream": True}).encode(),
        headers={"Authorization": f"Bearer {KEY}"})
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
        assert response.headers["Content-Type"] == "application/json"
        assert json.loads(response.read())["object"] == "chat.completion"


def test_tools_rejected_refuses_only_requests_with_tools(fake: FakeServer) -> None:
    """A 400 that names tools when tools are offered; a plain request still streams."""
    fake.behaviours["*"] = Behaviour("tools_rejected")
    status, _, events = stream(fake, "chat", tools=[TOOL])
    assert status == 400 and "tools" in events[0][1]["error"]["message"]
    assert stream(fake, "chat")[0] == 200


def test_responses_minimal_leaves_out_the_item_and_part_events(fake: FakeServer) -> None:
    """The broken Responses stream lacks output_item.added and content_part.added."""
    fake.behaviours["responses"] = Behaviour("responses_minimal")
    names = [e for e, _ in stream(fake, "responses")[2]]
    assert names == ["response.created", "response.output_text.delta",
                     "response.output_text.delta", "response.completed"]


def test_a_stale_key_is_refused_and_every_request_is_recorded(fake: FakeServer) -> None:
    """With keys set, any other key gets 401; method, path, headers and body are recorded."""
    fake.keys = {"good-key"}
    assert stream(fake, "chat")[0] == 401
    seen = fake.recorded("chat")[-1]
    assert (seen.method, seen.path) == ("POST", ROUTES["chat"][0])
    assert seen.headers["authorization"] == f"Bearer {KEY}"
    assert seen.body == {**ROUTES["chat"][1], "stream": True}
