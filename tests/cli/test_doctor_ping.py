"""``doctor`` with ping: verdicts from the fake Langdock server decide exit codes 0 and 3."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("continue_setup.probe.probes",
                    reason="ping (probes.py) is not in this checkout")
fixtures = pytest.importorskip("tests.fakeserver_fixtures",
                               reason="the fake server fixtures are not in this checkout")
fake = fixtures.fake  # the fixture, also when conftest does not re-export it
KEY = fixtures.KEY
langdock_config = fixtures.langdock_config
write_config = fixtures.write_config


def test_ping_failures_alone_exit_three(run: Any, config_dir: Path, fake: Any) -> None:
    """A valid config whose key the server refuses exits 3 with the auth verdict in the report."""
    fake.keys = {KEY}
    write_config(config_dir, langdock_config(fake.url, key="sk-ld-wrong-key-000000"))
    os.chmod(config_dir / "config.json", 0o600)
    result = run("doctor", "--json", "--timeout", "5")
    payload = json.loads(result.stdout)
    assert result.exit_code == 3, result.output
    assert {r["category"] for r in payload["ping"]["results"]} == {"auth"}
    assert not [f for f in payload["validate"]["findings"] if f["severity"] == "error"]
    assert "sk-ld-wrong-key-000000" not in result.output


def test_ping_success_is_healthy(run: Any, config_dir: Path, fake: Any) -> None:
    """When every probe passes and the config is valid, doctor exits 0 and shows the probes."""
    write_config(config_dir, langdock_config(fake.url, key=KEY))
    os.chmod(config_dir / "config.json", 0o600)
    result = run("doctor", "--timeout", "5")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("✓") >= 3
    assert KEY not in result.output
