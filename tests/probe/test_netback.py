"""Direct connections on plain asyncio, one connection per request, requests unchanged."""

from __future__ import annotations

import asyncio
import gc
import logging
import socket
from pathlib import Path
from typing import Any

import httpcore
import httpx
import pytest

from continue_setup.fake.api import Behaviour
from continue_setup.fake.server import FakeServer
from continue_setup.probe import netback
from continue_setup.probe.pool import Pool
from continue_setup.probe.probes import Options, ping
from continue_setup.probe.targets import Target
from continue_setup.probe.transport import Tls
from tests.fakeserver_fixtures import KEY, ForwardProxy
from tests.probe.test_probes_pool import targets

pytestmark = pytest.mark.skipif(not netback.AVAILABLE, reason="Python 3.11 and later only")


class Opened:
    """Counts the connections the asyncio backend opens and upgrades to TLS, and keeps them."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.streams: list[netback.Stream] = []
        self.upgrades = 0
        connect, upgrade = netback.Backend.connect_tcp, netback.Stream.start_tls

        async def counted_connect(backend: netback.Backend, *args: Any, **kwargs: Any) -> Any:
            stream = await connect(backend, *args, **kwargs)
            self.streams.append(stream)
            return stream

        async def counted_upgrade(stream: netback.Stream, *args: Any, **kwargs: Any) -> Any:
            self.upgrades += 1
            return await upgrade(stream, *args, **kwargs)

        monkeypatch.setattr(netback.Backend, "connect_tcp", counted_connect)
        monkeypatch.setattr(netback.Stream, "start_tls", counted_upgrade)

    @property
    def connects(self) -> int:
        """How many connections were opened."""
        return len(self.streams)

    def all_closed(self) -> bool:
        """Tell whether every connection opened has been closed (or is closing)."""
        return all(s.get_extra_info("socket") is None or s._writer.transport.is_closing()
                   for s in self.streams)


def test_direct_probes_each_get_a_connection_of_their_own(
        fake: FakeServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Twelve direct probes and two model lists open fourteen asyncio connections, all
    closed by the end, and the verdicts come back in the order of the entries."""
    fake.delay = 0.2
    opened = Opened(monkeypatch)
    report = ping(targets(fake, 12), Options(timeout=10))
    assert report.ok
    assert [r.title for r in report.results] == [f"entry {i}" for i in range(12)]
    assert opened.connects == 14 and opened.all_closed()
    assert len(fake.recorded()) == 14


def test_only_a_transport_with_an_httpcore_pool_moves_to_asyncio() -> None:
    """The asyncio path relies on httpx's private ``_pool`` (httpx 0.27, 0.28): a transport
    that keeps no httpcore pool there, as a later httpx might, is left as it is."""
    from continue_setup.probe import pool

    class Later:  # a transport of an httpx that names its pool otherwise
        _connections = httpcore.AsyncConnectionPool()

    assert pool._on_asyncio(httpx.AsyncHTTPTransport())
    assert not pool._on_asyncio(Later())  # type: ignore[arg-type]


