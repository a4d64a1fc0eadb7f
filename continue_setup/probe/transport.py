"""One request as an exchange: trust, proxies, deadlines, bounded reads, errors as data.

With ``pool`` (the clients and transports of a run) and ``direct`` (our own transport for
connections through no proxy), this is the only code that talks HTTP."""

from __future__ import annotations

import asyncio
import base64
import os
import ssl
import time
import zlib
from collections.abc import AsyncGenerator, AsyncIterator, Coroutine, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import aclosing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast
from urllib.parse import unquote_to_bytes, urlsplit

import httpx

from continue_setup import __version__
from continue_setup.config import reading, redact
from continue_setup.errors import InputError
from continue_setup.probe import direct
from continue_setup.probe.verdicts import PLAIN_HTTP, SseWatch, Verdict, clean

if TYPE_CHECKING:
    from continue_setup.probe.pool import Pool

T = TypeVar("T")
MAX_BODY = 1024 * 1024  # enough for any real answer; a hostile 100 MB body stops here
USER_AGENT = f"continue-setup/{__version__}"


@dataclass(frozen=True)
class Tls:
    """How to check the server's certificate, from a model's ``requestOptions``."""

    verify: bool = True
    ca_bundles: tuple[str, ...] = ()
    client_cert: tuple[str, str, str | None] | None = None


@dataclass
class Exchange:
    """What one request came back with: an answer, or the verdict of why there is none."""

    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    truncated: bool = False
    eof: bool = False
    failure: Verdict | None = None
    latency_ms: int = 0


def tls_from_options(options: Mapping[str, Any]) -> Tls:
    """Read ``verifySsl``, ``caBundlePath`` (string or list) and ``clientCertificate``."""
    bundles = options.get("caBundlePath")
    paths = [bundles] if isinstance(bundles, str) else bundles if isinstance(bundles, list) else []
    cert = options.get("clientCertificate")
    client = None
    if isinstance(cert, dict) and isinstance(cert.get("cert"), str) and isinstance(
            cert.get("key"), str):
        passphrase = cert.get("passphrase")
        client = (cert["cert"], cert["key"], passphrase if isinstance(passphrase, str) else None)
    # Node's rejectUnauthorized: only an explicit false turns checking off.
    return Tls(options.get("verifySsl") is not False,
               tuple(p for p in paths if isinstance(p, str) and p.strip()), client)


def _no_proxy_match(host: str, pattern: str) -> bool:
    """Match a NO_PROXY entry as Continue does: exact, ``*.domain`` or ``.domain``."""
    pattern_host, _, pattern_port = pattern.partition(":")
    if pattern_port:
        return False  # Continue compares URL hostnames, which carry no port
    if pattern_host == host:
        return True
    if pattern_host.startswith("*."):
        return host.endswith(pattern_host[1:])
    return pattern_host.startswith(".") and host.endswith(pattern_host[1:])


def choose_proxy(url: str, options: Mapping[str, Any], environ: Mapping[str, str]) -> str | None:
    """Pick the proxy Continue would use: requestOptions.proxy, then the environment."""
    parts = urlsplit(url)
    proxy = options.get("proxy") if isinstance(options.get("proxy"), str) else None
    if not proxy:
        names = (("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy")
                 if parts.scheme == "https" else ("HTTP_PROXY", "http_proxy"))
        proxy = next((environ[n] for n in names if environ.get(n)), None)
    if not proxy:
        return None
    patterns = (environ.get("NO_PROXY") or environ.get("no_proxy") or "").split(",")
    own = options.get("noProxy")
    if isinstance(own, list):
        patterns += [p for p in own if isinstance(p, str)]
    host = (parts.hostname or "").lower()
    if any(_no_proxy_match(host, p.strip().lower()) for p in patterns if p.strip()):
        return None
    return proxy


def show_proxy(proxy: str) -> str:
    """Return a proxy URL fit to print: any user and password replaced by a mask."""
    parts = urlsplit(proxy)
    if parts.username is None and parts.password is None:
        return clean(proxy, 120)
    host = parts.netloc.rpartition("@")[2]
    return clean(parts._replace(netloc=f"{redact.MASK}@{host}").geturl(), 120)


