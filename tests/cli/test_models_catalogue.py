"""``models`` reads where to list like ``ping`` does, and says what Continue knows of each id."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from continue_setup.fake.server import FakeServer
from tests.fakeserver_fixtures import KEY, langdock_config, write_config


def test_base_region_and_key_come_from_the_loaded_config(run: Any, fake: FakeServer,
                                                         config_dir: Path) -> None:
    """With no option and no LANGDOCK_API_KEY, the config's base, region and key are used."""
    config = langdock_config(fake.url)
    config["models"][0]["apiBase"] = f"{fake.url}/openai/us/v1"
    write_config(config_dir, config)
    result = run("models", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert (payload["base_url"], payload["region"]) == (fake.url, "us")
    assert all(r.headers["authorization"] == f"Bearer {KEY}" for r in fake.recorded())
    assert KEY not in result.output


def test_each_id_says_configured_and_what_continue_knows(run: Any, fake: FakeServer,
                                                         config_dir: Path) -> None:
    """gpt-5.2 is configured, known (400000); gpt-5.6 unknown: 32768 ctx, no images."""
    fake.models["openai"] = ["gpt-5.2", "gpt-5.6", "gpt-4o"]
    write_config(config_dir, langdock_config(fake.url))
    payload = json.loads(run("models", "--json").stdout)
    rows = {row["id"]: row for row in payload["models"]}
    assert rows["gpt-5.2"]["configured"] is True
    assert rows["gpt-5.2"]["continue"] == {"tools": True, "images": False,
                                           "contextLength": 400000, "known": True}
    assert rows["gpt-5.6"]["configured"] is False
    assert rows["gpt-5.6"]["continue"]["contextLength"] == 32768
    assert rows["gpt-4o"]["continue"]["images"] is True  # Continue's own name rule
    assert rows["claude-sonnet-4-6-default"]["route"] == "anthropic"
    text = run("models").stdout
    assert "configured" in text and "images no" in text


def test_options_and_the_environment_key_win_over_the_config(run: Any, fake: FakeServer,
                                                              config_dir: Path) -> None:
    """--region and LANGDOCK_API_KEY override what the config says."""
    write_config(config_dir, langdock_config(fake.url, key="sk-ld-config-key-000000"))
    result = run("models", "--json", "--region", "us", env={"LANGDOCK_API_KEY": KEY})
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["region"] == "us"
    assert {r.headers["authorization"] for r in fake.recorded()} == {f"Bearer {KEY}"}


def test_org_settings_give_base_and_region(run: Any, fake: FakeServer, tmp_path: Path) -> None:
    """Without a config, the organisation settings file names the deployment."""
    org = tmp_path / "org.json"
    org.write_text(json.dumps({"base_url": fake.url, "region": "us"}))
    result = run("models", "--json", "--org-settings", str(org), env={"LANGDOCK_API_KEY": KEY})
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert (payload["base_url"], payload["region"]) == (fake.url, "us")
