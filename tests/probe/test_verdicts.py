"""Verdicts: status and body to one category, event streams, Retry-After, safe messages."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from continue_setup.config import redact
from continue_setup.probe.verdicts import (
    CATEGORIES,
    SseWatch,
    backoff,
    classify_body,
    classify_status,
    classify_stream,
    clean,
    error_details,
    hint_for,
    judge,
    retry_after,
)


@pytest.mark.parametrize(("status", "message", "error_type", "category"), [
    (401, "The provided API key is invalid.", "", "auth"),
    (403, "Insufficient permissions", "", "auth"),
    (400, "bad", "authentication_error", "auth"),
    (404, "Not Found", "", "not_found"),
    (404, "The model `gpt-9` does not exist or you do not have access to it.", "", "not_found"),
    (400, "There are currently no Mistral models available for the API.", "", "model_unavailable"),
    (400, "Model gpt-5.2 is not available in region us.", "", "model_unavailable"),
    (404, "No models available for this region", "", "model_unavailable"),
    (400, "Unknown model: gpt-x", "", "not_found"),
    (400, "stream_options is not supported", "", "bad_response"),
    (422, "extra field not permitted", "", "bad_response"),
    (429, "Rate limit for public API exceeded", "", "rate_limited"),
    (400, "slow down", "rate_limit_error", "rate_limited"),
    (500, "Internal Server Error", "", "server_error"),
    (503, "", "", "server_error"),
    (529, "Overloaded", "overloaded_error", "server_error"),
    (408, "", "", "timeout"),
    (301, "redirected", "", "not_found"),
    (418, "teapot", "", "bad_response"),
])
def test_status_and_words_map_to_one_category(status: int, message: str, error_type: str,
                                              category: str) -> None:
    """Every error status lands in exactly one of the ten categories."""
    assert classify_status(status, message, error_type) == category
    assert category in CATEGORIES


def test_a_400_naming_the_configured_model_is_not_found() -> None:
    """A 400 whose message quotes the model id is a wrong model id."""
    assert classify_status(400, "gpt-5.3 is not a thing", model="gpt-5.3") == "not_found"


@pytest.mark.parametrize(("body", "expected"), [
    (b'{"error": {"message": "Nope", "type": "authentication_error"}}',
     ("Nope", "authentication_error")),
    (b'{"type": "error", "error": {"type": "not_found_error", "message": "model: x"}}',
     ("model: x", "not_found_error")),
    (b'{"message": "The provided API key is invalid."}', ("The provided API key is invalid.", "")),
    (b'{"error": "flat words"}', ("flat words", "")),
    (b'{"detail": "fastapi words"}', ("fastapi words", "")),
    (b"<html><body><h1>502 Bad Gateway</h1></body></html>", ("502 Bad Gateway", "")),
])
def test_error_details_read_every_envelope(body: bytes, expected: tuple[str, str]) -> None:
    """error.message, then message, then detail, then the page's own words."""
    assert error_details(body) == expected


def test_messages_are_masked_one_line_and_free_of_control_characters() -> None:
    """A key echoed by the server is masked; escapes and newlines cannot reach a terminal."""
    redact.register("sk-ld-echoed-key-123456")
    text = 'Incorrect key sk-ld-echoed-key-123456\n\x1b[31mred\x1b[0m \u202eevil'
    cleaned = clean(text)
    assert "sk-ld-echoed" not in cleaned and "********" in cleaned
    assert "\n" not in cleaned and "\x1b" not in cleaned and "\u202e" not in cleaned
    assert len(clean("x" * 1000)) <= 300


@pytest.mark.parametrize("odd", ["\x00", "\x7f", "\x01", "\n", "'", "'\"", "\\", "é"])
def test_a_key_is_masked_as_pythons_repr_quotes_it(odd: str) -> None:
    """An error may quote a value it refuses as Python writes text or bytes (h11: "Illegal
    header value b'Bearer sk-...\\x00...'"): every such spelling of a key is masked."""
    key = f"sk-ld-repr-{odd}-0123456789"
    redact.register(key)
    quoted = [repr(key), repr(f"Bearer {key}"), repr(f"Bearer {key}".encode())]
    if odd.isascii():
        quoted.append(repr(f"Bearer {key}".encode("ascii")))
    for text in quoted:
        cleaned = clean(f"Illegal header value {text}")
        assert "sk-ld-repr" not in cleaned and "0123456789" not in cleaned, cleaned


@pytest.mark.parametrize(("kind", "body", "category"), [
    ("chat", b'{"choices": []}', "ok"),
    ("fim", b'{"choices": [{"message": {"content": "x"}}]}', "ok"),
    ("responses", b'{"output": [], "status": "incomplete"}', "ok"),
    ("messages", b'{"type": "message", "content": []}', "ok"),
    ("chat", b'{"output": []}', "bad_response"),
    ("chat", b"<html>", "bad_response"),
    ("chat", b'{"choices": [], "x": "\xff"}', "bad_response"),
    ("chat", b'{"error": {"message": "went wrong"}}', "bad_response"),
])
def test_successful_answers_must_have_the_expected_shape(kind: str, body: bytes,
                                                          category: str) -> None:
    """A 200 passes only as UTF-8 JSON with choices, output or content, as the route needs."""
    assert classify_body(kind, body, truncated=False).category == category


