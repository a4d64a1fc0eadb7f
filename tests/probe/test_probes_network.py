"""Proxies and TLS as Continue honours them: requestOptions, the environment, CA bundles."""

from __future__ import annotations

import base64
import socket
from pathlib import Path
from typing import Any

from continue_setup.fake.server import FakeServer
from continue_setup.probe.probes import Options, ProbeResult, ping
from continue_setup.probe.targets import Target
from tests.fakeserver_fixtures import KEY, ForwardProxy


def probe(base: str, *, environ: dict[str, str] | None = None,
          **request_options: Any) -> ProbeResult:
    """Probe gpt-4.1 chat at ``base`` with these request options and environment."""
    t = Target("T", "openai", "gpt-4.1", f"{base}/openai/eu/v1", KEY, "chat", request_options)
    return ping([t], Options(timeout=5, environ=environ or {}, check_models=False)).results[0]


def test_request_options_proxy_carries_the_probe(fake: FakeServer, proxy: ForwardProxy) -> None:
    """requestOptions.proxy sends the call through that proxy."""
    result = probe(fake.url, proxy=proxy.url)
    assert result.ok
    assert ("POST", f"{fake.url}/openai/eu/v1/chat/completions") in proxy.seen
    assert fake.recorded("chat")[0].headers["authorization"] == f"Bearer {KEY}"


def test_http_proxy_from_the_environment(fake: FakeServer, proxy: ForwardProxy) -> None:
    """HTTP_PROXY carries calls to http bases when the entry names no proxy."""
    assert probe(fake.url, environ={"HTTP_PROXY": proxy.url}).ok
    assert [m for m, _ in proxy.seen] == ["POST"]


def test_no_proxy_bypasses_the_proxy(fake: FakeServer, proxy: ForwardProxy) -> None:
    """A host in NO_PROXY (or requestOptions.noProxy) is called directly."""
    assert probe(fake.url, environ={"HTTP_PROXY": proxy.url, "NO_PROXY": "127.0.0.1"}).ok
    assert probe(fake.url, environ={"HTTP_PROXY": proxy.url}, noProxy=["127.0.0.1"]).ok
    assert proxy.seen == []
    assert len(fake.recorded("chat")) == 2


def test_https_proxy_tunnels_to_a_tls_server(tls_fake: tuple[FakeServer, Path],
                                            proxy: ForwardProxy) -> None:
    """HTTPS_PROXY opens a CONNECT tunnel; TLS is checked end to end with the CA bundle."""
    server, ca_path = tls_fake
    result = probe(server.url, environ={"HTTPS_PROXY": proxy.url}, caBundlePath=str(ca_path))
    assert result.ok
    assert proxy.seen == [("CONNECT", f"127.0.0.1:{server.port}")]


def test_a_dead_proxy_is_a_network_verdict(fake: FakeServer) -> None:
    """A proxy that refuses connections gives network, naming it without its password."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    result = probe(fake.url, proxy=dead.replace("//", "//alice:proxy-secret-42@"))
    assert result.category == "network" and "proxy" in result.message
    assert "proxy-secret-42" not in result.message and "alice" not in result.message


def test_an_untrusted_certificate_is_tls_with_the_ca_bundle_hint(
        tls_fake: tuple[FakeServer, Path]) -> None:
    """Without the company CA the probe fails as tls, and the hint names caBundlePath."""
    server, _ = tls_fake
    result = probe(server.url)
    assert result.category == "tls" and result.status is None
    assert "caBundlePath" in result.hint
    assert server.recorded() == []


def test_ca_bundle_path_as_string_list_or_data_uri(tls_fake: tuple[FakeServer, Path],
                                                   tmp_path: Path) -> None:
    """caBundlePath trusts the CA as a path, in a list (unreadable ones ignored), or data: URI."""
    server, ca_path = tls_fake
    pem = ca_path.read_bytes()
    data_uri = "data:application/x-pem-file;base64," + base64.b64encode(pem).decode()
    assert probe(server.url, caBundlePath=str(ca_path)).ok
    assert probe(server.url, caBundlePath=[str(tmp_path / "missing.pem"), str(ca_path)]).ok
    assert probe(server.url, caBundlePath=data_uri).ok


def test_an_unreadable_ca_bundle_is_named_in_the_tls_hint(
        tls_fake: tuple[FakeServer, Path], tmp_path: Path) -> None:
    """Continue silently ignores a CA file it cannot read; ping says so when TLS fails."""
    server, _ = tls_fake
    result = probe(server.url, caBundlePath=str(tmp_path / "missing.pem"))
    assert result.category == "tls"
    assert "missing.pem" in result.hint and "could not be used" in result.hint


def test_verify_ssl_false_skips_certificate_checks(tls_fake: tuple[FakeServer, Path]) -> None:
    """verifySsl: false connects despite the unknown CA, as Continue would."""
    server, _ = tls_fake
    assert probe(server.url, verifySsl=False).ok


def test_ssl_cert_file_from_the_environment_is_trusted(
        tls_fake: tuple[FakeServer, Path]) -> None:
    """SSL_CERT_FILE (and NODE_EXTRA_CA_CERTS, which Continue reads) add trusted CAs."""
    server, ca_path = tls_fake
    assert probe(server.url, environ={"SSL_CERT_FILE": str(ca_path)}).ok
    assert probe(server.url, environ={"NODE_EXTRA_CA_CERTS": str(ca_path)}).ok


def test_without_truststore_certifi_and_the_ca_bundle_still_work(
        tls_fake: tuple[FakeServer, Path], monkeypatch: Any) -> None:
    """When truststore is not installed, trust falls back to OpenSSL's paths plus certifi."""
    import sys

    monkeypatch.setitem(sys.modules, "truststore", None)  # import truststore now fails
    server, ca_path = tls_fake
    assert probe(server.url).category == "tls"
    assert probe(server.url, caBundlePath=str(ca_path)).ok
