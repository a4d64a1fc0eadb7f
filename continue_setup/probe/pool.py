"""How a run connects: trust and proxy per client, direct or through httpx, the stack warmed.

Split from ``transport`` (which turns one request into an ``Exchange``): this module owns
the httpx clients, their TLS contexts, and which transport each connection uses: our own
(``direct``) where no proxy is in the way, httpx's through one.
"""

from __future__ import annotations

import importlib
import ssl
from collections.abc import Iterable, Mapping
from contextlib import suppress
from urllib.parse import urlsplit

import httpx

from continue_setup.config import redact
from continue_setup.probe import direct
from continue_setup.probe.transport import Tls, is_plain, ssl_context

# What httpcore and anyio import lazily on the first connect (anyio 4 loads even its own
# submodules on first use): 40-80 ms that would otherwise land in the first latency_ms.
_FIRST_CONNECT = ("httpcore._backends.anyio", "anyio._backends._asyncio", "anyio._core._sockets",
                  "anyio.streams.tls", "anyio.to_thread", "anyio.abc")


class Pool:
    """The ways of connecting in one run: per trust and proxy, an httpx client and the
    transport it sends through (ours when direct, which ``direct()`` also hands out)."""

    def __init__(self, *, environ: Mapping[str, str], limit: int) -> None:
        self._environ = environ
        self._limit = limit
        self._clients: dict[tuple[Tls, str | None],
                            tuple[httpx.AsyncClient, httpx.AsyncBaseTransport, ssl.SSLContext]] = {}
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

    def direct(self, tls: Tls, proxy: str | None, *, plain: bool = False
               ) -> direct.Transport | None:
        """Return the transport of our own this trust and proxy use, or None: through a
        proxy, or on Python 3.10, requests go through httpx's client and transport."""
        transport = self._way(tls, proxy, plain)[1]
        return transport if isinstance(transport, direct.Transport) else None

    def _way(self, tls: Tls, proxy: str | None, plain: bool
             ) -> tuple[httpx.AsyncClient, httpx.AsyncBaseTransport, ssl.SSLContext]:
        key = (Tls(verify=False) if plain else tls, proxy)
        if proxy:
            redact.register(urlsplit(proxy).password)  # a proxy password is a secret too
        if key not in self._clients:
            # verify=False, made once: httpx would build a new context for every transport.
            verify = httpx.create_ssl_context(verify=False) if plain else self._context(tls)[0]
            transport = self._transport(verify, proxy)
            client = httpx.AsyncClient(
                transport=transport, trust_env=False,
                follow_redirects=False)  # a redirect would carry x-api-key to another host
            self._clients[key] = (client, transport, verify)
        return self._clients[key]

    def _transport(self, verify: ssl.SSLContext, proxy: str | None
                   ) -> httpx.AsyncBaseTransport:
        """Return our own transport for a direct connection, httpx's through a proxy."""
        if not proxy and direct.AVAILABLE:
            return direct.Transport(verify)
        return httpx.AsyncHTTPTransport(
            verify=verify, proxy=proxy, limits=httpx.Limits(max_connections=self._limit),
            trust_env=False)

    def send(self, request: httpx.Request, tls: Tls, proxy: str | None, *,
             plain: bool = False) -> Sending:
        """Return a context that sends a request built by ``client(...)`` and gives its
        response, body unread, closing both response and connection on the way out: for the
        requests ``direct()`` does not take (through a proxy, or with a user in the URL).

        Each request gets a transport of its own: in one shared httpcore pool every request
        and every answer scans all of the pool's connections, which with many probes in
        flight cost more than moving their bytes. What the client's ``send`` adds around
        its transport is left out too: redirects are refused anyway, there are no event
        hooks, and Continue's fetch keeps no cookie jar. A URL with a user or password
        still goes through the client, which turns them into Basic auth.
        """
        client, _, verify = self._way(tls, proxy, plain)
        if request.url.username or request.url.password:
            return Sending(request, client=client)
        return Sending(request, transport=self._transport(verify, proxy))

    def warm(self, connections: Iterable[tuple[str, Tls, str | None]]) -> None:
        """Build the client for each (url, trust, proxy), and load httpcore's network
        backend if a request will go through httpx's transport (a proxy).

        Done before any request starts its clock: otherwise the first probe's latency_ms
        includes client construction, the trust store and the lazy import of anyio.
        """
        for url, tls, proxy in connections:
            try:
                self.client(tls, proxy, plain=is_plain(url, proxy))
            except Exception:  # noqa: S112  (the request reports it as its verdict)
                continue
        if any(not isinstance(way[1], direct.Transport) for way in self._clients.values()):
            for name in _FIRST_CONNECT:
                with suppress(ImportError):  # names differ across anyio releases
                    importlib.import_module(name)

    async def aclose(self) -> None:
        """Close every client."""
        for client, _, _ in self._clients.values():
            await client.aclose()
        self._clients.clear()


class Sending:
    """``async with`` one request: its response inside, response and connection closed after.

    A class rather than an ``asynccontextmanager`` generator: on Ctrl-C the loop's shutdown
    closes every live async generator, and one suspended inside a request cannot be closed
    ("already running"), which printed a traceback per probe in flight.
    """

    def __init__(self, request: httpx.Request, *, client: httpx.AsyncClient | None = None,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._request = request
        self._client = client
        self._transport = transport  # this request's alone: closed after it
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