def test_without_the_asyncio_path_probes_go_through_httpxs_own_pool(
        fake: FakeServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the transport cannot be moved, probes and model lists still pass, none of
    them on the asyncio backend."""
    from continue_setup.probe import pool

    monkeypatch.setattr(pool, "_on_asyncio", lambda transport: False)
    opened = Opened(monkeypatch)
    report = ping(targets(fake, 3), Options(timeout=10))
    assert report.ok
    assert opened.connects == 0
    assert len(fake.recorded()) == 5


def test_proxied_probes_keep_httpcores_own_backend(
        fake: FakeServer, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch) -> None:
    """A probe through a proxy passes without the asyncio backend (TLS inside TLS needs anyio)."""
    opened = Opened(monkeypatch)
    target = targets(fake, 1)[0]
    target.request_options["proxy"] = proxy.url
    result = ping([target], Options(timeout=5, check_models=False)).results[0]
    assert result.ok
    assert ("POST", f"{fake.url}/openai/eu/v1/chat/completions") in proxy.seen
    assert opened.connects == 0


def test_https_on_the_asyncio_backend_checks_the_certificate(
        tls_fake: tuple[FakeServer, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Over the asyncio backend an untrusted certificate is still tls, and the CA makes it pass."""
    server, ca_path = tls_fake
    opened = Opened(monkeypatch)

    def probe(**request_options: Any) -> Any:
        target = Target("T", "openai", "gpt-4.1", f"{server.url}/openai/eu/v1", KEY, "chat",
                        request_options)
        return ping([target], Options(timeout=5, check_models=False)).results[0]

    refused = probe()
    assert refused.category == "tls" and "caBundlePath" in refused.hint
    assert probe(caBundlePath=str(ca_path)).ok
    assert opened.upgrades == 2 and opened.connects == 2 and opened.all_closed()
    assert len(server.recorded()) == 1  # nothing was sent over the untrusted connection


def test_a_certificate_for_another_name_is_refused_on_the_asyncio_backend(
        ca: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A certificate the trusted CA issued, but for another host name, is refused (tls), and
    nothing is sent: the asyncio backend checks the name as well as the issuer."""
    import ssl

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("elsewhere.example").configure_cert(context)  # not 127.0.0.1
    ca_path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_path))
    opened = Opened(monkeypatch)
    with FakeServer(ssl_context=context, stall_max=5.0) as server:
        target = Target("T", "openai", "gpt-4.1", f"{server.url}/openai/eu/v1", KEY, "chat",
                        {"caBundlePath": str(ca_path)})
        result = ping([target], Options(timeout=5, check_models=False)).results[0]
        assert result.category == "tls", result
        assert opened.upgrades == 1
        assert server.recorded() == []


def test_a_run_leaves_no_task_behind(fake: FakeServer, caplog: pytest.LogCaptureFixture) -> None:
    """Streams read only until complete leave nothing pending: asyncio logs no destroyed task."""
    with caplog.at_level(logging.ERROR, logger="asyncio"):
        assert ping(targets(fake, 6), Options(timeout=5)).ok
        gc.collect()
    assert not [r for r in caplog.records if "destroyed" in r.getMessage()]


def test_the_request_is_the_one_the_client_would_send(fake: FakeServer) -> None:
    """Sent through the pool or through httpx's own client.send, the server sees the same
    request line, headers in the same order, and body."""
    url = f"{fake.base('openai')}/chat/completions"
    body = b'{"model": "gpt-4.1", "messages": [{"role": "user", "content": "ping"}]}'
    headers = {"User-Agent": "continue-setup/test", "Accept-Encoding": "identity",
               "Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}

    async def both() -> None:
        pool = Pool(environ={}, limit=2)
        client = pool.client(Tls(), None, plain=True)
        try:
            request = client.build_request("POST", url, headers=headers, content=body)
            async with pool.send(request, Tls(), None, plain=True) as response:
                await response.aread()
            again = client.build_request("POST", url, headers=headers, content=body)
            response = await client.send(again)
            await response.aclose()
        finally:
            await pool.aclose()

    netback_run(both())
    ours, theirs = fake.recorded("chat")
    assert (ours.method, ours.path, ours.body) == (theirs.method, theirs.path, theirs.body)
    assert list(ours.headers.items()) == list(theirs.headers.items())


def test_a_url_with_a_user_still_gets_httpxs_basic_auth(fake: FakeServer) -> None:
    """An apiBase carrying user:password goes through httpx's client, which sends Basic auth,
    as before this path existed."""
    base = fake.base("openai").replace("http://", "http://user:secret@")
    target = Target("T", "openai", "gpt-4.1", base, KEY, "chat")
    result = ping([target], Options(timeout=5, check_models=False)).results[0]
    assert result.category == "auth"
    assert fake.recorded("chat")[0].headers["authorization"].startswith("Basic ")


def netback_run(coro: Any) -> Any:
    """Run ``coro`` on a fresh event loop."""
    return asyncio.run(coro)


def test_within_bounds_a_step() -> None:
    """within() returns a step's value, or raises TimeoutError once the time is up."""
    assert netback_run(netback.within(asyncio.sleep(0, "done"), 5)) == "done"
    assert netback_run(netback.within(asyncio.sleep(0, "done"), None)) == "done"
    with pytest.raises(TimeoutError):
        netback_run(netback.within(asyncio.sleep(5), 0.01))


def test_a_stream_reads_writes_and_answers_httpcores_questions() -> None:
    """A connection made by the backend moves bytes both ways, says where it goes, and is
    readable once the peer has closed it."""

    async def talk() -> None:
        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            writer.write((await reader.readexactly(4)).upper())
            await writer.drain()
            writer.close()

        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with server:
            stream = await netback.Backend().connect_tcp("127.0.0.1", port, timeout=5)
            assert stream.get_extra_info("server_addr") == ("127.0.0.1", port)
            assert stream.get_extra_info("client_addr")[0] == "127.0.0.1"
            assert stream.get_extra_info("ssl_object") is None
            assert stream.get_extra_info("socket") is not None
            assert stream.get_extra_info("something else") is None
            await stream.write(b"ping", timeout=5)
            await stream.write(b"", timeout=5)
            assert await stream.read(100, timeout=5) == b"PING"
            assert await stream.read(100, timeout=5) == b""
            assert stream.get_extra_info("is_readable") is True
            await stream.aclose()

    netback_run(talk())


def test_a_refused_connection_is_httpcores_connect_error() -> None:
    """Connecting to a port nobody listens on raises httpcore.ConnectError, which httpx and
    the verdicts already know."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, never listening: connections are refused
        with pytest.raises(httpcore.ConnectError):
            netback_run(netback.Backend().connect_tcp("127.0.0.1", port, timeout=5))


def test_an_ip_address_needs_no_race_but_a_name_still_gets_one(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Addresses connect directly; host names keep the happy-eyeballs delay anyio used."""
    seen: list[Any] = []

    async def record(host: str, port: int, **kwargs: Any) -> Any:
        seen.append(kwargs["happy_eyeballs_delay"])
        raise OSError("not really connecting")

    monkeypatch.setattr(asyncio, "open_connection", record)
    for host in ("127.0.0.1", "::1", "localhost"):
        with pytest.raises(httpcore.ConnectError, match="not really"):
            netback_run(netback.Backend().connect_tcp(host, 1))
    assert seen == [None, None, netback.HAPPY_EYEBALLS_DELAY]


def test_httpx_maps_the_backends_errors_to_its_own(fake: FakeServer) -> None:
    """A stalled answer through the pool ends as httpx's ReadTimeout, as with anyio."""
    fake.behaviours["chat"] = Behaviour("stall")
    url = f"{fake.base('openai')}/chat/completions"

    async def stalled() -> None:
        pool = Pool(environ={}, limit=1)
        try:
            request = pool.client(Tls(), None, plain=True).build_request(
                "POST", url, headers={"Authorization": f"Bearer {KEY}"}, content=b"{}",
                timeout=httpx.Timeout(0.3))
            async with pool.send(request, Tls(), None, plain=True) as response:
                await response.aread()
        finally:
            await pool.aclose()

    with pytest.raises(httpx.ReadTimeout):
        netback_run(stalled())


def test_a_url_is_parsed_once_per_run() -> None:
    """Probes of one route share the URL httpx parsed for the first; the parse is httpx's own."""
    pool = Pool(environ={}, limit=1)
    first = pool.url("https://api.langdock.com/openai/eu/v1/chat/completions")
    assert pool.url("https://api.langdock.com/openai/eu/v1/chat/completions") is first
    assert first == httpx.URL("https://api.langdock.com/openai/eu/v1/chat/completions")
    assert pool.url("https://api.langdock.com/anthropic/eu/v1/messages") is not first


def test_ctrl_c_mid_request_closes_quietly(fake: FakeServer, caplog: pytest.LogCaptureFixture,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C while probes wait for their answers reaches the caller as KeyboardInterrupt,
    and asyncio reports no generator it could not close (one traceback per probe, once)."""
    from continue_setup.probe import probes

    fake.delay = 2.0
    real = probes._ping

    def interrupt() -> None:
        raise KeyboardInterrupt

    async def interrupted(*args: Any, **kwargs: Any) -> Any:
        asyncio.get_running_loop().call_later(0.3, interrupt)
        return await real(*args, **kwargs)

    monkeypatch.setattr(probes, "_ping", interrupted)
    with caplog.at_level(logging.ERROR, logger="asyncio"), pytest.raises(KeyboardInterrupt):
        ping(targets(fake, 4), Options(timeout=10))
    gc.collect()
    assert [r.getMessage() for r in caplog.records] == []


def test_readable_without_poll_uses_select(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where select.poll is missing (Windows), an idle socket is judged with select.select:
    quiet while the peer is silent, readable once it has closed."""
    import select

    monkeypatch.delattr(select, "poll")
    left, right = socket.socketpair()
    with left, right:
        assert netback._readable(left) is False
        right.close()
        assert netback._readable(left) is True
    assert netback._readable(None) is True
