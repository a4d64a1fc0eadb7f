"""Direct connections: our own transport, one connection per request, the bytes on the
wire and every outcome the same as httpx's own client and transport give."""

from __future__ import annotations

import asyncio
import gc
import logging
import socket
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from continue_setup.fake.api import Behaviour
from continue_setup.fake.server import FakeServer
from continue_setup.probe import direct
from continue_setup.probe.pool import Pool
from continue_setup.probe.probes import Options, ping
from continue_setup.probe.targets import Target
from continue_setup.probe.transport import Tls
from tests.fakeserver_fixtures import KEY, ForwardProxy
from tests.probe.test_probes_pool import targets

pytestmark = pytest.mark.skipif(not direct.AVAILABLE, reason="Python 3.11 and later only")


class Opened:
    """Counts the connections our transport opens and upgrades to TLS, and keeps them."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.writers: list[asyncio.StreamWriter] = []
        self.upgrades = 0
        connect = direct.connect

        async def counted(host: str, port: int, context: Any) -> Any:
            self.upgrades += context is not None
            reader, writer = await connect(host, port, context)
            self.writers.append(writer)
            return reader, writer

        monkeypatch.setattr(direct, "connect", counted)

    @property
    def connects(self) -> int:
        """How many connections were opened (a TLS handshake that failed opens none)."""
        return len(self.writers)

    def all_closed(self) -> bool:
        """Tell whether every connection opened has been closed (or is closing)."""
        return all(w.transport.is_closing() for w in self.writers)


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


def test_without_our_transport_probes_go_through_httpxs_own(
        fake: FakeServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where our transport is not used (Python 3.10), probes and model lists still pass,
    through httpx's client and transport, and none of them opens a connection of ours."""
    monkeypatch.setattr(direct, "AVAILABLE", False)
    opened = Opened(monkeypatch)
    report = ping(targets(fake, 3), Options(timeout=10))
    assert report.ok
    assert opened.connects == 0
    assert len(fake.recorded()) == 5


def test_proxied_probes_keep_httpxs_own_transport(
        fake: FakeServer, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch) -> None:
    """A probe through a proxy passes through httpx's transport (TLS inside TLS needs anyio)."""
    opened = Opened(monkeypatch)
    target = targets(fake, 1)[0]
    target.request_options["proxy"] = proxy.url
    result = ping([target], Options(timeout=5, check_models=False)).results[0]
    assert result.ok
    assert ("POST", f"{fake.url}/openai/eu/v1/chat/completions") in proxy.seen
    assert opened.connects == 0


