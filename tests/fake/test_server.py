"""The fake Langdock checks what Langdock checks, misbehaves on request, and stops cleanly."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from typing import Any

import pytest

from continue_setup.fake.server import Behaviour, FakeServer, parse_mode
from tests.fakeserver_fixtures import KEY


def call(fake: FakeServer, path: str, body: Any = None, *, headers: dict[str, str] | None = None,
         method: str | None = None) -> tuple[int, Any]:
    """Send one request with urllib; return the status and the parsed JSON answer."""
    data = None if body is None else json.dumps(body).encode()
    sent = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json",
            **(headers or {})}
    request = urllib.request.Request(  # noqa: S310 - the fake server's own http URL
        fake.url + path, data=data, headers=sent, method=method)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as e:
        with e:
            return e.code, json.loads(e.read())


CHAT = "/openai/eu/v1/chat/completions"


@pytest.mark.parametrize(("path", "body", "headers", "status", "words"), [
    (CHAT, {"model": "gpt-5.2", "messages": [{"role": "user", "content": "x"}],
            "max_tokens": 16}, {}, 400, "max_completion_tokens"),
    (CHAT, {"model": "gpt-4.1"}, {}, 400, "messages"),
    (CHAT, {"model": "gpt-4.1", "messages": [], "stream_options": {"include_usage": True}},
     {}, 400, "stream_options"),
    ("/openai/eu/v1/responses", {"model": "gpt-5.2", "input": "x", "max_output_tokens": 1},
     {}, 400, "at least 16"),
    ("/mistral/eu/v1/fim/completions", {"model": "codestral-2501", "prompt": "x",
                                        "max_completion_tokens": 16}, {}, 400, "not permitted"),
    ("/anthropic/eu/v1/messages", {"model": "claude-sonnet-4-6-default", "max_tokens": 16,
                                   "messages": []}, {}, 400, "anthropic-version"),
    ("/mistral/us/v1/fim/completions", {"model": "codestral-2501", "prompt": "x"}, {}, 404,
     "Not Found"),
    (CHAT, {"model": "gpt-9", "messages": []}, {}, 404, "does not exist"),
    (CHAT, {"model": "gpt-4.1", "messages": []}, {"Authorization": ""}, 401, "invalid"),
])
def test_the_fake_rejects_what_langdock_rejects(fake: FakeServer, path: str, body: Any,
                                                headers: dict[str, str], status: int,
                                                words: str) -> None:
    """Token cap fields, required fields, FIM's closed schema, auth, regions are all checked."""
    code, answer = call(fake, path, body, headers=headers)
    assert code == status
    assert words in json.dumps(answer)


def test_anthropic_takes_x_api_key_or_bearer(fake: FakeServer) -> None:
    """On the anthropic route x-api-key (Continue) and Bearer (other clients) both work."""
    body = {"model": "claude-sonnet-4-6-default", "max_tokens": 16,
            "messages": [{"role": "user", "content": "x"}]}
    version = {"anthropic-version": "2023-06-01"}
    assert call(fake, "/anthropic/eu/v1/messages", body,
                headers={**version, "Authorization": "", "x-api-key": KEY})[0] == 200
    assert call(fake, "/anthropic/eu/v1/messages", body, headers=version)[0] == 200


def test_model_lists_answer_in_each_routes_shape(fake: FakeServer) -> None:
    """openai lists as {object: list, data}, anthropic as {data, has_more}; mistral has none."""
    status, openai = call(fake, "/openai/eu/v1/models")
    assert status == 200 and openai["object"] == "list"
    assert "gpt-5.2" in [m["id"] for m in openai["data"]]
    status, anthropic = call(fake, "/anthropic/us/v1/models")
    assert status == 200 and anthropic["has_more"] is False
    assert call(fake, "/mistral/eu/v1/models")[0] == 404


def test_behaviours_apply_for_the_first_n_requests_only(fake: FakeServer) -> None:
    """times=N misbehaves N times, then answers normally; requests are recorded."""
    fake.behaviours["gpt-4.1"] = Behaviour("server_error", times=1)
    body = {"model": "gpt-4.1", "messages": [{"role": "user", "content": "x"}]}
    assert call(fake, CHAT, body)[0] == 500
    assert call(fake, CHAT, body)[0] == 200
    assert [r.body["model"] for r in fake.recorded("chat")] == ["gpt-4.1", "gpt-4.1"]


def test_parse_mode_reads_targets_names_and_statuses() -> None:
    """--mode takes [TARGET=]MODE, where MODE may be a status code."""
    assert parse_mode("401") == ("*", Behaviour("unauthorized", status=401))
    assert parse_mode("mistral=model_unavailable") == ("mistral", Behaviour("model_unavailable"))
    assert parse_mode("gpt-5.2=503") == ("gpt-5.2", Behaviour("status", status=503))
    with pytest.raises(argparse.ArgumentTypeError):
        parse_mode("chat=explode")


def test_stop_releases_a_stalled_client_quickly() -> None:
    """Stopping the server ends a stalled answer at once, not after stall_max."""
    fake = FakeServer(stall_max=30).start()
    fake.behaviours["*"] = Behaviour("stall")
    outcome: list[object] = []

    def client() -> None:
        try:
            call(fake, CHAT, {"model": "gpt-4.1", "messages": []})
        except Exception as e:  # the connection is closed without an answer
            outcome.append(type(e))

    thread = threading.Thread(target=client, daemon=True)
    thread.start()
    time.sleep(0.3)
    started = time.monotonic()
    fake.stop()
    thread.join(timeout=5)
    assert not thread.is_alive() and time.monotonic() - started < 3
    assert outcome


def test_the_fake_server_runs_by_hand() -> None:
    """python -m continue_setup.fake.server prints its URL and serves until stopped."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "continue_setup.fake.server", "--port", "0", "--mode",
         "mistral=model_unavailable", "--delay", "0"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("Fake Langdock listening on http://127.0.0.1:")
        url = line.split()[-1]
        request = urllib.request.Request(  # noqa: S310 - the fake server's own http URL
            url + "/openai/eu/v1/models", headers={"Authorization": f"Bearer {KEY}"})
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            assert response.status == 200
    finally:
        proc.terminate()
        code = proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()
    if sys.platform != "win32":  # Windows has no SIGTERM: terminate() kills, exit code 1
        assert code == 0  # SIGTERM stops it cleanly


@pytest.mark.parametrize("module", ["continue_setup.fake", "continue_setup.fakeserver"])
def test_the_fake_starts_by_its_name_and_its_old_name(module: str) -> None:
    """``python -m continue_setup.fake`` starts the gateway; the old ``fakeserver`` name too."""
    proc = subprocess.run([sys.executable, "-m", module, "--help"], capture_output=True,
                          text=True, timeout=30, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "--port" in proc.stdout and "--mode" in proc.stdout