def test_truncated_and_invalid_utf8_bodies_are_bad_responses() -> None:
    """An answer past the size cap, or not UTF-8, is bad_response with a reason."""
    assert "1 MiB" in classify_body("chat", b"{", truncated=True).message
    assert "UTF-8" in classify_body("chat", b"\xff\xfe", truncated=False).message


def _feed(watch: SseWatch, data: bytes, size: int = 3) -> bool:
    done = False
    for i in range(0, len(data), size):  # split anywhere, even inside a line
        done = watch.feed(data[i:i + size])
    return done


@pytest.mark.parametrize("stream", [
    b'data: {"choices": [{"delta": {"content": "po"}}]}\n\ndata: [DONE]\n\n',
    b'event: message_start\ndata: {"type": "message_start"}\n\n'
    b'event: message_stop\ndata: {"type": "message_stop"}\n\n',
    b'event: response.completed\r\ndata: {"type": "response.completed"}\r\n\r\n',
    b'data: {"type": "response.incomplete"}\n\n',
])
def test_complete_streams_are_recognised_across_chunk_boundaries(stream: bytes) -> None:
    """[DONE], message_stop and a finished response end a stream, however it is chunked."""
    watch = SseWatch()
    assert _feed(watch, stream) is True
    assert classify_stream(watch, eof=False, truncated=False, content_type="").ok


def test_streams_without_an_end_are_bad_or_plain_json() -> None:
    """A stream cut before [DONE] is bad_response; a JSON answer to stream: true too."""
    watch = SseWatch()
    assert _feed(watch, b'data: {"choices": []}\n\n') is False
    verdict = classify_stream(watch, eof=True, truncated=False, content_type="text/event-stream")
    assert verdict.category == "bad_response" and "without [DONE]" in verdict.message
    plain = classify_stream(SseWatch(), eof=True, truncated=False, content_type="application/json")
    assert "plain JSON" in plain.message


def test_error_events_inside_a_stream_are_classified() -> None:
    """An Anthropic error event mid-stream becomes its category with the server's words."""
    watch = SseWatch()
    event = {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    assert _feed(watch, b"event: error\ndata: " + json.dumps(event).encode() + b"\n\n")
    verdict = classify_stream(watch, eof=False, truncated=False, content_type="")
    assert verdict.category == "server_error" and "Overloaded" in verdict.message


def test_invalid_utf8_and_endless_lines_in_a_stream_are_bad_responses() -> None:
    """Invalid UTF-8 in an event, or a line past 64 KiB, ends the stream as bad_response."""
    bad = SseWatch()
    assert bad.feed(b"data: \xff\xfe\n")
    assert bad.error is not None and "UTF-8" in bad.error.message
    endless = SseWatch()
    assert _feed(endless, b"x" * 70000, size=4096)
    assert endless.error is not None and endless.error.category == "bad_response"


def test_judge_checks_the_status_before_the_body() -> None:
    """A 401 with an echoed body is auth; a redirect names where it went."""
    assert judge("chat", 401, {}, b'{"message": "no"}').category == "auth"
    moved = judge("chat", 302, {"location": "https://elsewhere/v1"}, b"")
    assert moved.category == "not_found" and "elsewhere" in moved.message


def test_retry_after_reads_seconds_dates_and_milliseconds() -> None:
    """Retry-After as seconds or an HTTP date, and retry-after-ms, give a wait in seconds."""
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    later = format_datetime(now + timedelta(seconds=30), usegmt=True)
    assert retry_after({"retry-after": "2"}) == 2
    assert retry_after({"retry-after": later}, now) == 30
    assert retry_after({"retry-after-ms": "1500"}) == 1.5
    assert retry_after({"retry-after": "soon"}) is None
    assert retry_after({}) is None


def test_backoff_grows_with_jitter_and_gives_up_on_long_waits() -> None:
    """Backoff doubles within jitter bounds and stays capped; a long Retry-After stops."""
    waits = [backoff(1, None), backoff(4, None), backoff(20, None), backoff(1, 1.0)]
    assert all(w is not None for w in waits)
    first, fourth, late, asked = (float(w or 0) for w in waits)
    assert 0.25 <= first <= 0.75 and 2.0 <= fourth <= 6.0 and late <= 12.0
    assert 1.0 <= asked <= 1.1
    assert backoff(1, 3600) is None


def test_hints_speak_to_the_route() -> None:
    """Codestral's model_unavailable says autocomplete is unavailable, not that the key is bad."""
    fim = hint_for("model_unavailable", kind="fim")
    assert fim.startswith("autocomplete unavailable") and "key is fine" in fim
    assert "caBundlePath" in hint_for("tls", kind="chat")
    assert "x-api-key" in hint_for("auth", kind="messages")
    assert hint_for("not_found", kind="chat", suggestions=("gpt-5.1",)).startswith(
        "did you mean gpt-5.1?")
    assert hint_for("ok", kind="chat") == ""