def test_https_on_our_transport_checks_the_certificate(
        tls_fake: tuple[FakeServer, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """On our transport an untrusted certificate is still tls, and the CA makes it pass."""
    server, ca_path = tls_fake
    opened = Opened(monkeypatch)

    def probe(**request_options: Any) -> Any:
        target = Target("T", "openai", "gpt-4.1", f"{server.url}/openai/eu/v1", KEY, "chat",
                        request_options)
        return ping([target], Options(timeout=5, check_models=False)).results[0]

    refused = probe()
    assert refused.category == "tls" and "caBundlePath" in refused.hint
    assert probe(caBundlePath=str(ca_path)).ok
    # The refused handshake left no connection open; the trusted one was closed after.
    assert opened.upgrades == 2 and opened.connects == 1 and opened.all_closed()
    assert len(server.recorded()) == 1  # nothing was sent over the untrusted connection


def test_a_certificate_for_another_name_is_refused_on_our_transport(
        ca: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A certificate the trusted CA issued, but for another host name, is refused (tls), and
    nothing is sent: our transport checks the name as well as the issuer."""
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
        assert opened.upgrades == 1 and opened.connects == 0
        assert server.recorded() == []


def test_a_run_leaves_no_task_behind(fake: FakeServer, caplog: pytest.LogCaptureFixture) -> None:
    """Streams read only until complete leave nothing pending: asyncio logs no destroyed task."""
    with caplog.at_level(logging.ERROR, logger="asyncio"):
        assert ping(targets(fake, 6), Options(timeout=5)).ok
        gc.collect()
    assert not [r for r in caplog.records if "destroyed" in r.getMessage()]


def test_the_request_is_the_one_httpxs_client_would_send(fake: FakeServer) -> None:
    """Sent by our transport or by httpx's own client and transport, the server sees the same
    request line, the same headers in the same order, and the same body."""
    url = f"{fake.base('openai')}/chat/completions"
    body = b'{"model": "gpt-4.1", "messages": [{"role": "user", "content": "ping"}]}'
    headers = {"User-Agent": "continue-setup/test", "Accept-Encoding": "identity",
               "Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}

    async def both() -> None:
        pool = Pool(environ={}, limit=2)
        way = pool.direct(Tls(), None, plain=True)
        assert way is not None
        try:
            async with way.exchange("POST", pool.url(url), headers, body) as answer:
                assert answer.status == 200
                assert b"".join([c async for c in answer.chunks()])
            async with httpx.AsyncClient(trust_env=False) as client:
                (await client.post(url, headers=headers, content=body)).raise_for_status()
        finally:
            await pool.aclose()

    run(both())
    ours, theirs = fake.recorded("chat")
    assert (ours.method, ours.path, ours.body) == (theirs.method, theirs.path, theirs.body)
    assert list(ours.headers.items()) == list(theirs.headers.items())


_TOKEN = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-",
                 min_size=1, max_size=12)
# Names a caller might give that httpx's client or request treat specially, in any case.
_SPECIAL = st.sampled_from(["Accept", "accept-encoding", "CONNECTION", "User-Agent", "host",
                            "Content-Length", "transfer-encoding", "Content-Type"])


@settings(max_examples=300, deadline=None)
@given(method=st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]),
       url=st.sampled_from(["http://127.0.0.1:8080/a?b=c", "https://api.langdock.com/x",
                            "https://API.langdock.com:443/openai/eu/v1", "http://[::1]:81/",
                            "https://bücher.example/v1/chat completions"]),
       headers=st.dictionaries(st.one_of(_SPECIAL, _TOKEN), st.text(
           alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=20),
           max_size=6),
       body=st.one_of(st.none(), st.binary(max_size=40)))
def test_request_fields_are_httpxs_own(method: str, url: str, headers: dict[str, str],
                                       body: bytes | None) -> None:
    """The header fields, and their order, are exactly those httpx's client builds."""
    client = httpx.AsyncClient(trust_env=False)
    built = client.build_request(method, url, headers=headers, content=body)
    assert direct.request_fields(method, httpx.URL(url), headers, body) == built.headers.raw


def test_a_header_httpx_cannot_encode_fails_the_same_way() -> None:
    """A header value outside ASCII raises UnicodeEncodeError, as httpx's client does, so the
    verdict is the same; the value itself is not in the message."""
    headers = {"Authorization": "Bearer sk-\u00e9t\u00e9"}
    with pytest.raises(UnicodeEncodeError) as theirs:
        httpx.AsyncClient(trust_env=False).build_request("GET", "http://h/", headers=headers)
    with pytest.raises(UnicodeEncodeError) as ours:
        direct.request_fields("GET", httpx.URL("http://h/"), headers, None)
    assert str(ours.value) == str(theirs.value) and "sk-" not in str(ours.value)


_RAW = st.binary(min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([b"Content-Type", b"content-type", b"X-A", b"x-\xe9"]),
                          st.one_of(_RAW, st.sampled_from([b"caf\xc3\xa9", b"\xff\xfe", b"ok"]))),
                max_size=6))
def test_answer_fields_are_httpxs_own(raw: list[tuple[bytes, bytes]]) -> None:
    """Headers decode as httpx's headers.items() does: repeated names joined, ASCII, else
    UTF-8, else Latin-1 for all of them together, names in lower case."""
    theirs = {k.lower(): v for k, v in httpx.Headers(raw).items()}
    assert direct.answer_fields(raw) == theirs


def test_a_url_with_a_user_still_gets_httpxs_basic_auth(fake: FakeServer) -> None:
    """An apiBase carrying user:password goes through httpx's client, which sends Basic auth,
    as before this path existed."""
    base = fake.base("openai").replace("http://", "http://user:secret@")
    target = Target("T", "openai", "gpt-4.1", base, KEY, "chat")
    result = ping([target], Options(timeout=5, check_models=False)).results[0]
    assert result.category == "auth"
    assert fake.recorded("chat")[0].headers["authorization"].startswith("Basic ")


def run(coro: Any) -> Any:
    """Run ``coro`` on a fresh event loop."""
    return asyncio.run(coro)


def test_within_bounds_a_step() -> None:
    """within() returns a step's value, or raises TimeoutError once the time is up."""
    assert run(direct.within(asyncio.sleep(0, "done"), 5)) == "done"
    assert run(direct.within(asyncio.sleep(0, "done"), None)) == "done"
    with pytest.raises(TimeoutError):
        run(direct.within(asyncio.sleep(5), 0.01))


def test_a_refused_connection_is_httpxs_connect_error() -> None:
    """Connecting to a port nobody listens on raises httpx.ConnectError, which the verdicts
    already know."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, never listening: connections are refused
        with pytest.raises(httpx.ConnectError):
            run(direct.connect("127.0.0.1", port, None))


def test_an_ip_address_needs_no_race_but_a_name_still_gets_one(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Addresses connect directly; host names keep the happy-eyeballs delay anyio used."""
    seen: list[Any] = []

    async def record(host: str, port: int, **kwargs: Any) -> Any:
        seen.append(kwargs["happy_eyeballs_delay"])
        raise OSError("not really connecting")

    monkeypatch.setattr(asyncio, "open_connection", record)
    for host in ("127.0.0.1", "::1", "localhost", "api.langdock.com", "1.2.3.x"):
        with pytest.raises(httpx.ConnectError, match="not really"):
            run(direct.connect(host, 1, None))
    assert seen == [None, None, *[direct.HAPPY_EYEBALLS_DELAY] * 3]


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


# Answers a server may give, sound or not; each is read by our transport and by httpx's.
ANSWERS = {
    "a sized body": b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    b"Content-Length: 12\r\n\r\n{\"ok\": true}",
    "a chunked body": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                      b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
    "a body ended by closing": b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n"
                               b"data: {}\n\ndata: [DONE]\n\n",
    "an HTTP/1.0 answer": b"HTTP/1.0 200 OK\r\n\r\nold",
    "a 100 before the answer": b"HTTP/1.1 100 Continue\r\n\r\n"
                               b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 2\r\n\r\nno",
    "no content": b"HTTP/1.1 204 No Content\r\n\r\n",
    "repeated headers": b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nX-A: 1\r\n"
                        b"x-a: 2\r\nContent-Length: 0\r\n\r\n",
    "a Latin-1 header": b"HTTP/1.1 200 OK\r\nX-Name: caf\xe9\r\nContent-Length: 0\r\n\r\n",
    "a UTF-8 header": b"HTTP/1.1 200 OK\r\nX-Name: caf\xc3\xa9\r\nContent-Length: 0\r\n\r\n",
    "switching protocols": b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\nafter",
    "a body cut short": b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this",
    "a broken chunk": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n",
    "two lengths": b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc",
    "no answer at all": b"",
    "not HTTP": b"SSH-2.0-OpenSSH_9.6\r\n",
    "half a head": b"HTTP/1.1 200 OK\r\nContent-Le",
    "a head too large": b"HTTP/1.1 200 OK\r\n" + b"X-Pad: " + b"a" * 120_000 + b"\r\n\r\n",
    "a folded header": b"HTTP/1.1 200 OK\r\nX-A: one\r\n two\r\nContent-Length: 0\r\n\r\n",
    "a bad header name": b"HTTP/1.1 200 OK\r\nX A: 1\r\nContent-Length: 0\r\n\r\n",
}


async def _serving(answer: bytes, talk: Callable[[str], Awaitable[Any]]) -> Any:
    """Serve ``answer`` to every request on 127.0.0.1 (then close) while ``talk`` runs."""

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                           if line.lower().startswith(b"content-length:")), 0)
            await reader.readexactly(length)
            writer.write(answer)
            await writer.drain()
        finally:
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    async with server:
        return await talk(f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/v1/chat")


_HEADERS = {"User-Agent": "continue-setup/test", "Accept-Encoding": "identity",
            "Content-Type": "application/json"}
_BODY = b'{"model": "gpt-4.1"}'


async def _through_httpx(url: str, transport: httpx.AsyncBaseTransport | None = None) -> Any:
    """What httpx's client reads of the answer, over ``transport`` (default: httpx's own)."""
    async with httpx.AsyncClient(trust_env=False, transport=transport) as client:
        try:
            async with client.stream("POST", url, headers=_HEADERS, content=_BODY) as response:
                body = b"".join([chunk async for chunk in response.aiter_raw()])
                return (response.status_code,
                        {k.lower(): v for k, v in response.headers.items()}, body)
        except httpx.HTTPError as e:
            return type(e).__name__, str(e)


async def _through_ours(url: str) -> Any:
    """What our transport's exchange reads of the answer."""
    import ssl

    way = direct.Transport(ssl.create_default_context())
    try:
        async with way.exchange("POST", httpx.URL(url), _HEADERS, _BODY) as answer:
            body = b"".join([chunk async for chunk in answer.chunks()])
            return answer.status, answer.headers, body
    except httpx.HTTPError as e:
        return type(e).__name__, str(e)


@pytest.mark.parametrize("name", list(ANSWERS))
def test_every_answer_reads_as_httpx_reads_it(name: str) -> None:
    """Status, headers and body, or the error and its message: the same through our exchange,
    through our transport under httpx's client, and through httpx's own transport."""
    import ssl

    answer = ANSWERS[name]
    theirs = run(_serving(answer, _through_httpx))
    ours = run(_serving(answer, _through_ours))
    wrapped = run(_serving(answer, lambda url: _through_httpx(
        url, direct.Transport(ssl.create_default_context()))))
    assert ours == theirs
    assert wrapped == theirs


def test_an_unusable_url_fails_as_httpx_fails() -> None:
    """A URL without http or https is refused with httpx's own error and message; ws://,
    which httpcore would connect to for a websocket, is refused too, as Node's fetch does."""
    import ssl

    async def both(url: str) -> tuple[Any, tuple[str, str]]:
        theirs = await _through_httpx(url)
        with pytest.raises(httpx.UnsupportedProtocol) as ours:
            async with direct.Transport(ssl.create_default_context()).exchange(
                    "POST", httpx.URL(url), _HEADERS, _BODY):
                pass
        return theirs, ("UnsupportedProtocol", str(ours.value))

    theirs, ours = run(both("ftp://127.0.0.1/x"))
    assert ours == theirs == ("UnsupportedProtocol",
                              "Request URL has an unsupported protocol 'ftp://'.")
    assert run(both("ws://127.0.0.1:9/x"))[1] == (
        "UnsupportedProtocol", "Request URL has an unsupported protocol 'ws://'.")


def test_a_deadline_mid_answer_closes_the_connection(fake: FakeServer,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A server that never answers ends at the exchange's deadline as a timeout, and the
    connection it held is closed, whether the deadline came before the head or mid-body."""
    opened = Opened(monkeypatch)
    for behaviour in ("stall", "hold_stream"):
        fake.behaviours["chat"] = Behaviour(behaviour)
        target = targets(fake, 1)[0]
        result = ping([target], Options(timeout=0.5, check_models=False, retries=0)).results[0]
        assert result.category == "timeout", (behaviour, result)
    assert opened.connects == 2 and opened.all_closed()
