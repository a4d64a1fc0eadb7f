"""What an answer means: one verdict category, the server's own words (masked), and a hint."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from continue_setup.config import redact

CATEGORIES = ("ok", "auth", "not_found", "model_unavailable", "rate_limited", "server_error",
              "timeout", "tls", "network", "bad_response", "unresolved_secret",
              "tools_unsupported")
RETRYABLE = frozenset({"rate_limited", "server_error"})
MAX_MESSAGE = 300
MAX_SSE_LINE = 64 * 1024
BACKOFF_BASE, BACKOFF_CAP, MAX_RETRY_WAIT = 0.5, 8.0, 60.0

# The gateway knows the model id but does not serve it here (Langdock's Codestral page:
# "There are currently no Mistral models available for the API").
_UNAVAILABLE = re.compile(
    r"\bnot (currently )?available\b|\bunavailable\b|\bno\b[\w\s-]{0,40}\bmodels?\b[\w\s-]{0,30}"
    r"\bavailable\b|\bnot (enabled|deployed|activated)\b|\bnot (supported|offered|served) in "
    r"(this|the|your) (region|workspace)\b",
    re.IGNORECASE,
)
# The model id itself is wrong (OpenAI: "The model `x` does not exist").
_UNKNOWN_MODEL = re.compile(
    r"\bmodel\b.{0,80}\b(not found|unknown|does not exist|doesn't exist|invalid|no such)\b|"
    r"\b(unknown|invalid) model\b",
    re.IGNORECASE | re.DOTALL,
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]+")
_SHAPE = {"chat": "choices", "fim": "choices", "responses": "output", "messages": "content"}
_TERMINAL_TYPES = frozenset({"message_stop", "response.completed", "response.incomplete"})
_ERROR_TYPES = frozenset({"error", "response.failed"})
_ANTHROPIC_ERROR = {"authentication_error": "auth", "permission_error": "auth",
                    "not_found_error": "not_found", "rate_limit_error": "rate_limited",
                    "api_error": "server_error", "overloaded_error": "server_error"}


@dataclass(frozen=True)
class Verdict:
    """One category and the message that explains it (already masked)."""

    category: str
    message: str = ""
    hint: str = ""  # when this verdict needs more specific advice than its category's

    @property
    def ok(self) -> bool:
        return self.category == "ok"


def clean(text: str, limit: int = MAX_MESSAGE) -> str:
    """Make server text safe to show: one line, no control characters, short, keys masked."""
    text = redact.redact(_CONTROL.sub(" ", text))
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _error_fields(data: Any) -> tuple[str, str]:
    """Return (message, type) from an OpenAI, Anthropic or Langdock error envelope."""
    if not isinstance(data, dict):
        return "", ""
    error = data.get("error")
    if isinstance(error, dict):
        message = error.get("message")
        kind = error.get("type") or error.get("code")
        return (message if isinstance(message, str) else "", kind if isinstance(kind, str) else "")
    if isinstance(error, str) and error.strip():
        return error, ""
    for key in ("message", "detail"):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value, ""
    return "", ""


def error_details(body: bytes) -> tuple[str, str]:
    """Return the server's error message (masked, one line) and error type from a body."""
    text = body[:MAX_SSE_LINE].decode("utf-8", "replace")
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    message, kind = _error_fields(data)
    if not message and data is None:
        message = re.sub(r"<[^>]*>", " ", text)  # an HTML error page: keep its words
    return clean(message), kind


def classify_status(status: int, message: str, error_type: str = "", *,
                    model: str | None = None) -> str:
    """Map an HTTP error status and the server's words to a verdict category."""
    by_type = _ANTHROPIC_ERROR.get(error_type)
    if status in (401, 403) or by_type == "auth":
        return "auth"
    if status == 429 or by_type == "rate_limited":
        return "rate_limited"
    if status == 408:
        return "timeout"
    if status >= 500 or by_type == "server_error":
        return "server_error"
    if 300 <= status < 400:
        return "not_found"  # a redirect: the apiBase is not the endpoint's real address
    if status in (400, 404, 409, 422) or by_type == "not_found":
        if _UNAVAILABLE.search(message):
            return "model_unavailable"
        if status == 404 or by_type == "not_found" or _UNKNOWN_MODEL.search(message):
            return "not_found"
        if model and model in message:
            return "not_found"
    return "bad_response"


def classify_body(kind: str, body: bytes, *, truncated: bool) -> Verdict:
    """Judge a successful, non-streamed answer: valid UTF-8 JSON of the expected shape."""
    if truncated:
        return Verdict("bad_response", "the answer is larger than 1 MiB; a proxy or gateway "
                       "may be sending something else")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        return Verdict("bad_response", f"the answer is not UTF-8 text (byte {e.start})")
    try:
        data = json.loads(text)
    except ValueError:
        return Verdict("bad_response", f"the answer is not JSON: {clean(text, 80)!r}")
    field = _SHAPE[kind]
    if isinstance(data, dict) and isinstance(data.get(field), list):
        return Verdict("ok")
    message, _ = _error_fields(data)
    detail = f": {clean(message)}" if message else ""
    return Verdict("bad_response", f"the answer has no '{field}' list{detail}")


