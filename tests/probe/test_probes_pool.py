"""The probe pool: as wide as the work, model-list lookups beside it, the stack warmed first."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from continue_setup.fake.server import FakeServer
from continue_setup.probe import modellists, probes, transport
from continue_setup.probe.probes import Options, ping
from continue_setup.probe.targets import Target
from tests.fakeserver_fixtures import KEY


class InFlight:
    """Wraps ``exchange`` to count requests in flight, by method, at the real server."""

    def __init__(self) -> None:
        self.now: Counter[str] = Counter()
        self.peak: Counter[str] = Counter()
        self.peak_total = 0
        self.clients_at_first_call: int | None = None

    def wrap(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Install the counter in front of both callers of ``exchange``."""
        real = transport.exchange

        async def counted(pool: transport.Pool, **kwargs: Any) -> transport.Exchange:
            if self.clients_at_first_call is None:
                self.clients_at_first_call = len(pool._clients)
            method = kwargs["method"]
            self.now[method] += 1
            self.peak[method] = max(self.peak[method], self.now[method])
            self.peak_total = max(self.peak_total, sum(self.now.values()))
            try:
                return await real(pool, **kwargs)
            finally:
                self.now[method] -= 1

        monkeypatch.setattr(probes, "exchange", counted)
        monkeypatch.setattr(modellists, "exchange", counted)


def targets(fake: FakeServer, count: int) -> list[Target]:
    """Return ``count`` chat entries, alternating the OpenAI and Anthropic routes."""
    made = []
    for i in range(count):
        provider, model = (("openai", "gpt-4.1") if i % 2 == 0
                           else ("anthropic", "claude-sonnet-4-6-default"))
        made.append(Target(title=f"entry {i}", provider=provider, model=model, api_key=KEY,
                           api_base=fake.base(provider), role="chat"))
    return made


def test_model_lists_never_take_a_probes_slot(fake: FakeServer,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """With one probe slot, the probe and both model lists are still in flight together."""
    fake.delay = 0.3
    seen = InFlight()
    seen.wrap(monkeypatch)
    report = ping(targets(fake, 2), Options(timeout=5, concurrency=1))
    assert report.ok
    assert seen.peak["POST"] == 1  # the cap on probes holds
    assert seen.peak["GET"] == 2  # one list per route, outside that cap
    assert seen.peak_total == 3


def test_the_probe_pool_is_as_wide_as_the_work(fake: FakeServer,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Twenty entries are all probed at once: no waves behind a fixed number of slots."""
    fake.delay = 0.3
    seen = InFlight()
    seen.wrap(monkeypatch)
    report = ping(targets(fake, 20), Options(timeout=10))
    assert report.ok and len(report.results) == 20
    assert seen.peak["POST"] == 20
    assert len(fake.recorded()) == 22  # 20 probes and one list per route


def test_the_http_stack_is_ready_before_the_first_request(
        fake: FakeServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Clients exist before any request starts its clock."""
    seen = InFlight()
    seen.wrap(monkeypatch)
    assert ping(targets(fake, 1), Options(timeout=5)).ok
    assert seen.clients_at_first_call == 1


# Run in a fresh interpreter, where nothing the first request needs is imported yet.
_FIRST_IMPORTS = """
import sys
from continue_setup.probe import modellists, probes, transport
from continue_setup.probe.probes import Options, ping
from continue_setup.probe.targets import Target
imported = set()
real = transport.exchange
async def watched(pool, **kwargs):
    before = set(sys.modules)
    try:
        return await real(pool, **kwargs)
    finally:
        imported.update(set(sys.modules) - before)
probes.exchange = modellists.exchange = watched
url, key, proxy = sys.argv[1:4]
target = Target("T", "openai", "gpt-4.1", url, key, "chat",
                {"proxy": proxy} if proxy else {})
print(ping([target], Options(timeout=5)).results[0].category, *sorted(imported))
"""


@pytest.mark.parametrize("through_proxy", [False, True])
def test_no_request_waits_for_an_import(fake: FakeServer, through_proxy: bool,
                                        tmp_path: Path) -> None:
    """Everything a request needs is imported before its clock starts, directly and through
    a proxy (httpx's transport, whose anyio backend loads its modules on first use):
    otherwise the first probe's latency_ms includes 40-80 ms of imports."""
    from tests.fakeserver_fixtures import ForwardProxy

    proxy = ForwardProxy() if through_proxy else None
    try:
        out = subprocess.run(
            [sys.executable, "-c", _FIRST_IMPORTS, fake.base("openai"), KEY,
             proxy.url if proxy else ""],
            capture_output=True, text=True, timeout=60, check=False, cwd=tmp_path,
            env={**os.environ, "NO_PROXY": "", "no_proxy": ""})
    finally:
        if proxy is not None:
            proxy.close()
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["ok"]
    if proxy is not None:
        assert proxy.seen  # the request did go through the proxy


def test_an_unusable_proxy_is_still_a_verdict_after_warming(fake: FakeServer) -> None:
    """A proxy httpx refuses to build a client for is reported per entry, not raised."""
    target = targets(fake, 1)[0]
    odd = Target(title=target.title, provider=target.provider, model=target.model,
                 api_key=KEY, api_base=target.api_base, role="chat",
                 request_options={"proxy": "socks9://127.0.0.1:1"})
    result = ping([odd], Options(timeout=5, check_models=False)).results[0]
    assert result.category == "network"


def test_probes_search_for_no_missing_module(fake: FakeServer,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Once warm, a run of probes makes no import that fails: each failed one searches all of
    sys.path again (httpcore asked for the absent sniffio ~7 times a request)."""
    import builtins

    assert ping(targets(fake, 2), Options(timeout=5)).ok  # imports done
    failed: list[str] = []
    real_import = builtins.__import__

    def counting(name: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return real_import(name, *args, **kwargs)
        except ImportError:
            failed.append(name)
            raise

    monkeypatch.setattr(builtins, "__import__", counting)
    assert ping(targets(fake, 10), Options(timeout=5)).ok
    assert failed == []
