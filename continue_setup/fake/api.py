"""What the fake Langdock answers: routes, model lists, error envelopes, bodies and events.

Shapes follow Langdock's documentation and the providers behind it; the fake server
(``fake.server``) serves them and adds the misbehaviour.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

MODELS = {
    "openai": ["gpt-5.2", "gpt-5.1", "gpt-5", "gpt-5-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-4o",
               "o3", "o4-mini"],
    "anthropic": ["claude-sonnet-4-6-default", "claude-haiku-4-5-default",
                  "claude-sonnet-4-5-20250929"],
    "mistral": ["codestral-2501"],
}
REGIONS = {"openai": ("eu", "us", "global", "ch"), "anthropic": ("eu", "us"), "mistral": ("eu",)}
PATH = re.compile(r"^(?:/api/public)?/(openai|anthropic|mistral)/([^/]+)/v1/"
                  r"(chat/completions|responses|models|messages|fim/completions)$")
KINDS = {"chat/completions": "chat", "responses": "responses", "messages": "messages",
         "fim/completions": "fim", "models": "models"}
ROUTES = {("openai", "chat"), ("openai", "responses"), ("openai", "models"),
          ("anthropic", "messages"), ("anthropic", "models"), ("mistral", "fim")}
_FIM_FIELDS = {"model", "prompt", "suffix", "temperature", "top_p", "max_tokens", "min_tokens",
               "stream", "stop", "random_seed"}  # Langdock's spec: additionalProperties false


MODES = ("ok", "unauthorized", "forbidden", "not_found", "model_unavailable", "bad_request",
         "rate_limited", "server_error", "status", "garbage", "stall", "trickle", "huge",
         "invalid_utf8", "echo_key", "no_done", "hold_stream", "json_for_stream", "disconnect",
         "sse_stripped", "tools_rejected", "responses_minimal")
# sse_stripped: a proxy that buffers streams answers JSON (same as json_for_stream);
# tools_rejected: 400 naming tools when the body offers any (a model without tool calling);
# responses_minimal: a Responses stream the OpenAI SDK rejects ("missing output at index 0").
# mode: (status, message, error type) for the modes that are one plain error answer
PLAIN_ERRORS = {
    "unauthorized": (401, "The provided API key is invalid.", "authentication_error"),
    "forbidden": (403, "Insufficient permissions for this API key.", "permission_error"),
    "not_found": (404, "Not Found", "not_found_error"),
    "bad_request": (400, "Invalid request.", "invalid_request_error"),
    "server_error": (500, "Internal Server Error", "api_error"),
    "status": (500, "", "api_error"),
}


@dataclass
class Behaviour:
    """How to answer: a mode from MODES, plus its knobs."""

    mode: str = "ok"
    delay: float = 0.0  # seconds before answering
    status: int = 500  # for mode "status"
    retry_after: str | None = None  # Retry-After header on 429 (seconds or an HTTP date)
    times: int | None = None  # misbehave only for the first N matching requests
    message: str | None = None
    size: int = 100 * 1024 * 1024  # bytes, for "huge"
    interval: float = 1.0  # seconds between bytes, for "trickle"


def error_body(route: str, message: str, kind: str = "invalid_request_error") -> Any:
    """Return an error in the route's envelope (OpenAI, Anthropic, or Langdock's flat one)."""
    if route == "anthropic":
        return {"type": "error", "error": {"type": kind, "message": message}}
    if route == "openai":
        return {"error": {"message": message, "type": kind, "code": None}}
    return {"message": message}


def models_body(route: str, ids: list[str]) -> Any:
    """Return a models list in the route's shape (OpenAI's list object, Anthropic's page)."""
    if route == "openai":
        return {"object": "list", "data": [{"id": i, "object": "model", "created": 0,
                                            "owned_by": "langdock"} for i in ids]}
    return {"data": [{"id": i, "type": "model", "display_name": i,
                      "created_at": "2026-01-01T00:00:00Z"} for i in ids], "has_more": False}


def unknown_model(route: str, model: str, region: str) -> tuple[int, Any]:
    """Return the status and body for a model id the workspace does not have."""
    if route == "mistral":  # Langdock's flat error; its exact status here is undocumented
        return 400, {"message": f"Model {model} is not available in region {region}."}
    return 404, error_body(route, f"The model `{model}` does not exist or you do not have "
                           "access to it.", "not_found_error")


def sse(events: list[tuple[str | None, Any]]) -> bytes:
    """Encode events as a server-sent event stream."""
    out = []
    for name, data in events:
        text = data if isinstance(data, str) else json.dumps(data)
        out.append((f"event: {name}\n" if name else "") + f"data: {text}\n\n")
    return "".join(out).encode()


def check_body(kind: str, model: str, body: dict[str, Any]) -> str | None:
    """Return why Langdock (or the provider behind it) would reject this body, or None."""
    reasoning = bool(re.match(r"o[0-9]+", model) or re.search(r"gpt-[5-9]", model))
    need = {"chat": ("messages",), "responses": ("input",), "messages": ("messages", "max_tokens"),
            "fim": ("prompt",)}[kind]
    missing = [name for name in ("model", *need) if name not in body]
    if missing:
        return f"missing required field '{missing[0]}'"
    if kind == "chat" and reasoning and "max_tokens" in body:
        return ("Unsupported parameter: 'max_tokens' is not supported with this model. "
                "Use 'max_completion_tokens' instead.")
    if kind == "chat" and "stream_options" in body and not body.get("stream"):
        return "stream_options is only allowed when stream is true"
    cap = body.get("max_output_tokens", 16)
    if kind == "responses" and (not isinstance(cap, int) or cap < 16):
        return "max_output_tokens must be at least 16"
    if kind == "fim" and set(body) - _FIM_FIELDS:
        return f"extra field not permitted: {sorted(set(body) - _FIM_FIELDS)[0]}"
    return None
