"""A fake Langdock gateway on 127.0.0.1 for tests, benchmarks and demos (standard library only).

It speaks the OpenAI (chat/completions, responses, models), Anthropic (messages, models) and
Mistral (fim/completions) routes like Langdock, checks auth headers and body fields, answers
JSON or SSE, records every request, and can be told to misbehave per model, kind or route::

    python -m continue_setup.fake --port 8080 --delay 0.5 --mode mistral=model_unavailable

Auth: Bearer on openai, mistral and the model lists. On anthropic it takes ``x-api-key``
(what Continue sends) and also ``Authorization: Bearer`` (which third-party clients use with
Langdock); it requires ``anthropic-version`` there, as Anthropic does.
"""

from __future__ import annotations

import argparse
import functools
import json
import signal
import ssl
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from continue_setup.fake.api import (
    KINDS,
    MODELS,
    MODES,
    PATH,
    PLAIN_ERRORS,
    REGIONS,
    ROUTES,
    Behaviour,
    check_body,
    error_body,
    models_body,
    sse,
    unknown_model,
)
from continue_setup.fake.streams import answer, minimal_responses
from continue_setup.fake.workers import Arrivals, Workers

MAX_REQUEST = 1024 * 1024
MAX_RECORDED = 1000


@dataclass
class Recorded:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]  # lower-cased names
    body: Any  # parsed JSON, or None
    route: str = ""
    kind: str = ""


@dataclass
class FakeServer:
    """The server: start it (or use ``with``), point apiBase at ``base(route)``, stop it."""

    port: int = 0
    keys: set[str] | None = None  # accepted keys; None accepts any non-empty key
    delay: float = 0.0  # added before every normal answer
    ssl_context: ssl.SSLContext | None = None
    stall_max: float = 30.0  # upper bound of any stall, so threads always end
    behaviours: dict[str, Behaviour] = field(default_factory=dict)
    models: dict[str, list[str]] = field(default_factory=lambda: {k: list(v)
                                                                  for k, v in MODELS.items()})
    requests: deque[Recorded] = field(default_factory=lambda: deque(maxlen=MAX_RECORDED))

    def __post_init__(self) -> None:
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._used: dict[str, int] = {}
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"{'https' if self.ssl_context else 'http'}://127.0.0.1:{self.port}"

    def base(self, route: str, region: str = "eu") -> str:
        """Return the apiBase of a route, as Langdock's recipe writes it."""
        return f"{self.url}/{route}/{region}/v1"

    def start(self) -> FakeServer:
        """Listen on 127.0.0.1 and serve from a background thread."""
        handler = type("Handler", (_Handler,), {"fake": self})
        self._httpd = _Server(("127.0.0.1", self.port), handler)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Release every stalled answer, stop serving and close the socket."""
        self.stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def recorded(self, kind: str | None = None) -> list[Recorded]:
        """Return the requests received so far (of one kind, if given)."""
        with self._lock:
            return [r for r in self.requests if kind is None or r.kind == kind]

    def behaviour_for(self, model: str, kind: str, route: str) -> Behaviour:
        """Pick the behaviour by model, then kind, then route, then ``*``; count ``times``."""
        with self._lock:
            for name in (model, kind, route, "*"):
                chosen = self.behaviours.get(name)
                if chosen is None:
                    continue
                if chosen.times is not None:
                    used = self._used.get(name, 0)
                    self._used[name] = used + 1
                    if used >= chosen.times:
                        continue
                return chosen
        return Behaviour()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    # socketserver's default backlog of 5 refuses bursts: a ping of 8+ entries saw retried
    # connects (+1 s) that a real gateway never causes.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], handler: type[_Handler]) -> None:
        self.workers = Workers(self.process_request_thread)
        self.arrivals = Arrivals()
        super().__init__(address, handler)
        self.workers.name = f"fake-langdock:{self.server_address[1]}"

    def process_request(self, request: Any, client_address: Any) -> None:
        """Note when the connection came, and serve it in a thread of its own."""
        self.arrivals.accepted(request)
        self.workers.start(request, client_address)

    def server_close(self) -> None:
        """Close the socket and end the threads waiting for a connection."""
        super().server_close()
        self.workers.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet: clients hang up on purpose (timeouts, size caps, refused certs)."""


