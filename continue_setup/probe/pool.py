"""How a run connects: trust and proxy per client, a transport per request, the stack warmed.

Split from ``transport`` (which turns one request into an ``Exchange``): this module owns
the httpx clients, their TLS contexts and which network backend each connection uses.
"""

from __future__ import annotations

import importlib
import ssl
from collections.abc import Iterable, Mapping
from contextlib import suppress
from urllib.parse import urlsplit

import httpcore
import httpx

from continue_setup.config import redact
from continue_setup.probe import netback
from continue_setup.probe.transport import Tls, is_plain, ssl_context

# What httpcore and anyio import lazily on the first connect (anyio 4 loads even its own
# submodules on first use): 40-80 ms that would otherwise land in the first latency_ms.
_FIRST_CONNECT = ("httpcore._backends.anyio", "anyio._backends._asyncio", "anyio._core._sockets",
                  "anyio.streams.tls", "anyio.to_thread", "anyio.abc")


def _on_asyncio(transport: httpx.AsyncHTTPTransport) -> bool:
    """Whether this transport can be moved onto ``netback``: Python 3.11+, and an httpx that
    keeps an httpcore pool in ``_pool`` as 0.27 and 0.28 do. That attribute is private; an
    httpx that keeps its pool elsewhere just sends through its own pool, on anyio."""
    return netback.AVAILABLE and isinstance(getattr(transport, "_pool", None),
                                            httpcore.AsyncConnectionPool)


class Pool:
    """The ways of connecting in one run: a client per trust and proxy, which builds the
    requests, and a transport of its own for each request it sends."""

    def __init__(self, *, environ: Mapping[str, str], limit: int) -> None:
        self._environ = environ
        self._limit = limit
        self._clients: dict[tuple[Tls, str | None], tuple[httpx.AsyncClient, ssl.SSLContext]] = {}
        self._contexts: dict[Tls, tuple[ssl.SSLContext, tuple[str, ...]]] = {}
        self._urls: dict[str, httpx.URL] = {}

    def url(self, url: str) -> httpx.URL:
        """Return ``url`` parsed by httpx, once per run (probes of one route share it)."""
        if url not in self._urls:
            self._urls[url] = httpx.URL(url)
        return self._urls[url]

    def problems(self, tls: Tls) -> tuple[str, ...]:
        """Return what went wrong loading this trust configuration (unreadable CA files)."""
        return self._context(tls)[1]

    def _context(self, tls: Tls) -> tuple[ssl.SSLContext, tuple[str, ...]]:
        if tls not in self._contexts:
            self._contexts[tls] = ssl_context(tls, self._environ)
        return self._contexts[tls]

    def client(self, tls: Tls, proxy: str | None, *, plain: bool = False) -> httpx.AsyncClient:
        """Return the client for this trust and proxy, creating it once.

        ``plain``: the URL is http and so is any proxy, so no certificate is ever checked and
        loading a trust store would only cost time.
        """
        return self._way(tls, proxy, plain)[0]

    def _way(self, tls: Tls, proxy: str | None, plain: bool
             ) -> tuple[httpx.AsyncClient, ssl.SSLContext]:
        key = (Tls(verify=False) if plain else tls, proxy)
        if proxy:
            redact.register(urlsplit(proxy).password)  # a proxy password is a secret too
        if key not in self._clients:
            # verify=False, made once: httpx would build a new context for every transport.
            verify = httpx.create_ssl_context(verify=False) if plain else self._context(tls)[0]
            client = httpx.AsyncClient(
                transport=self._transport(verify, proxy), trust_env=False,
                follow_redirects=False)  # a redirect would carry x-api-key to another host
            self._clients[key] = (client, verify)
        return self._clients[key]

    def _transport(self, verify: ssl.SSLContext, proxy: str | None) -> httpx.AsyncHTTPTransport:
        """Return the transport the client would build for itself, on asyncio when direct."""
        transport = httpx.AsyncHTTPTransport(
            verify=verify, proxy=proxy, limits=httpx.Limits(max_connections=self._limit),
            trust_env=False)
        if not proxy and _on_asyncio(transport):
            transport._pool._network_backend = netback.Backend()
        return transport

    def send(self, request: httpx.Request, tls: Tls, proxy: str | None, *,
             plain: bool = False) -> Sending:
        """Return a context that sends a request built by ``client(...)`` and gives its
        response, body unread, closing both response and connection on the way out.

        Each request gets a transport of its own: in one shared httpcore pool every request
        and every answer scans all of the pool's connections, which with 50 probes in flight
        cost more than moving their bytes. What the client's ``send`` adds around its
        transport is left out too: redirects are refused anyway, there are no event hooks,
        and Continue's fetch keeps no cookie jar. A URL with a user or password still goes
        through the client, which turns them into Basic auth.
        """
        client, verify = self._way(tls, proxy, plain)
        if request.url.username or request.url.password:
            return Sending(request, client=client)
        transport = self._transport(verify, proxy)
        if not proxy and _on_asyncio(transport):
            # One request, one connection: httpcore's connection itself, without the pool
            # around it (its queue, events and locks exist to share connections).
            url = request.url
            transport._pool = httpcore.AsyncHTTPConnection(  # type: ignore[assignment]
                httpcore.URL(scheme=url.raw_scheme, host=url.raw_host, port=url.port,
                             target=b"/").origin,
                ssl_context=verify, network_backend=netback.Backend())
        return Sending(request, transport=transport)

    def warm(self, connections: Iterable[tuple[str, Tls, str | None]]) -> None:
        """Build the client for each (url, trust, proxy) and load httpcore's network backend.

        Done before any request starts its clock: otherwise the first probe's latency_ms
        includes client construction, the trust store and the lazy import of anyio.
        """
        for url, tls, proxy in connections:
            try:
                self.client(tls, proxy, plain=is_plain(url, proxy))
            except Exception:  # noqa: S112  (the request reports it as its verdict)
                continue
        if self._clients:
            for name in _FIRST_CONNECT:
                with suppress(ImportError):  # names differ across anyio releases
                    importlib.import_module(name)

    async def aclose(self) -> None:
        """Close every client."""
        for client, _ in self._clients.values():
            await client.aclose()
        self._clients.clear()


class Sending:
    """``async with`` one request: its response inside, response and connection closed after.

    A class rather than an ``asynccontextmanager`` generator: on Ctrl-C the loop's shutdown
    closes every live async generator, and one suspended inside a request cannot be closed
    ("already running"), which printed a traceback per probe in flight.
    """

    def __init__(self, request: httpx.Request, *, client: httpx.AsyncClient | None = None,
                 transport: httpx.AsyncHTTPTransport | None = None) -> None:
        self._request = request
        self._client = client
        self._transport = transport
        self._response: httpx.Response | None = None

    async def __aenter__(self) -> httpx.Response:
        try:
            if self._transport is None:
                assert self._client is not None
                self._response = await self._client.send(self._request, stream=True)
            else:
                self._response = await self._transport.handle_async_request(self._request)
                self._response.request = self._request
        except BaseException:
            await self._close_transport()
            raise
        return self._response

    async def __aexit__(self, *exc: object) -> None:
        try:
            if self._response is not None:
                await self._response.aclose()
        finally:
            await self._close_transport()

    async def _close_transport(self) -> None:
        if self._transport is not None:
            await self._transport.aclose()
