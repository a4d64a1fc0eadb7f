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


def test_a_stale_exported_key_is_named_with_the_fix(run: Any, config_dir: Path,
                                                     fake: Any) -> None:
    """Good key in .env, stale one exported: doctor shows cn failing, names the variable and
    says to unset it or update .env, never showing either value."""
    good, stale = "sk-ld-good-0123456789abcdef", "sk-ld-stale-0123456789abcdef"
    fake.keys = {good}
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / ".env").write_text(f"LANGDOCK_API_KEY={good}\n")
    os.chmod(config_dir / ".env", 0o600)
    (config_dir / "config.yaml").write_text(
        "name: t\nversion: 1.0.0\nschema: v1\nmodels:\n  - name: GPT\n    provider: openai\n"
        f"    model: gpt-4.1\n    apiBase: {fake.base('openai')}\n"
        "    apiKey: ${{ secrets.LANGDOCK_API_KEY }}\n    roles: [chat]\n")
    os.chmod(config_dir / "config.yaml", 0o600)
    result = run("doctor", "--timeout", "5", env={"LANGDOCK_API_KEY": stale})
    assert result.exit_code == 3, result.output
    assert "GPT (cn)" in result.output and "GPT (IDE)" in result.output
    assert "LANGDOCK_API_KEY differs" in result.output and "unset it" in result.output
    assert good not in result.output and stale not in result.output


def test_tools_offered_by_doctor_find_a_model_agent_mode_cannot_use(
        run: Any, config_dir: Path, fake: Any) -> None:
    """doctor --tools: a route that refuses tools fails as tools_unsupported."""
    from continue_setup.fake.server import Behaviour

    write_config(config_dir, langdock_config(fake.url, key=KEY))
    os.chmod(config_dir / "config.json", 0o600)
    fake.behaviours["openai"] = Behaviour("tools_rejected")
    assert run("doctor", "--timeout", "5").exit_code == 0
    result = run("doctor", "--json", "--timeout", "5", "--tools")
    categories = {r["kind"]: r["category"] for r in json.loads(result.stdout)["ping"]["results"]}
    assert categories["responses"] == "tools_unsupported" and result.exit_code == 3
    assert categories["messages"] == "ok"
