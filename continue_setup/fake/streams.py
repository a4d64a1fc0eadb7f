"""Successful answers of the fake Langdock, JSON and streamed, in each real API's exact shape.

The event sequences are the ones the clients' parsers need: the OpenAI SDK's
``responses.stream()`` accumulator fails with "missing output at index 0" unless
``response.output_item.added`` and ``response.content_part.added`` come before the first
``response.output_text.delta``; chat-completion and FIM streams end with ``data: [DONE]``;
Anthropic's with ``message_stop``. With ``tools`` in the request, each route answers with
a call of the first tool in its own shape (when it needs no arguments).
"""

from __future__ import annotations

from typing import Any

Event = tuple[str | None, Any]
TEXT = {"chat": "pong", "fim": " a + b", "responses": "pong", "messages": "pong"}


def _tool(body: dict[str, Any]) -> str | None:
    """Return the name of the first tool the request offers (any route's shape) when it can
    be called with no arguments; else None, and the answer is text.

    A call with ``{}`` to a tool that requires arguments would make an agent (cn) retry
    forever, so only argument-free tools are called.
    """
    tools = body.get("tools")
    if not isinstance(tools, list) or not tools or not isinstance(tools[0], dict):
        return None
    first = tools[0]
    inner = first.get("function")
    spec = inner if isinstance(inner, dict) else first
    schema = spec.get("parameters") or spec.get("input_schema") or {}
    if isinstance(schema, dict) and schema.get("required"):
        return None
    name = spec.get("name")
    return name if isinstance(name, str) else None


def answer(kind: str, model: str, body: dict[str, Any] | None = None
           ) -> tuple[Any, list[Event]]:
    """Return the JSON answer and the SSE events (terminal last) of a successful call."""
    tool = _tool(body or {}) if kind != "fim" else None
    if kind in ("chat", "fim"):
        return _chat(kind, model, tool)
    if kind == "responses":
        return _responses(model, tool)
    return _messages(model, tool)


def _chat(kind: str, model: str, tool: str | None) -> tuple[Any, list[Event]]:
    usage = {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4}
    text = TEXT[kind]
    call = {"id": "call_fake", "type": "function",
            "function": {"name": tool, "arguments": "{}"}} if tool else None
    message: dict[str, Any] = {"role": "assistant", "content": None if call else text}
    if call:
        message["tool_calls"] = [call]
    finish = "tool_calls" if call else "length"
    result = {"id": "cmpl-fake", "object": "chat.completion", "created": 0, "model": model,
              "choices": [{"index": 0, "message": message, "finish_reason": finish}],
              "usage": usage}
    head = {"id": "cmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": model}

    def chunk(delta: dict[str, Any], reason: str | None = None) -> dict[str, Any]:
        return {**head, "choices": [{"index": 0, "delta": delta, "finish_reason": reason}]}

    body = [chunk({"tool_calls": [{"index": 0, **call}]})] if call else [
        chunk({"content": text[:2]}), chunk({"content": text[2:]})]
    events: list[Event] = [(None, chunk({"role": "assistant", "content": ""})), *(
        (None, c) for c in body), (None, chunk({}, finish)),
        (None, {**head, "choices": [], "usage": usage}), (None, "[DONE]")]
    return result, events


def _responses(model: str, tool: str | None) -> tuple[Any, list[Event]]:
    text = TEXT["responses"]
    if tool:
        item: dict[str, Any] = {"type": "function_call", "id": "fc_fake", "call_id": "call_fake",
                                "name": tool, "arguments": "{}", "status": "completed"}
    else:
        item = {"type": "message", "id": "msg_fake", "role": "assistant",
                "status": "completed",
                "content": [{"type": "output_text", "text": text, "annotations": []}]}
    base = {"id": "resp_fake", "object": "response", "created_at": 0, "model": model,
            "output": [], "status": "in_progress"}
    done = {**base, "status": "completed", "output": [item],
            "usage": {"input_tokens": 3, "output_tokens": 1, "total_tokens": 4}}
    started = {**item, "status": "in_progress"}
    if tool:
        started["arguments"] = ""
        middle: list[dict[str, Any]] = [
            {"type": "response.output_item.added", "output_index": 0, "item": started},
            {"type": "response.function_call_arguments.delta", "item_id": "fc_fake",
             "output_index": 0, "delta": "{}"},
            {"type": "response.function_call_arguments.done", "item_id": "fc_fake",
             "output_index": 0, "arguments": "{}"},
        ]
    else:
        started["content"] = []
        part = {"item_id": "msg_fake", "output_index": 0, "content_index": 0}
        empty = {"type": "output_text", "text": "", "annotations": []}
        middle = [
            {"type": "response.output_item.added", "output_index": 0, "item": started},
            {"type": "response.content_part.added", **part, "part": empty},
            {"type": "response.output_text.delta", **part, "delta": text[:2]},
            {"type": "response.output_text.delta", **part, "delta": text[2:]},
            {"type": "response.output_text.done", **part, "text": text},
            {"type": "response.content_part.done", **part, "part": {**empty, "text": text}},
        ]
    sequence = [{"type": "response.created", "response": base},
                {"type": "response.in_progress", "response": base}, *middle,
                {"type": "response.output_item.done", "output_index": 0, "item": item},
                {"type": "response.completed", "response": done}]
    return done, [(e["type"], {**e, "sequence_number": n}) for n, e in enumerate(sequence)]


def _messages(model: str, tool: str | None) -> tuple[Any, list[Event]]:
    text = TEXT["messages"]
    block: dict[str, Any] = ({"type": "tool_use", "id": "toolu_fake", "name": tool,
                              "input": {}} if tool else {"type": "text", "text": text})
    stop = "tool_use" if tool else "max_tokens"
    result = {"id": "msg_fake", "type": "message", "role": "assistant", "model": model,
              "content": [block], "stop_reason": stop, "stop_sequence": None,
              "usage": {"input_tokens": 3, "output_tokens": 1}}
    start = {**result, "content": [], "stop_reason": None}
    if tool:
        deltas = [{"type": "input_json_delta", "partial_json": "{}"}]
        opened = {**block, "input": {}}
    else:
        deltas = [{"type": "text_delta", "text": text[:2]}, {"type": "text_delta",
                                                             "text": text[2:]}]
        opened = {"type": "text", "text": ""}
    events: list[Event] = [
        ("message_start", {"type": "message_start", "message": start}),
        ("content_block_start", {"type": "content_block_start", "index": 0,
                                 "content_block": opened}),
        *(("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": d})
          for d in deltas),
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        ("message_delta", {"type": "message_delta", "delta": {"stop_reason": stop,
                                                              "stop_sequence": None},
                           "usage": {"output_tokens": 1}}),
        ("message_stop", {"type": "message_stop"}),
    ]
    return result, events


def minimal_responses(model: str) -> list[Event]:
    """Return a Responses stream without the item and part events the OpenAI SDK needs."""
    _, events = _responses(model, None)
    keep = ("response.created", "response.output_text.delta", "response.completed")
    return [e for e in events if e[0] in keep]