_STRIPPED = ("Something between you and Langdock (a proxy, a gateway or a security appliance) "
             "ignores stream: true; Continue always streams, so its answers would come back "
             "empty or fail. Ask for text/event-stream to pass unbuffered, or set "
             "requestOptions.proxy to a proxy that streams.")
# What the OpenAI SDK's responses.stream() (used by cn) needs before a text delta.
_RESPONSES_BEFORE_TEXT = ("response.created", "response.output_item.added",
                          "response.content_part.added")


class SseWatch:
    """Follow a server-sent event stream as it arrives; know when it is complete.

    ``kind`` names the route, so its own end is required: ``[DONE]`` for chat and FIM,
    ``message_stop`` for messages, ``response.completed`` for responses (whose events
    must also come in the order the OpenAI SDK accumulates them).
    """

    def __init__(self, kind: str = "") -> None:
        self.kind = kind
        self.seen: set[str] = set()
        self.events = 0
        self.done = False
        self.error: Verdict | None = None
        self._event = ""
        self._partial = bytearray()

    def feed(self, chunk: bytes) -> bool:
        """Take the next bytes; return True once the stream is complete or broken."""
        if self.done:
            return True
        if b"\n" not in chunk:
            self._partial += chunk
            if len(self._partial) > MAX_SSE_LINE:
                self._fail("an event-stream line is longer than 64 KiB")
            return self.done
        data = bytes(self._partial) + chunk
        *lines, rest = data.split(b"\n")
        self._partial = bytearray(rest)
        for line in lines:
            self._line(line.rstrip(b"\r"))
            if self.done:
                break
        return self.done

    def _fail(self, message: str, category: str = "bad_response") -> None:
        self.error = Verdict(category, message)
        self.done = True

    def _line(self, raw: bytes) -> None:
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            self._fail(f"the event stream is not UTF-8 text (byte {e.start} of a line)")
            return
        if not line:
            self._event = ""
        elif line.startswith("event:"):
            self._event = line[6:].strip()
        elif line.startswith("data:"):
            self.events += 1
            self._data(line[5:].strip())

    def _data(self, payload: str) -> None:
        if payload == "[DONE]":
            self.done = self.done or self.kind in ("", "chat", "fim")
            return
        try:
            data = json.loads(payload)
        except ValueError:
            return  # Continue skips what it cannot parse, and so do we
        kind = data.get("type") if isinstance(data, dict) else None
        if self.kind == "responses" and isinstance(kind, str) and not self._in_order(kind):
            return
        if (kind in _TERMINAL_TYPES or self._event == "message_stop") and self.kind in (
                "", "responses", "messages"):
            self.done = True
        elif kind in _ERROR_TYPES or self._event == "error" or (
                isinstance(data, dict) and isinstance(data.get("error"), dict)):
            nested = data.get("response") if kind == "response.failed" else data
            message, error_type = _error_fields(nested)
            category = _ANTHROPIC_ERROR.get(error_type, "server_error")
            self._fail(f"the stream reported an error: {clean(message) or error_type}", category)


    def _in_order(self, kind: str) -> bool:
        """Check a Responses event against the order the OpenAI SDK needs; fail if out."""
        if not self.seen and kind != "response.created":
            self._fail(f"the Responses stream starts with {kind}, not response.created: the "
                       "OpenAI SDK (cn) rejects it")
            return False
        if kind == "response.output_text.delta":
            missing = [k for k in _RESPONSES_BEFORE_TEXT if k not in self.seen]
            if missing:
                self._fail(f"the Responses stream sends text before {missing[0]}: the OpenAI "
                           "SDK (cn) fails with 'missing output at index 0'")
                return False
        self.seen.add(kind)
        return True


def classify_stream(watch: SseWatch, *, eof: bool, truncated: bool, content_type: str) -> Verdict:
    """Judge a streamed answer after reading stopped."""
    if watch.error is not None:
        return watch.error
    if watch.done:
        return Verdict("ok")
    if watch.events == 0 and "json" in content_type:
        return Verdict("bad_response", "asked for a stream but got a plain JSON answer: "
                       "something between you and Langdock ignores stream: true", _STRIPPED)
    if truncated:
        return Verdict("bad_response", "the stream passed 1 MiB without finishing")
    if eof:
        end = {"chat": "[DONE]", "fim": "[DONE]", "messages": "message_stop",
               "responses": "response.completed"}.get(watch.kind, "[DONE] or message_stop")
        return Verdict("bad_response", f"the stream ended after {watch.events} event(s) "
                       f"without {end}: a proxy may be cutting streams")
    return Verdict("bad_response", "the stream did not finish")