def _load_bundle(ctx: ssl.SSLContext, source: str) -> str | None:
    """Add one CA bundle (a PEM file or a ``data:`` URI); return a problem, or None."""
    try:
        if source.startswith("data:"):
            meta, _, payload = source[5:].partition(",")
            raw = (base64.b64decode(payload) if meta.endswith(";base64")
                   else unquote_to_bytes(payload))
            ctx.load_verify_locations(cadata=raw.decode("ascii"))
        else:
            # Read through the one safe reader: a caBundlePath naming a FIFO would hang here.
            raw, _ = reading.read_capped(Path(source), limit=reading.CONFIG_MAX_BYTES,
                                         what="CA bundle")
            if b"-----BEGIN" in raw:  # PEM; text around the blocks may be anything
                ctx.load_verify_locations(cadata=raw.decode("ascii", errors="ignore"))
            else:
                ctx.load_verify_locations(cadata=raw)  # DER
    except InputError as e:
        return f"caBundlePath {source[:80]!r} could not be used ({clean(e.message, 120)})."
    except (OSError, ValueError, ssl.SSLError) as e:
        # Continue silently ignores a CA bundle it cannot read; say so when TLS then fails.
        return f"caBundlePath {source[:80]!r} could not be used ({clean(str(e), 80)})."
    return None


def ssl_context(tls: Tls, environ: Mapping[str, str]) -> tuple[ssl.SSLContext, tuple[str, ...]]:
    """Build the trust Continue would have: the system store, extra CAs, a client cert."""
    problems: list[str] = []
    if not tls.verify:
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    else:
        try:  # the OS trust store (Keychain, Windows store), where corporate CAs are installed
            import truststore

            ctx = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        except ImportError:
            import certifi

            ctx = ssl.create_default_context()  # OpenSSL's system paths and SSL_CERT_FILE
            ctx.load_verify_locations(cafile=certifi.where())
        for name in ("SSL_CERT_FILE", "NODE_EXTRA_CA_CERTS"):
            if environ.get(name) and os.path.isfile(environ[name]):
                _load_bundle(ctx, environ[name])
        problems += [p for p in (_load_bundle(ctx, b) for b in tls.ca_bundles) if p]
    if tls.client_cert is not None:
        cert, key, passphrase = tls.client_cert
        try:
            for path in (cert, key):  # ssl opens them by name: refuse a FIFO or device first
                reading.require_regular(Path(path), what="client certificate file")
            ctx.load_cert_chain(cert, key, passphrase)
        except InputError as e:
            problems.append(f"clientCertificate could not be loaded ({clean(e.message, 120)}).")
        except (OSError, ssl.SSLError) as e:
            problems.append(f"clientCertificate could not be loaded ({clean(str(e), 80)}).")
    return ctx, tuple(problems)


def is_plain(url: str, proxy: str | None) -> bool:
    """Return whether neither the URL nor the proxy uses TLS (no trust store needed)."""
    return url.startswith("http://") and not (proxy or "").startswith("https://")


def _tls_error(error: BaseException) -> ssl.SSLError | None:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, ssl.SSLError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


# What OpenSSL says when the "TLS" answer is plain text: an HTTP server on that port.
_PLAIN_HTTP_SIGNS = ("WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE", "HTTP_REQUEST",
                     "wrong version number", "record layer failure", "http request")


def _plain_http_hint(tls: ssl.SSLError, url: str) -> str | None:
    """Return the message for a TLS handshake answered in plain HTTP, or None."""
    said = f"{getattr(tls, 'reason', '') or ''} {tls}"
    if not any(sign in said for sign in _PLAIN_HTTP_SIGNS):
        return None
    parts = urlsplit(url)
    where = f"{parts.hostname}:{parts.port or 443}" if parts.hostname else "that port"
    return (f"TLS failed: the server at {where} {PLAIN_HTTP}, not TLS. Use http:// "
            "only for 127.0.0.1/localhost, or check the port.")


