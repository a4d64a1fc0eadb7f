"""``continue-setup models``: the ids a key can use, from Langdock's zero-token list endpoints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from continue_setup.fake.server import Behaviour, FakeServer
from tests.conftest import SENTINEL
from tests.fakeserver_fixtures import KEY


def test_models_lists_both_routes(run: Any, fake: FakeServer) -> None:
    """With LANGDOCK_API_KEY set, both routes' ids are listed and the run exits 0."""
    result = run("models", "--base-url", fake.url, env={"LANGDOCK_API_KEY": KEY})
    assert result.exit_code == 0, result.output
    assert "gpt-5.2" in result.stdout and "claude-sonnet-4-6-default" in result.stdout
    assert "Mistral" in result.stderr  # no list exists there; say so
    assert {r.path for r in fake.recorded("models")} == {"/openai/eu/v1/models",
                                                         "/anthropic/eu/v1/models"}
    assert all(r.headers["authorization"] == f"Bearer {KEY}" for r in fake.recorded())


def test_models_json_shape(run: Any, fake: FakeServer) -> None:
    """--json gives ok, region, base_url and one entry per route with its ids."""
    result = run("models", "--json", "--region", "us", "--base-url", fake.url,
                 env={"LANGDOCK_API_KEY": KEY})
    payload = json.loads(result.stdout)
    assert payload["ok"] is True and payload["region"] == "us"
    assert payload["base_url"] == fake.url
    routes = {r["route"]: r for r in payload["routes"]}
    assert routes["openai"]["url"] == f"{fake.url}/openai/us/v1/models"
    assert "o4-mini" in routes["openai"]["models"]
    assert routes["anthropic"]["category"] == "ok"


def test_models_reads_the_key_from_stdin_or_a_file(run: Any, fake: FakeServer,
                                                   tmp_path: Path) -> None:
    """--api-key-stdin and --api-key-file work as they do for init."""
    assert run("models", "--base-url", fake.url, "--api-key-stdin",
               input=KEY + "\n").exit_code == 0
    key_file = tmp_path / "key"
    key_file.write_text(KEY)
    assert run("models", "--base-url", fake.url, "--api-key-file", str(key_file)).exit_code == 0
    assert {r.headers["authorization"] for r in fake.recorded()} == {f"Bearer {KEY}"}


def test_a_refused_key_is_exit_3_and_masked(run: Any, fake: FakeServer) -> None:
    """A key the gateway refuses is auth, exit 3; an echoed key stays masked."""
    fake.behaviours["models"] = Behaviour("echo_key")
    result = run("models", "--base-url", fake.url, env={"LANGDOCK_API_KEY": SENTINEL})
    assert result.exit_code == 3
    assert "auth" in result.stdout and "Incorrect API key provided" in result.stdout
    assert SENTINEL not in result.output
    as_json = run("models", "--json", "--base-url", fake.url, env={"LANGDOCK_API_KEY": SENTINEL})
    assert json.loads(as_json.stdout)["ok"] is False and SENTINEL not in as_json.output


def test_models_without_a_key_or_with_a_bad_region_is_exit_2(run: Any, fake: FakeServer) -> None:
    """No key (and no terminal to ask on), or an unknown region, is a usage error."""
    missing = run("models", "--base-url", fake.url)
    assert missing.exit_code == 2 and "LANGDOCK_API_KEY" in missing.stderr
    region = run("models", "--region", "mars", env={"LANGDOCK_API_KEY": KEY})
    assert region.exit_code == 2 and "region" in region.stderr
    assert fake.recorded() == []


def test_models_in_a_subprocess(run_process: Any, fake: FakeServer) -> None:
    """The real command line lists the models."""
    result = run_process("models", "--base-url", fake.url, "--json",
                         env={"LANGDOCK_API_KEY": KEY})
    assert result.exit_code == 0, result.output
    assert "gpt-5.2" in json.loads(result.stdout)["routes"][0]["models"]


def test_models_retries_a_rate_limited_list(run: Any, fake: FakeServer) -> None:
    """--retries waits out a 429 (Retry-After honoured) and then lists."""
    fake.behaviours["models"] = Behaviour("rate_limited", retry_after="0", times=1)
    result = run("models", "--retries", "1", "--base-url", fake.url,
                 env={"LANGDOCK_API_KEY": KEY})
    assert result.exit_code == 0, result.output
    assert len(fake.recorded("models")) == 3