class _Handler(BaseHTTPRequestHandler):
    fake: FakeServer
    server: _Server
    protocol_version = "HTTP/1.1"
    timeout = 10  # an idle keep-alive connection frees its thread after this
    # Buffered: an answer's head and body leave in one write, at the flush that ends it.
    wbufsize = -1

    def setup(self) -> None:
        self._first = self.server.arrivals.first(self.request,
                                                 plain=self.fake.ssl_context is None)
        if self.fake.ssl_context is not None:  # handshake here, not in the accept loop
            self.request.settimeout(10)
            self.request = self.fake.ssl_context.wrap_socket(self.request, server_side=True)
        super().setup()

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            if self.fake.ssl_context is not None:
                self.request.close()  # socketserver closes only the socket it accepted

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet; requests are recorded instead."""

    def parse_request(self) -> bool:
        """Note when this request arrived (its delay runs from then), then parse it."""
        self.arrived = self._first if self._first is not None else time.monotonic()
        self._first = None
        return super().parse_request()

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _send(self, status: int, payload: Any = None, *, raw: bytes | None = None,
              headers: dict[str, str] | None = None) -> None:
        data = raw if raw is not None else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _key(self, route: str) -> str | None:
        bearer = self.headers.get("Authorization", "")
        key = bearer[7:].strip() if bearer.lower().startswith("bearer ") else None
        if route == "anthropic" and self.headers.get("x-api-key"):
            key = self.headers["x-api-key"]
        if not key or (self.fake.keys is not None and key not in self.fake.keys):
            return None
        return key

    def _serve(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_REQUEST:
            self.close_connection = True
            self._send(413, {"message": "request too large"})
            return
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        match = PATH.match(self.path.split("?")[0])
        route, region, kind = (match[1], match[2], KINDS[match[3]]) if match else ("", "", "")
        with self.fake._lock:
            self.fake.requests.append(Recorded(method, self.path, {
                k.lower(): v for k, v in self.headers.items()}, body, route, kind))
        if (route, kind) not in ROUTES or region not in REGIONS[route] or (
                method != ("GET" if kind == "models" else "POST")):
            self._send(404, {"message": "Not Found"})
            return
        model = body.get("model", "") if isinstance(body, dict) else ""
        behaviour = self.fake.behaviour_for(str(model), kind, route)
        # Decided and encoded now, sent when the delay is over: 50 answers due together
        # then leave as fast as a real gateway's would, not one JSON encoding after another.
        reply = self._reply(behaviour, route, region, kind, str(model), body)
        delay = behaviour.delay or self.fake.delay
        if delay:
            self.fake.stopping.wait(max(0.0, self.arrived + delay - time.monotonic()))
        reply()

    def _reply(self, behaviour: Behaviour, route: str, region: str, kind: str, model: str,
               body: Any) -> Callable[[], None]:
        """Return what sends the answer to a request on a known route."""
        key = self._key(route)
        if not _applies(behaviour.mode, kind, body):
            behaviour = Behaviour()
        elif behaviour.mode == "responses_minimal" and key is not None:
            return functools.partial(self._stream, sse(minimal_responses(model)))
        if behaviour.mode not in ("ok", "responses_minimal"):
            return functools.partial(self._misbehave, behaviour, route, region, kind, model,
                                     body)
        if key is None:
            return self._json(401, error_body(route, "The provided API key is invalid.",
                                              "authentication_error"))
        if kind == "models":
            return self._json(200, models_body(route, self.fake.models.get(route, [])))
        if route == "anthropic" and not self.headers.get("anthropic-version"):
            return self._json(400, error_body(route, "anthropic-version header is required"))
        if not isinstance(body, dict):
            return self._json(400, error_body(route, "the body is not a JSON object"))
        problem = check_body(kind, model, body)
        if problem:
            return self._json(400, error_body(route, problem))
        if model not in self.fake.models.get(route, []):
            return self._json(*unknown_model(route, model, region))
        result, events = answer(kind, model, body)
        if body.get("stream"):
            return functools.partial(self._stream, sse(events))
        return self._json(200, result)

    def _json(self, status: int, payload: Any) -> Callable[[], None]:
        """Return what sends ``payload`` as a JSON answer (encoded now)."""
        return functools.partial(self._send, status, raw=json.dumps(payload).encode())

    def _stream(self, data: bytes, *, hold: bool = False) -> None:
        self.close_connection = True  # an SSE answer ends when the connection closes
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()
        if hold:
            self.fake.stopping.wait(self.fake.stall_max)

    def _misbehave(self, b: Behaviour, route: str, region: str, kind: str, model: str,
                   body: Any) -> None:
        mode = b.mode
        streamed = isinstance(body, dict) and bool(body.get("stream"))
        if mode == "tools_rejected":
            self._send(400, error_body(route, b.message or "tools are not supported for "
                                       f"model {model}"))
        elif mode in PLAIN_ERRORS:
            status, message, kind_name = PLAIN_ERRORS[mode]
            status = b.status if mode == "status" else status
            message = f"HTTP {status}" if mode == "status" else message
            self._send(status, error_body(route, b.message or message, kind_name))
        elif mode == "model_unavailable":
            message = ("There are currently no Mistral models available for the API."
                       if route == "mistral" else
                       f"Model {model} is not available in region {region}.")
            self._send(400, {"message": b.message or message})
        elif mode == "rate_limited":
            extra = {"Retry-After": b.retry_after} if b.retry_after is not None else {}
            self._send(429, {"message": "Rate limit for public API exceeded"}, headers=extra)
        elif mode == "echo_key":
            key = self.headers.get("x-api-key") or self.headers.get("Authorization", "")[7:]
            self._send(401, {"error": {"message": f"Incorrect API key provided: {key}"}})
        elif mode == "garbage":
            self._send(200, raw=b"<html><body>Welcome to the proxy {not json")
        elif mode == "invalid_utf8":
            self._send(200, raw=b'{"choices": [], "output": [], "x": "\xff\xfe\xfa"}')
        elif mode in ("stall", "disconnect"):
            if mode == "stall":
                self.fake.stopping.wait(self.fake.stall_max)
            self.close_connection = True
        elif mode in ("trickle", "huge"):
            self._flood(b)
        elif mode in ("no_done", "hold_stream", "json_for_stream", "sse_stripped"):
            result, events = answer(kind or "chat", model)
            if mode in ("json_for_stream", "sse_stripped") or not streamed:
                self._send(200, result)
            else:
                self._stream(sse(events[:-1]), hold=mode == "hold_stream")
        else:
            self._send(500, {"message": f"unknown fake mode {mode!r}"})

    def _flood(self, b: Behaviour) -> None:
        """Send a long body: one byte per interval ("trickle"), or b.size bytes fast ("huge")."""
        self.close_connection = True
        total = 1000 if b.mode == "trickle" else b.size
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(total))
        self.end_headers()
        sent, chunk = 0, (b"{" if b.mode == "trickle" else b" " * 65536)
        deadline = time.monotonic() + self.fake.stall_max
        try:
            while sent < total and not self.fake.stopping.is_set() and time.monotonic() < deadline:
                piece = chunk[: total - sent]
                self.wfile.write(piece)
                self.wfile.flush()
                sent += len(piece)
                if b.mode == "trickle":
                    self.fake.stopping.wait(b.interval)
        except OSError:
            pass  # the client stopped reading, as it should


def _applies(mode: str, kind: str, body: Any) -> bool:
    """Tell whether a mode that depends on the request misbehaves for this one."""
    offered = isinstance(body, dict) and bool(body.get("tools"))
    streamed = isinstance(body, dict) and bool(body.get("stream"))
    if mode == "tools_rejected":
        return offered
    if mode == "responses_minimal":
        return streamed and kind == "responses"
    return True


def parse_mode(value: str) -> tuple[str, Behaviour]:
    """Parse ``[TARGET=]MODE`` (MODE may be an HTTP status) into a target and a behaviour."""
    target, _, mode = value.rpartition("=")
    if mode.isdigit():
        status = int(mode)
        named = {401: "unauthorized", 403: "forbidden", 404: "not_found", 429: "rate_limited"}
        return target or "*", Behaviour(named.get(status, "status"), status=status)
    if mode not in MODES:
        raise argparse.ArgumentTypeError(f"unknown mode {mode!r}; choose from {', '.join(MODES)}")
    return target or "*", Behaviour(mode)


def main(argv: list[str] | None = None) -> None:
    """Run the fake server in the foreground until Ctrl-C."""
    parser = argparse.ArgumentParser(prog="python -m continue_setup.fake.server",
                                     description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before each answer")
    parser.add_argument("--mode", action="append", type=parse_mode, default=[],
                        metavar="[TARGET=]MODE", help="TARGET: a model id, chat, responses, "
                        "messages, fim, models, openai, anthropic, mistral (default: all). "
                        f"MODE: an HTTP status or one of {', '.join(MODES)}")
    parser.add_argument("--retry-after", help="Retry-After header sent with 429 answers")
    parser.add_argument("--key", action="append", help="accept only this key (repeatable)")
    args = parser.parse_args(argv)
    fake = FakeServer(port=args.port, delay=args.delay, keys=set(args.key) if args.key else None)
    for target, behaviour in args.mode:
        behaviour.retry_after = args.retry_after
        fake.behaviours[target] = behaviour
    signal.signal(signal.SIGTERM, lambda *_: fake.stopping.set())  # stop cleanly, like Ctrl-C
    with fake:
        print(f"Fake Langdock listening on {fake.url}", flush=True)
        print(f"  try: continue-setup init --base-url {fake.url} --config-dir ./demo", flush=True)
        try:
            while not fake.stopping.wait(3600):
                pass
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