def failure_of(error: BaseException, *, timeout: float, proxy: str | None, url: str = ""
               ) -> Verdict:
    """Turn a transport exception into a verdict; nothing escapes a probe."""
    tls = _tls_error(error)
    if tls is not None:
        plain = _plain_http_hint(tls, url)
        if plain is not None:
            return Verdict("tls", clean(plain))
        reason = getattr(tls, "verify_message", None) or getattr(tls, "reason", None) or str(tls)
        return Verdict("tls", clean(f"TLS failed: {reason}"))
    detail = clean(str(error)) or type(error).__name__
    if isinstance(error, (httpx.TimeoutException, asyncio.TimeoutError, TimeoutError)):
        return Verdict("timeout", f"no complete answer within {timeout:g} s")
    if isinstance(error, httpx.ProxyError) or (proxy and isinstance(error, httpx.ConnectError)
                                               and "proxy" in detail.lower()):
        return Verdict("network", f"the proxy failed: {detail}")
    if isinstance(error, httpx.ConnectError):
        via = f" (through the proxy {show_proxy(proxy)})" if proxy else ""
        return Verdict("network", f"cannot connect{via}: {detail}")
    if isinstance(error, httpx.RemoteProtocolError):
        if "disconnect" in detail.lower():
            return Verdict("network", f"the server closed the connection: {detail}")
        return Verdict("bad_response", f"not a valid HTTP answer: {detail}")
    if isinstance(error, (httpx.DecodingError, httpx.TooManyRedirects)):
        return Verdict("bad_response", detail)
    if isinstance(error, (httpx.UnsupportedProtocol, httpx.InvalidURL, ValueError)):
        return Verdict("network", f"cannot use the URL or proxy: {detail}")
    if isinstance(error, ImportError):
        return Verdict("network", f"this proxy needs a missing package: {detail}")
    return Verdict("network", f"{type(error).__name__}: {detail}")


# Content-Encodings a body may be decoded from, one layer only, as zlib's window bits.
_DECODABLE = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


def _decoder(content_encoding: str) -> tuple[Any, str | None]:
    """Return (a zlib decompressor or None, a reason to refuse the body or None)."""
    layers = [e.strip().lower() for e in content_encoding.split(",")]
    layers = [e for e in layers if e and e != "identity"]
    if not layers:
        return None, None
    if len(layers) > 1 or layers[0] not in _DECODABLE:
        return None, (
            f"the server compressed its answer as {clean(content_encoding, 60)!r} although "
            "asked for none (Accept-Encoding: identity); refusing to unpack it. A proxy or "
            "gateway between here and Langdock may be re-encoding answers."
        )
    return zlib.decompressobj(_DECODABLE[layers[0]]), None


def _inflate(decoder: Any, data: bytes, room: int) -> bytes:
    """Decompress ``data`` into at most ``room`` (>= 1) bytes; what does not fit is dropped."""
    out = decoder.decompress(data, room)
    while decoder.unconsumed_tail and len(out) < room:  # each pass adds output or ends
        out += decoder.decompress(decoder.unconsumed_tail, room - len(out))
    return bytes(out)


async def _read(exchange: Exchange, status: int, headers: dict[str, str],
                body: AsyncIterator[bytes], watch: SseWatch | None) -> None:
    """Note the answer's status and headers (names in lower case), then read at most
    MAX_BODY bytes of ``body``, counted on the wire and after any decompression; a
    successful stream (``watch``) stops once it is complete.

    ``body`` gives the raw bytes (for httpx, ``aiter_raw``), decoded here one chunk at a time
    under the cap: httpx would decode a gzip bomb whole inside a single chunk.
    """
    exchange.status, exchange.headers = status, headers
    if not 200 <= status < 300:
        watch = None  # an error's body is read whole, to explain it
    decoder, refusal = _decoder(headers.get("content-encoding", ""))
    if refusal is not None:
        exchange.failure = Verdict("bad_response", refusal)
        return
    chunks: list[bytes] = []
    size = wire = 0
    # aclosing: when the deadline cancels us mid-body, the iterator is closed here and now,
    # not later by the garbage collector on a loop that has already stopped.
    async with aclosing(cast("AsyncGenerator[bytes, None]", body)) as stream:
        async for raw in stream:
            wire += len(raw)
            try:
                chunk = raw if decoder is None else _inflate(decoder, raw, MAX_BODY + 1 - size)
            except zlib.error as e:
                exchange.failure = Verdict("bad_response", f"a corrupt compressed body: {e}")
                return
            size += len(chunk)
            if watch is not None:
                if watch.feed(chunk):
                    return
            else:
                chunks.append(chunk)
            if size > MAX_BODY or wire > MAX_BODY:
                exchange.truncated = True
                break
        else:
            exchange.eof = True
    exchange.body = b"".join(chunks)[:MAX_BODY]


