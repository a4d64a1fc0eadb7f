"""One request on one connection of its own, spoken with h11 over plain asyncio.

For every connection that goes through no proxy, which is what ``ping`` makes, up to 50
at once. httpx's client and httpcore's connection around each request (merged header
objects, a state lock and a trace context per step, three anyio lock acquisitions per
request, each a turn of the loop for every task in flight) were most of the CPU an extra
probe cost, for pooling, keep-alive and cookies a probe never uses. Here a request opens
its connection, sends, reads its answer and closes. The bytes are the same: the request
carries the headers, in the order, httpx's client would give it (``request_fields``), h11
writes and parses every message as it did under httpcore, and failures are raised as
httpx's own exceptions with httpcore's messages, so every verdict is unchanged. Proxied
connections keep httpx's transport: a TLS tunnel through an https proxy is TLS inside TLS,
which anyio handles on every Python we support.
"""

from __future__ import annotations

import asyncio
import ssl
import sys
from collections.abc import AsyncIterator, Awaitable, Iterable, Mapping
from typing import TypeVar

import h11
import httpx

T = TypeVar("T")
# StreamWriter.start_tls and asyncio.timeout are new in Python 3.11; 3.10 keeps httpx's
# own transport.
AVAILABLE = sys.version_info >= (3, 11)
# anyio's delay before trying a host's next address (RFC 8305), kept so dual-stack hosts
# connect as they did under httpx's transport.
HAPPY_EYEBALLS_DELAY = 0.25
# httpcore's sizes: what one read asks for, and the most an unfinished head may hold.
READ_SIZE = 64 * 1024
MAX_HEAD = 100 * 1024
# What httpx's client puts on every request before the caller's own headers.
CLIENT_HEADERS = (("Accept", "*/*"), ("Accept-Encoding", "gzip, deflate"),
                  ("Connection", "keep-alive"), ("User-Agent", f"python-httpx/{httpx.__version__}"))
_WITH_BODY = ("POST", "PUT", "PATCH")


async def within(step: Awaitable[T], timeout: float | None) -> T:
    """Await ``step``, raising TimeoutError after ``timeout`` seconds (None: no limit)."""
    if timeout is None:
        return await step
    if AVAILABLE:  # a timer in the current task, where wait_for starts a task per call
        async with asyncio.timeout(timeout):
            return await step
    return await asyncio.wait_for(step, timeout)  # pragma: no cover - Python 3.10


def request_fields(method: str, url: httpx.URL, headers: Mapping[str, str], body: bytes | None
                   ) -> list[tuple[bytes, bytes]]:
    """Return the header fields httpx's client would send: its defaults, each replaced by
    a caller's header of that name (which then comes after them), Host first, and the body's
    Content-Length (``Content-Length: 0`` second for a POST, PUT or PATCH without one).

    Names and values are encoded as ASCII, raising UnicodeEncodeError as httpx does.
    """
    own = {name.lower() for name in headers}
    fields = [(name.encode("ascii"), value.encode("ascii"))
              for name, value in CLIENT_HEADERS if name.lower() not in own]
    fields += [(name.encode("ascii"), value.encode("ascii")) for name, value in headers.items()]
    if body and "content-length" not in own:
        fields.append((b"Content-Length", str(len(body)).encode("ascii")))
    first = [] if "host" in own else [(b"Host", url.netloc)]
    if not body and method in _WITH_BODY and not own & {"content-length", "transfer-encoding"}:
        first.append((b"Content-Length", b"0"))
    return first + fields