def judge(kind: str, status: int, headers: Mapping[str, str], body: bytes, *,
          truncated: bool = False, eof: bool = True, watch: SseWatch | None = None,
          model: str = "", tools: bool = False) -> Verdict:
    """Judge an answer that arrived: its status, then its body or stream."""
    if not 200 <= status < 300:
        message, error_type = error_details(body)
        if 300 <= status < 400:
            message = f"redirected to {clean(headers.get('location', '?'), 120)}"
        if tools and status in (400, 422) and re.search(r"\btool", message, re.IGNORECASE):
            return Verdict("tools_unsupported", message)
        return Verdict(classify_status(status, message, error_type, model=model),
                       message or f"HTTP {status}")
    if watch is not None:
        return classify_stream(watch, eof=eof, truncated=truncated,
                               content_type=headers.get("content-type", ""))
    return classify_body(kind, body, truncated=truncated)


def retry_after(headers: dict[str, str], now: datetime | None = None) -> float | None:
    """Return the wait a server asks for (``retry-after-ms``, or seconds or an HTTP date)."""
    value = headers.get("retry-after-ms")
    if value:
        try:
            return max(0.0, float(value) / 1000)
        except ValueError:
            pass
    value = (headers.get("retry-after") or "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def backoff(attempt: int, asked: float | None) -> float | None:
    """Return how long to wait before retry ``attempt`` (1-based), or None to give up.

    A server's Retry-After wins; past MAX_RETRY_WAIT we stop rather than stall a fleet.
    Otherwise exponential backoff with jitter, so machines that failed together spread out.
    """
    if asked is not None:
        return None if asked > MAX_RETRY_WAIT else asked + random.uniform(0, 0.1)
    return min(BACKOFF_CAP, BACKOFF_BASE * 2.0 ** (attempt - 1)) * random.uniform(0.5, 1.5)


_HINTS = {
    "auth": "Langdock refused the key: check it in Langdock (Workspace settings > API); a "
            "workspace key needs the Completion API scope.",
    "not_found": "Check the apiBase (like https://api.langdock.com/openai/eu/v1) and the model "
                 "id; 'continue-setup models' lists the ids your key can use.",
    "model_unavailable": "Langdock has no such model in this region or workspace: pick one "
                         "from 'continue-setup models', or try the other region.",
    "rate_limited": "The key works, but the workspace hit its rate limit (500 requests/min "
                    "per model, shared by everyone): try later, or use --retries.",
    "server_error": "Langdock or the model provider failed; try again later "
                    "(https://status.langdock.com).",
    "timeout": "No complete answer in time: check the network and proxy, or raise --timeout.",
    "tls": "The certificate is not trusted. If your company inspects TLS, set "
           "requestOptions.caBundlePath to its root CA (PEM) or install that CA in the "
           "system trust store.",
    "network": "Cannot reach the host: check DNS, firewall and proxy (requestOptions.proxy, "
               "HTTPS_PROXY, NO_PROXY).",
    "bad_response": "The answer is not what Continue expects: a proxy or gateway may be "
                    "changing it, or rejecting a field Continue sends.",
    "unresolved_secret": "Continue would send the reference's literal text as the key. Put "
                         "the secret in Continue's .env (or the environment), or run "
                         "'continue-setup doctor --fix'.",
    "tools_unsupported": "Agent mode will not work with this model through this route: it "
                         "sends tools on every request. Chat and edit still work; pick a model "
                         "that supports tool calls for Agent mode.",
}


# transport words a TLS handshake answered in plain HTTP so; its hint is not about certificates
PLAIN_HTTP = "answered in plain HTTP"
_PLAIN_HTTP_HINT = ("That port speaks plain HTTP, not TLS: use https:// with the server's TLS "
                    "port (443 for Langdock); http:// is only for 127.0.0.1/localhost.")


def hint_for(category: str, *, kind: str, stream: bool = False,
             suggestions: tuple[str, ...] = (), notes: tuple[str, ...] = (),
             message: str = "") -> str:
    """Say what to do about a verdict, in the terms of the route that was probed."""
    if category == "ok":
        return ""
    if category == "tls" and PLAIN_HTTP in message:
        return _PLAIN_HTTP_HINT  # CA-bundle notes would point the wrong way
    if category == "model_unavailable" and kind == "fim":
        hint = ("autocomplete unavailable: this workspace serves no Codestral (Langdock "
                "currently offers no Mistral models); chat is not affected and the key is "
                "fine. An admin can add Codestral with their own Mistral key, or leave "
                "autocomplete off: 'continue-setup init --entries gpt,claude' removes the "
                "entry")
    elif category == "auth" and kind == "messages":
        hint = _HINTS["auth"] + " Continue sends it as x-api-key on this route."
    elif category == "timeout" and stream:
        hint = _HINTS["timeout"] + " A proxy that buffers streams breaks the editor."
    else:
        hint = _HINTS[category]
    if suggestions:
        hint = f"did you mean {' or '.join(suggestions)}? " + hint
    for note in notes:
        hint += f" {note}"
    return hint