async def exchange(pool: Pool, *, method: str, url: str, headers: Mapping[str, str],
                   body: bytes | None, timeout: float, tls: Tls, proxy: str | None,
                   watch: SseWatch | None = None) -> Exchange:
    """Send one request and read its answer within ``timeout`` seconds in total."""
    result = Exchange()
    started = time.perf_counter()

    async def run() -> None:
        plain = is_plain(url, proxy)
        target = pool.url(url)
        way = pool.direct(tls, proxy, plain=plain)
        if way is not None and not (target.username or target.password):
            async with way.exchange(method, target, headers, body) as answer:
                await _read(result, answer.status, answer.headers, answer.chunks(), watch)
            return
        request = pool.client(tls, proxy, plain=plain).build_request(
            method, target, headers=dict(headers), content=body, timeout=_WHOLE)
        async with pool.send(request, tls, proxy, plain=plain) as response:
            await _read(result, response.status_code,
                        {k.lower(): v for k, v in response.headers.items()},
                        response.aiter_raw(), watch)

    try:
        # One deadline for the whole exchange, so a server that sends one byte per second
        # still ends at it. It also bounds every phase: a phase timeout of the same length
        # (httpx's default) starts later, so it could never fire first; it only cost a timer
        # per read and write.
        await direct.within(run(), timeout)
    except Exception as e:  # every failure becomes a verdict: no exception escapes a probe
        result.failure = failure_of(e, timeout=timeout, proxy=proxy, url=url)
    result.latency_ms = round((time.perf_counter() - started) * 1000)
    return result


_WHOLE = httpx.Timeout(None)  # see exchange: its one deadline bounds every phase


def base_headers() -> dict[str, str]:
    """Return the headers every request carries."""
    # identity: a compressed answer could expand past MAX_BODY inside a single chunk.
    return {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}


def run_sync(coro: Coroutine[Any, Any, T], workers: int = 8) -> T:
    """Run ``coro`` on a fresh event loop whose end does not wait for stuck DNS look-ups."""
    loop = asyncio.new_event_loop()
    executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="continue-setup")
    loop.set_default_executor(executor)
    try:
        result = loop.run_until_complete(coro)
        _settle(loop)
        return result
    except BaseException:  # Ctrl-C: close what is in flight before the loop goes
        _cancel_left(loop)
        raise
    finally:
        executor.shutdown(wait=False, cancel_futures=True)
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


def _settle(loop: asyncio.AbstractEventLoop) -> None:
    """Let the tasks the loop's async-generator finalizer started finish (bounded).

    A response read only until its event stream was complete leaves httpx's and httpcore's
    body generators to the finalizer, which closes each in a task of its own a loop turn
    later; a loop closed before that turn warns that those tasks were destroyed.
    """
    loop.run_until_complete(asyncio.sleep(0))
    pending = asyncio.all_tasks(loop)
    if pending:
        loop.run_until_complete(asyncio.wait(pending, timeout=1.0))


def _cancel_left(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel the tasks an interrupted run left and let them close their connections.

    Bounded: closing a connection sends nothing and waits for nobody, so this takes
    milliseconds; a request abandoned instead would leave its socket and coroutine to the
    garbage collector, which reports both once the loop is gone.
    """
    pending = asyncio.all_tasks(loop)
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.wait(pending, timeout=1.0))