def answer_fields(raw: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    """Return an answer's headers as httpx's ``headers.items()`` gives them, names in lower
    case: repeated names joined with ", ", all decoded as ASCII, else UTF-8, else Latin-1."""
    pairs = list(raw)
    encoding = "iso-8859-1"
    for candidate in ("ascii", "utf-8"):
        try:
            for name, value in pairs:
                name.decode(candidate)
                value.decode(candidate)
        except UnicodeDecodeError:
            continue
        encoding = candidate
        break
    fields: dict[str, str] = {}
    for name, value in pairs:
        key, text = name.decode(encoding).lower(), value.decode(encoding)
        fields[key] = f"{fields[key]}, {text}" if key in fields else text
    return fields


def _is_ip(host: str) -> bool:
    """Return whether ``host`` is an IP address, which has no other address to race."""
    if ":" in host:
        return True  # an IPv6 address (httpx hands it over without brackets); no name has one
    parts = host.split(".")
    return len(parts) == 4 and all(p.isascii() and p.isdigit() for p in parts)


def _detail(error: BaseException) -> str:
    return str(error) or type(error).__name__


async def connect(host: str, port: int, context: ssl.SSLContext | None
                  ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """Open a TCP connection, trying the host's addresses as anyio does, then TLS over it
    when ``context`` is given, the certificate checked for ``host``."""
    delay = None if _is_ip(host) else HAPPY_EYEBALLS_DELAY
    try:
        reader, writer = await asyncio.open_connection(host, port, happy_eyeballs_delay=delay)
    except OSError as e:
        raise httpx.ConnectError(_detail(e)) from e
    if context is None:
        return reader, writer  # asyncio sets TCP_NODELAY itself, as anyio did
    try:
        await writer.start_tls(context, server_hostname=host)
    except BaseException as e:
        writer.transport.abort()
        if isinstance(e, OSError):  # ssl.SSLError included
            raise httpx.ConnectError(_detail(e)) from e
        raise
    return reader, writer


class Connection:
    """One HTTP/1.1 exchange: h11's state and the stream pair its bytes move on."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.state = h11.Connection(our_role=h11.CLIENT, max_incomplete_event_size=MAX_HEAD)
        self._reader = reader
        self._writer = writer

    async def send(self, method: bytes, target: bytes, fields: list[tuple[bytes, bytes]],
                   body: Iterable[bytes]) -> None:
        """Write the request. A write that fails is left for the answer to explain, as
        httpcore does: a server may refuse a request half-sent and still answer it."""
        try:
            out = [self.state.send(h11.Request(method=method, target=target, headers=fields))]
            out += [self.state.send(h11.Data(data=chunk)) for chunk in body if chunk]
            out.append(self.state.send(h11.EndOfMessage()))
        except h11.LocalProtocolError as e:
            raise httpx.LocalProtocolError(_detail(e)) from e
        try:
            self._writer.write(b"".join(part for part in out if part))
            await self._writer.drain()
        except OSError:
            pass

    async def _event(self) -> h11.Event | type[h11.PAUSED]:
        """Return the next thing the server said, reading as much as that takes."""
        while True:
            try:
                event = self.state.next_event()
            except h11.RemoteProtocolError as e:
                raise httpx.RemoteProtocolError(_detail(e)) from e
            if event is not h11.NEED_DATA:
                return event  # type: ignore[return-value]
            try:
                data = await self._reader.read(READ_SIZE)
            except OSError as e:
                raise httpx.ReadError(_detail(e)) from e
            if not data and self.state.their_state == h11.SEND_RESPONSE:
                raise httpx.RemoteProtocolError("Server disconnected without sending a response.")
            self.state.receive_data(data)

    async def head(self) -> h11.Response | h11.InformationalResponse:
        """Return the answer's status line and headers, past any 1xx but 101."""
        while True:
            event = await self._event()
            if isinstance(event, h11.Response) or (
                    isinstance(event, h11.InformationalResponse) and event.status_code == 101):
                return event

    async def chunks(self) -> AsyncIterator[bytes]:
        """Yield the body as it arrives, until its end."""
        while True:
            event = await self._event()
            if isinstance(event, h11.Data):
                yield bytes(event.data)
            elif isinstance(event, h11.EndOfMessage) or event is h11.PAUSED:
                return

    def close(self) -> None:
        """Drop the connection at once, as anyio does (no TLS close_notify to wait for)."""
        transport = self._writer.transport
        if transport.get_extra_info("sslcontext") is not None:
            transport.abort()
        else:
            transport.close()


async def _open(url: httpx.URL, context: ssl.SSLContext) -> Connection:
    """Connect to the URL's host, over TLS for https, with httpx's errors for a bad URL."""
    if not url.scheme:
        raise httpx.UnsupportedProtocol(
            "Request URL is missing an 'http://' or 'https://' protocol.")
    if url.scheme not in ("http", "https"):
        raise httpx.UnsupportedProtocol(
            f"Request URL has an unsupported protocol '{url.scheme}://'.")
    tls = url.scheme == "https"
    host = url.raw_host.decode("ascii")
    return Connection(*await connect(host, url.port or (443 if tls else 80),
                                     context if tls else None))


async def _ask(url: httpx.URL, context: ssl.SSLContext, method: bytes,
               fields: list[tuple[bytes, bytes]], body: Iterable[bytes]
               ) -> tuple[Connection, h11.Response | h11.InformationalResponse]:
    """Connect, send the request and read the answer's head; if any of it fails (or is
    cancelled), the connection is closed before the error goes on."""
    connection = await _open(url, context)
    try:
        await connection.send(method, url.raw_path, fields, body)
        return connection, await connection.head()
    except BaseException:
        connection.close()
        raise


class Answer:
    """An answer's status and headers (names in lower case); its body comes from ``chunks``."""

    def __init__(self, status: int, headers: dict[str, str], connection: Connection) -> None:
        self.status = status
        self.headers = headers
        self.chunks = connection.chunks


class Exchange:
    """``async with`` one request: its answer inside, body unread; the connection closed
    on the way out, whatever happened.

    A class rather than an ``asynccontextmanager`` generator: on Ctrl-C the loop's shutdown
    closes every live async generator, and one suspended inside a request cannot be closed.
    """

    def __init__(self, context: ssl.SSLContext, method: str, url: httpx.URL,
                 headers: Mapping[str, str], body: bytes | None) -> None:
        self._context = context
        self._method = method
        self._url = url
        self._headers = headers
        self._body = body
        self._connection: Connection | None = None

    async def __aenter__(self) -> Answer:
        fields = request_fields(self._method, self._url, self._headers, self._body)
        # _ask closes the connection if this fails: __aexit__ runs only once this returns.
        self._connection, head = await _ask(self._url, self._context,
                                            self._method.encode("ascii"), fields,
                                            (self._body,) if self._body else ())
        return Answer(head.status_code, answer_fields(head.headers), self._connection)

    async def __aexit__(self, *exc: object) -> None:
        if self._connection is not None:
            self._connection.close()


class Body(httpx.AsyncByteStream):
    """An answer's body for httpx; closing it closes the connection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._connection.chunks():
                yield chunk
        except BaseException:
            self._connection.close()
            raise

    async def aclose(self) -> None:
        self._connection.close()


class Transport(httpx.AsyncBaseTransport):
    """The same connection behind httpx's transport interface, for the requests that go
    through httpx's client (a URL with a user and password, which it turns into Basic
    auth). Holds no connection between requests: each is closed with its answer."""

    def __init__(self, context: ssl.SSLContext) -> None:
        context.set_alpn_protocols(["http/1.1"])  # what httpcore offers without HTTP/2
        self.context = context

    def exchange(self, method: str, url: httpx.URL, headers: Mapping[str, str],
                 body: bytes | None) -> Exchange:
        """Return ``async with`` for one request sent without httpx's client (the URL holds
        no user or password): the same bytes, a fraction of the work."""
        return Exchange(self.context, method, url, headers, body)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` and return its answer, body unread."""
        body = [chunk async for chunk in request.stream]  # type: ignore[union-attr]
        connection, head = await _ask(request.url, self.context, request.method.encode("ascii"),
                                      request.headers.raw, body)
        return httpx.Response(
            head.status_code, headers=head.headers.raw_items(), stream=Body(connection),
            extensions={"http_version": b"HTTP/" + head.http_version,
                        "reason_phrase": head.reason})
