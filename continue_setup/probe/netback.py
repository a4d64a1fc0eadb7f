"""httpcore's network layer on plain asyncio, for connections that go through no proxy.

httpcore's default backend goes through anyio, which wraps every read and write in a
cancel scope and a checkpoint that yields to every other task: with 50 probes in flight,
each answer's handling was spread over many turns of the loop and the last verdict came
late (ping of 50 entries: 1.11x one entry before, 1.075x after this alone). The bytes on
the wire are httpcore's either way (it still builds and parses every message); only who
moves them changes. Proxied connections keep the default backend: a TLS tunnel through an
https proxy is TLS inside TLS, which anyio handles on every Python we support.
"""

from __future__ import annotations

import asyncio
import ipaddress
import select
import ssl
import sys
from collections.abc import Awaitable, Iterable
from typing import Any, TypeVar

import httpcore

T = TypeVar("T")
# StreamWriter.start_tls and asyncio.timeout are new in Python 3.11; 3.10 keeps anyio.
AVAILABLE = sys.version_info >= (3, 11)
# anyio's delay before trying a host's next address (RFC 8305), kept so dual-stack hosts
# connect as they did.
HAPPY_EYEBALLS_DELAY = 0.25
# httpcore's own type for a socket option (level, name, value), spelled out.
_Socket = (tuple[int, int, int] | tuple[int, int, bytes | bytearray]
           | tuple[int, int, None, int])


async def within(step: Awaitable[T], timeout: float | None) -> T:
    """Await ``step``, raising TimeoutError after ``timeout`` seconds (None: no limit)."""
    if timeout is None:
        return await step
    if AVAILABLE:  # a timer in the current task, where wait_for starts a task per call
        async with asyncio.timeout(timeout):
            return await step
    return await asyncio.wait_for(step, timeout)  # pragma: no cover - Python 3.10


class Stream(httpcore.AsyncNetworkStream):
    """One connection: an asyncio stream pair, with httpcore's errors."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        """Return up to ``max_bytes`` bytes; b"" once the peer has closed."""
        try:
            return await within(self._reader.read(max_bytes), timeout)
        except TimeoutError as e:
            raise httpcore.ReadTimeout(str(e)) from e
        except OSError as e:
            raise httpcore.ReadError(str(e) or type(e).__name__) from e

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        """Send all of ``buffer``."""
        if not buffer:
            return
        try:
            self._writer.write(buffer)
            await within(self._writer.drain(), timeout)
        except TimeoutError as e:
            raise httpcore.WriteTimeout(str(e)) from e
        except OSError as e:
            raise httpcore.WriteError(str(e) or type(e).__name__) from e

    async def aclose(self) -> None:
        """Close at once, as anyio does (no TLS close_notify exchange to wait for)."""
        transport = self._writer.transport
        if transport.get_extra_info("sslcontext") is not None:
            transport.abort()
        else:
            transport.close()

    async def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                        timeout: float | None = None) -> httpcore.AsyncNetworkStream:
        """Upgrade the connection to TLS, checking the certificate with ``ssl_context``."""
        try:
            await within(self._writer.start_tls(ssl_context, server_hostname=server_hostname,
                                                 ssl_handshake_timeout=timeout), timeout)
        except TimeoutError as e:
            self._writer.transport.abort()
            raise httpcore.ConnectTimeout(str(e)) from e
        except OSError as e:  # ssl.SSLError included
            self._writer.transport.abort()
            raise httpcore.ConnectError(str(e) or type(e).__name__) from e
        return self

    def get_extra_info(self, info: str) -> Any:
        """Answer httpcore's questions about the connection."""
        if info == "ssl_object":
            return self._writer.get_extra_info("ssl_object")
        if info == "client_addr":
            return self._writer.get_extra_info("sockname")
        if info == "server_addr":
            return self._writer.get_extra_info("peername")
        if info == "socket":
            return self._writer.get_extra_info("socket")
        if info == "is_readable":
            return _readable(self._writer.get_extra_info("socket"))
        return None


def _is_ip(host: str) -> bool:
    """Return whether ``host`` is an IPv4 or IPv6 address rather than a name."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _readable(sock: Any) -> bool:
    """Return whether an idle connection has something to read (the peer closed it)."""
    if sock is None or sock.fileno() < 0:
        return True
    if not hasattr(select, "poll"):  # Windows
        return bool(select.select([sock], [], [], 0)[0])
    poller = select.poll()
    poller.register(sock.fileno(), select.POLLIN)
    return bool(poller.poll(0))


class Backend(httpcore.AsyncNetworkBackend):
    """Open TCP connections with asyncio itself."""

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Iterable[_Socket] | None = None
                          ) -> httpcore.AsyncNetworkStream:
        """Connect to ``host``:``port``, trying its addresses as anyio does."""
        # An IP address has no other address to race against: connect to it directly.
        delay = None if _is_ip(host) else HAPPY_EYEBALLS_DELAY
        try:
            reader, writer = await within(asyncio.open_connection(
                host, port, local_addr=(local_address, 0) if local_address else None,
                happy_eyeballs_delay=delay), timeout)
        except TimeoutError as e:
            raise httpcore.ConnectTimeout(str(e)) from e
        except OSError as e:
            raise httpcore.ConnectError(str(e) or type(e).__name__) from e
        # asyncio sets TCP_NODELAY itself, as anyio did.
        for option in socket_options or ():
            writer.get_extra_info("socket").setsockopt(*option)
        return Stream(reader, writer)

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Iterable[_Socket] | None = None
                                  ) -> httpcore.AsyncNetworkStream:  # pragma: no cover
        """Not used: probes go over TCP."""
        raise httpcore.ConnectError("unix sockets are not supported here")

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds``."""
        await asyncio.sleep(seconds)
