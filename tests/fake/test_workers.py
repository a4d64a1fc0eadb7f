"""The fake gateway answers connections independently, as a real one does: a thread each,
threads reused, and each delay counted from when its request arrived."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from continue_setup.fake.server import Behaviour, FakeServer
from continue_setup.fake.workers import Arrivals, Workers
from tests.fakeserver_fixtures import KEY

CHAT = "/openai/eu/v1/chat/completions"


def request_bytes(fake: FakeServer, model: str = "gpt-4.1", *, stream: bool = False) -> bytes:
    """Return a complete chat request as a client puts it on the wire."""
    body = json.dumps({"model": model, "messages": [{"role": "user", "content": "x"}],
                       "max_tokens": 16, "stream": stream}).encode()
    head = (f"POST {CHAT} HTTP/1.1\r\nHost: 127.0.0.1:{fake.port}\r\n"
            f"Authorization: Bearer {KEY}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n")
    return head.encode() + body


def read_all(sock: socket.socket) -> bytes:
    """Read until the server closes the connection (bounded by the socket's timeout)."""
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


@pytest.fixture
def delayed() -> Iterator[FakeServer]:
    """A fake gateway whose answers each come 0.4 s after their request."""
    with FakeServer(delay=0.4, stall_max=5.0) as server:
        yield server


def test_a_held_answer_holds_up_no_other_connection(delayed: FakeServer) -> None:
    """While one stream is held open, a second connection gets its whole answer, and the
    first is still open (not answered) when the second is done."""
    delayed.behaviours["gpt-4.1-mini"] = Behaviour("hold_stream")
    with socket.create_connection(("127.0.0.1", delayed.port), timeout=5) as held, \
            socket.create_connection(("127.0.0.1", delayed.port), timeout=5) as other:
        held.sendall(request_bytes(delayed, "gpt-4.1-mini", stream=True))
        other.sendall(request_bytes(delayed))
        answer = read_all(other)
        assert answer.startswith(b"HTTP/1.1 200 ") and b'"pong"' in answer
        held.settimeout(0.2)
        first = held.recv(65536)  # the head and every event but the last
        assert first.startswith(b"HTTP/1.1 200 ") and b"[DONE]" not in first
        with pytest.raises(TimeoutError):
            held.recv(65536)  # still held: no end of stream, no close


def test_connections_at_once_are_answered_together(delayed: FakeServer) -> None:
    """Eight connections sent at once are all answered, each with its own complete answer,
    though every answer waits out its delay (they do not queue behind each other)."""
    socks = [socket.create_connection(("127.0.0.1", delayed.port), timeout=5)
             for _ in range(8)]
    try:
        for sock in socks:
            sock.sendall(request_bytes(delayed))
        answers = [read_all(sock) for sock in socks]
    finally:
        for sock in socks:
            sock.close()
    assert all(a.startswith(b"HTTP/1.1 200 ") and a.endswith(b"}") for a in answers)
    assert len(delayed.recorded("chat")) == 8


def test_the_delay_counts_from_the_request_not_the_connection(delayed: FakeServer) -> None:
    """A client that connects, waits, then sends still waits the whole delay for its answer:
    the accept time stands in for the arrival only when the request was already there."""
    with socket.create_connection(("127.0.0.1", delayed.port), timeout=5) as sock:
        time.sleep(0.5)  # longer than the delay: an answer timed from the accept is due now
        sent = time.monotonic()
        sock.sendall(request_bytes(delayed))
        answer = read_all(sock)
        waited = time.monotonic() - sent
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert waited >= 0.4  # the delay itself (a lower bound, not a speed limit)


def test_an_answer_never_comes_before_its_delay_after_connecting(delayed: FakeServer) -> None:
    """A request sent with its connection is answered no sooner than the delay after the
    connection was made: timing from the accept never shortens the delay."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", delayed.port), timeout=5) as sock:
        sock.sendall(request_bytes(delayed))
        answer = read_all(sock)
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert time.monotonic() - started >= 0.4


def wait_until(condition: Callable[[], bool]) -> bool:
    """Poll ``condition`` for up to 5 s; return its last value."""
    deadline = time.monotonic() + 5
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)
    return condition()


def named(name: str) -> list[threading.Thread]:
    """Return the live threads called ``name``."""
    return [t for t in threading.enumerate() if t.name == name]


def test_a_thread_serves_the_next_connection_once_its_own_has_ended() -> None:
    """Jobs that overlap get a thread each; a job after they end reuses one of them; close
    ends the idle threads."""
    idents: list[int] = []
    gate = threading.Barrier(3, timeout=5)  # three jobs can only pass it together
    done = threading.Semaphore(0)

    def serve(request: object, client_address: object) -> None:
        if request == "together":
            gate.wait()
        idents.append(threading.get_ident())
        done.release()

    workers = Workers(serve, name="test-workers-reuse")
    for _ in range(3):
        workers.start("together", None)
    for _ in range(3):
        assert done.acquire(timeout=5)
    assert len(set(idents)) == 3  # they ran at once: each had a thread of its own
    assert wait_until(lambda: workers.idle == 3)
    workers.start("alone", None)
    assert done.acquire(timeout=5)
    assert idents[-1] in idents[:3]  # an idle thread took it
    assert wait_until(lambda: workers.idle == 3)
    assert len(named("test-workers-reuse")) == 3  # and no fourth was started
    workers.close()
    assert wait_until(lambda: not named("test-workers-reuse"))


def test_stopping_the_server_ends_its_idle_threads() -> None:
    """After an answered request and stop(), no thread of that fake gateway is left."""
    with FakeServer() as fake, socket.create_connection(("127.0.0.1", fake.port),
                                                       timeout=5) as sock:
        sock.sendall(request_bytes(fake))
        assert read_all(sock).startswith(b"HTTP/1.1 200 ")
        name = f"fake-langdock:{fake.port}"
        assert wait_until(lambda: len(named(name)) == 1)  # idle, waiting for the next one
    assert wait_until(lambda: not named(name))



def test_a_socket_select_cannot_watch_is_timed_from_its_request(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """When select refuses a socket (a descriptor past its limit), the connection is still
    served; its delay then runs from its request line, never from before it."""
    from types import SimpleNamespace

    from continue_setup.fake import workers

    def refuse(*args: Any) -> Any:
        raise ValueError("filedescriptor out of range in select()")

    arrivals = Arrivals()
    ours, theirs = socket.socketpair()
    with ours, theirs:
        theirs.sendall(b"GET / HTTP/1.1\r\n\r\n")
        arrivals.accepted(ours)
        assert isinstance(arrivals.first(ours, plain=True), float)  # waiting: the accept's
        monkeypatch.setattr(workers, "select", SimpleNamespace(select=refuse))
        arrivals.accepted(ours)
        assert arrivals.first(ours, plain=True) is None
