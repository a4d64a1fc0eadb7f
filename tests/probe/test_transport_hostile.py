"""Hostile peers on 127.0.0.1 (compression bombs, TLS to a plain-HTTP port) and hostile trust
files stay bounded."""

from __future__ import annotations

import gzip
import os
import threading
import tracemalloc
import zlib
from collections.abc import Iterator
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from continue_setup.probe.probes import Options, ProbeResult, ping
from continue_setup.probe.targets import Target
from continue_setup.probe.transport import MAX_BODY, Tls, ssl_context

KEY = "sk-ld-TRANSPORT-SENTINEL-0123456789"
INFLATED = 256 * 1024 * 1024  # what the bomb expands to: 256 times the body cap


@cache
def bomb(layers: int) -> bytes:
    """Return INFLATED zero bytes gzipped ``layers`` times (a few hundred bytes for two)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1024 * 1024)
    body = b"".join(packer.compress(block) for _ in range(INFLATED // len(block)))
    body += packer.flush()
    for _ in range(layers - 1):
        body = gzip.compress(body, 9)
    return body


class Hostile(BaseHTTPRequestHandler):
    """Answer every POST with the body and Content-Encoding named by the server's mode."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        mode = self.server.mode  # type: ignore[attr-defined]
        encoding, body = {
            "gzip": ("gzip", bomb(1)),
            "gzip-gzip": ("gzip, gzip", bomb(2)),
            "br": ("br", b"\x00" * 64),
        }[mode]
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Encoding", encoding)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the client stopped reading, as it should: not an error of this test

    def log_message(self, *_: object) -> None:
        """Stay quiet."""


@pytest.fixture
def hostile() -> Iterator[ThreadingHTTPServer]:
    """A server on 127.0.0.1 that sends whatever its ``mode`` says."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    server.daemon_threads = False  # server_close() waits for every handler: none outlives us
    server.block_on_close = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def probe(base: str, *, stream: bool = False) -> ProbeResult:
    """Probe one chat entry at ``base`` with a short deadline."""
    target = Target("T", "openai", "gpt-4.1", base, KEY, "chat", use_responses_api=False)
    # Plain JSON: the whole body counts against the 1 MiB cap (a stream is cut sooner, at
    # its 64 KiB line limit, and the bomb has no line breaks).
    return ping([target], Options(timeout=10.0, stream=stream)).results[0]


@pytest.mark.parametrize("mode", ["gzip", "gzip-gzip"])
def test_a_gzip_bomb_is_unpacked_only_up_to_the_cap(hostile: ThreadingHTTPServer, mode: str
                                                    ) -> None:
    """A body gzipped once or twice that expands to 256 MiB is cut at the 1 MiB cap (one
    layer) or refused (two layers); memory stays far below what it expands to."""
    hostile.mode = mode  # type: ignore[attr-defined]
    bomb(1 if mode == "gzip" else 2)  # built before measuring
    tracemalloc.start()
    try:
        result = probe(f"http://127.0.0.1:{hostile.server_address[1]}/v1")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.category == "bad_response", result
    assert peak < 16 * MAX_BODY
    if mode == "gzip":
        assert "1 MiB" in result.message
    else:
        assert "'gzip, gzip'" in result.message and "refusing" in result.message
    assert KEY not in result.message + result.hint


def test_a_gzip_bomb_in_a_stream_is_cut_too(hostile: ThreadingHTTPServer) -> None:
    """Streamed (ping's default), the unpacked bomb is cut at the event-stream line limit."""
    hostile.mode = "gzip"  # type: ignore[attr-defined]
    bomb(1)
    tracemalloc.start()
    try:
        result = probe(f"http://127.0.0.1:{hostile.server_address[1]}/v1", stream=True)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.category == "bad_response", result
    assert peak < 16 * MAX_BODY


def test_an_unknown_encoding_is_refused_with_a_reason(hostile: ThreadingHTTPServer) -> None:
    """A Content-Encoding we cannot unpack in bounded steps (br) is a bad_response that says so."""
    hostile.mode = "br"  # type: ignore[attr-defined]
    result = probe(f"http://127.0.0.1:{hostile.server_address[1]}/v1")
    assert result.category == "bad_response"
    assert "'br'" in result.message and "Accept-Encoding: identity" in result.message


def test_tls_to_a_plain_http_port_says_so(hostile: ThreadingHTTPServer) -> None:
    """https:// to a port that speaks plain HTTP is named as such, with no certificate advice."""
    hostile.mode = "br"  # type: ignore[attr-defined]
    port = hostile.server_address[1]
    result = probe(f"https://127.0.0.1:{port}/v1")
    assert result.category == "tls", result
    assert f"127.0.0.1:{port} answered in plain HTTP" in result.message
    assert "caBundlePath" not in result.hint and "certificate" not in result.hint
    assert "http://" in result.hint


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_trust_files_that_are_fifos_are_refused_not_waited_on(tmp_path: Path) -> None:
    """A caBundlePath or clientCertificate naming a FIFO is reported as unusable at once."""
    fifo = tmp_path / "ca.pem"
    os.mkfifo(fifo)
    tls = Tls(ca_bundles=(str(fifo),), client_cert=(str(fifo), str(fifo), None))
    _, problems = ssl_context(tls, {})
    assert len(problems) == 2
    assert all("FIFO" in problem for problem in problems)
