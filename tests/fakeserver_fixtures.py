"""Fixtures for HTTP tests: the fake Langdock server, a local proxy, and a TLS fake with its CA."""

from __future__ import annotations

import json
import select
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from continue_setup.fake.server import FakeServer

KEY = "sk-ld-probe-test-0123456789"


@pytest.fixture
def fake() -> Iterator[FakeServer]:
    """A fake Langdock on 127.0.0.1 with an ephemeral port; stalls end within 5 s."""
    with FakeServer(stall_max=5.0) as server:
        yield server


def langdock_config(base: str, *, key: str = KEY, gpt: str = "gpt-5.2",
                    claude: str = "claude-sonnet-4-6-default",
                    codestral: str = "codestral-2501", **top: Any) -> dict[str, Any]:
    """Return Langdock's own Continue recipe (config.json) pointed at ``base``."""
    return {
        "models": [
            {"title": "GPT", "provider": "openai", "model": gpt, "apiKey": key,
             "apiBase": f"{base}/openai/eu/v1"},
            {"title": "Claude", "provider": "anthropic", "model": claude, "apiKey": key,
             "apiBase": f"{base}/anthropic/eu/v1"},
        ],
        "tabAutocompleteModel": {"title": "Codestral", "provider": "mistral",
                                 "model": codestral, "apiKey": key,
                                 "apiBase": f"{base}/mistral/eu/v1"},
        **top,
    }


def write_config(directory: Path, data: dict[str, Any]) -> Path:
    """Write ``data`` as ``config.json`` in ``directory`` and return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "config.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


class ForwardProxy:
    """An HTTP proxy on 127.0.0.1: CONNECT tunnels and absolute-URL forwarding, all recorded."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []
        self._stop = threading.Event()
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.1)
        self.port = self._sock.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._sock.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        upstream: socket.socket | None = None
        try:
            head = b""
            while b"\r\n\r\n" not in head and len(head) < 65536:
                data = conn.recv(4096)
                if not data:
                    return
                head += data
            header, _, rest = head.partition(b"\r\n\r\n")
            lines = header.split(b"\r\n")
            method, target, version = lines[0].decode("latin-1").split(" ", 2)
            self.seen.append((method, target))
            if method == "CONNECT":
                host, _, port = target.rpartition(":")
                upstream = socket.create_connection((host, int(port)), timeout=5)
                conn.sendall(b"HTTP/1.1 200 Connection Established\r\n\r\n")
            else:
                url = urlsplit(target)
                upstream = socket.create_connection((url.hostname or "", url.port or 80), 5)
                keep = [line for line in lines[1:] if not line.lower().startswith(
                    (b"connection:", b"proxy-connection:"))]
                path = url.path + (f"?{url.query}" if url.query else "")
                request = [f"{method} {path} {version}".encode(), *keep, b"Connection: close"]
                rest = b"\r\n".join(request) + b"\r\n\r\n" + rest
            if rest:
                upstream.sendall(rest)
            self._pipe(conn, upstream)
        except OSError:
            pass
        finally:
            conn.close()
            if upstream is not None:
                upstream.close()

    def _pipe(self, a: socket.socket, b: socket.socket) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not self._stop.is_set():
            readable, _, _ = select.select([a, b], [], [], 0.1)
            for source in readable:
                data = source.recv(65536)
                if not data:
                    return
                (b if source is a else a).sendall(data)


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[ForwardProxy]:
    """A local proxy; NO_PROXY is cleared so loopback traffic may go through it."""
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    server = ForwardProxy()
    yield server
    server.close()


@pytest.fixture(scope="session")
def ca() -> Any:
    """A throwaway certificate authority (trustme)."""
    import trustme

    return trustme.CA()


@pytest.fixture
def tls_fake(ca: Any, tmp_path: Path) -> Iterator[tuple[FakeServer, Path]]:
    """A fake Langdock over https with a certificate from ``ca``; yields it and the CA's PEM."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    ca_path = tmp_path / "corporate-ca.pem"
    ca.cert_pem.write_to_path(str(ca_path))
    with FakeServer(ssl_context=context, stall_max=5.0) as server:
        yield server, ca_path
