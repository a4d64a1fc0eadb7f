"""``continue-setup ping`` through CliRunner and a real subprocess, against the fake Langdock."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from continue_setup.fake.server import Behaviour, FakeServer
from tests.conftest import SENTINEL
from tests.fakeserver_fixtures import KEY, langdock_config, write_config

RESULT_FIELDS = {"title", "provider", "model", "kind", "url", "ok", "status", "category",
                 "latency_ms", "message", "hint"}


def test_a_working_config_passes_with_exit_0(run: Any, fake: FakeServer,
                                             config_dir: Path) -> None:
    """Every entry of the loaded config is probed and shown; all pass, exit 0."""
    write_config(config_dir, langdock_config(fake.url))
    result = run("ping")
    assert result.exit_code == 0, result.output
    for words in ("/openai/eu/v1/responses", "/anthropic/eu/v1/messages",
                  "/mistral/eu/v1/fim/completions", "3 of 3 passed"):
        assert words in result.stdout
    assert {"ENTRY", "ROUTE", "STATUS", "MS", "VERDICT", "HINT"} <= set(
        result.stdout.splitlines()[1].split())
    assert all(line == line.rstrip() for line in result.stdout.splitlines())


def test_codestral_unavailable_is_reported_not_failed(
        run: Any, fake: FakeServer, config_dir: Path) -> None:
    """Today's Langdock: FIM is model_unavailable, chat works: exit 0 with what to do."""
    fake.behaviours["mistral"] = Behaviour("model_unavailable")
    write_config(config_dir, langdock_config(fake.url))
    result = run("ping")
    assert result.exit_code == 0
    assert "autocomplete unavailable (1)" in result.stdout
    assert "--entries gpt,claude" in result.stdout
    assert "model_unavailable" in result.stdout
    assert "autocomplete unavailable" in result.stdout
    assert "no Mistral models available" in result.stdout
    assert "2 of 3 passed" in result.stdout


def test_json_output_has_one_result_per_entry(run: Any, fake: FakeServer,
                                              config_dir: Path) -> None:
    """--json prints {ok, results[...]} with every documented field, hint included."""
    fake.behaviours["claude-sonnet-4-6-default"] = Behaviour("unauthorized")
    write_config(config_dir, langdock_config(fake.url))
    result = run("ping", "--json")
    assert result.exit_code == 3
    payload = json.loads(result.stdout)
    assert payload["ok"] is False
    assert [r["category"] for r in payload["results"]] == ["ok", "auth", "ok"]
    assert all(set(r) >= RESULT_FIELDS for r in payload["results"])
    claude = payload["results"][1]
    assert (claude["kind"], claude["status"], claude["ok"]) == ("messages", 401, False)
    assert claude["url"] == f"{fake.url}/anthropic/eu/v1/messages"
    assert payload["path"] == str(config_dir / "config.json")


def write_yaml_with_dotenv(config_dir: Path, dotenv: str, model: str) -> None:
    """Write Continue's directory: a config.yaml with one model (its YAML lines) and a .env."""
    config_dir.mkdir(parents=True)
    (config_dir / ".env").write_text(dotenv)
    lines = "\n    ".join(model.strip().splitlines())
    (config_dir / "config.yaml").write_text(
        f"name: t\nversion: 1.0.0\nschema: v1\nmodels:\n  - {lines}\n"
    )


def test_yaml_secrets_resolve_from_the_dotenv_of_continues_directory(
        run: Any, fake: FakeServer, config_dir: Path) -> None:
    """${{ secrets.LANGDOCK_API_KEY }} is sent as the value in ~/.continue/.env."""
    write_yaml_with_dotenv(config_dir, f"LANGDOCK_API_KEY={KEY}\n", f"""
name: Claude
provider: anthropic
model: claude-sonnet-4-6-default
apiBase: {fake.url}/anthropic/eu/v1
apiKey: ${{{{ secrets.LANGDOCK_API_KEY }}}}
""")
    result = run("ping")
    assert result.exit_code == 0, result.output
    assert fake.recorded("messages")[0].headers["x-api-key"] == KEY


def test_secrets_in_request_options_are_sent_resolved(run: Any, fake: FakeServer,
                                                      config_dir: Path) -> None:
    """The key in an Authorization header written as ${{ secrets.X }} is sent as its value
    (Continue substitutes the whole config.yaml), and never shown."""
    write_yaml_with_dotenv(config_dir, f"TEAM_TOKEN={KEY}\n", f"""
name: GPT
provider: openai
model: gpt-5.2
apiBase: {fake.url}/openai/eu/v1
requestOptions:
  headers:
    Authorization: Bearer ${{{{ secrets.TEAM_TOKEN }}}}
""")
    result = run("ping")
    assert result.exit_code == 0, result.output
    (sent,) = [r for r in fake.recorded() if r.method == "POST"]
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert KEY not in result.output


def test_an_unresolved_secret_is_its_own_verdict_without_a_request(
        run: Any, fake: FakeServer, config_dir: Path) -> None:
    """A secret set nowhere is unresolved_secret, naming the variable; nothing is sent."""
    write_config(config_dir, langdock_config(fake.url, key="LANGDOCK_API_KEY",
                                             env=["LANGDOCK_API_KEY"]))
    result = run("ping", "--json")
    assert result.exit_code == 3
    categories = {r["category"] for r in json.loads(result.stdout)["results"]}
    assert categories == {"unresolved_secret"}
    assert "LANGDOCK_API_KEY" in result.stdout
    assert [r for r in fake.recorded() if r.method == "POST"] == []


def test_an_auth_header_stands_in_for_a_missing_api_key(run: Any, fake: FakeServer,
                                                        config_dir: Path) -> None:
    """No apiKey but an Authorization header: the entry is probed with it, as Continue sends it."""
    gpt = langdock_config(fake.url)["models"][0]
    del gpt["apiKey"]
    gpt["requestOptions"] = {"headers": {"Authorization": f"Bearer {KEY}"}}
    write_config(config_dir, {"models": [gpt]})
    result = run("ping")
    assert result.exit_code == 0, result.output
    (sent,) = [r for r in fake.recorded() if r.method == "POST"]
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert sent.headers["api-key"] == "undefined"  # Continue's template with no key
    assert KEY not in result.output


def test_a_path_argument_pings_that_file(run: Any, fake: FakeServer, tmp_path: Path) -> None:
    """PATH names the config to probe instead of the one Continue loads."""
    path = write_config(tmp_path / "elsewhere", langdock_config(fake.url))
    result = run("ping", str(path), "--quiet")
    assert result.exit_code == 0 and result.stdout == ""


def test_quiet_prints_only_failures(run: Any, fake: FakeServer, config_dir: Path) -> None:
    """--quiet shows just the failing rows, so scripts and MDM logs stay short."""
    fake.behaviours["gpt-5.2"] = Behaviour("server_error")
    write_config(config_dir, langdock_config(fake.url))
    result = run("ping", "--quiet")
    assert result.exit_code == 3
    assert "server_error" in result.stdout
    assert "Claude" not in result.stdout and "passed" not in result.stdout


@pytest.mark.parametrize("flags", [(), ("--stream",)])
def test_probes_stream_by_default_and_stream_is_an_alias(run: Any, fake: FakeServer,
                                                         config_dir: Path,
                                                         flags: tuple[str, ...]) -> None:
    """Every probe streams as Continue does, with or without the old --stream flag."""
    write_config(config_dir, langdock_config(fake.url, gpt="gpt-4.1"))
    result = run("ping", *flags, "--retries", "1", "--jitter", "0", "--timeout", "5")
    assert result.exit_code == 0, result.output
    chat = fake.recorded("chat")[0].body
    assert chat["stream"] is True and chat["stream_options"] == {"include_usage": True}
    assert all(r.body.get("stream") is True for r in fake.recorded() if r.method == "POST")


def test_no_stream_and_tools_reach_the_probes(run: Any, fake: FakeServer,
                                              config_dir: Path) -> None:
    """--no-stream asks for JSON; --tools offers one tool on every chat route."""
    write_config(config_dir, langdock_config(fake.url, gpt="gpt-4.1"))
    assert run("ping", "--no-stream", "--tools", "--timeout", "5").exit_code == 0
    sent = [r.body for r in fake.recorded() if r.method == "POST"]
    assert all("stream" not in body for body in sent)
    assert [b["tools"][0].get("name") or b["tools"][0]["function"]["name"]
            for b in sent if "tools" in b] == ["get_time", "get_time"]


def test_skipped_entries_are_noted(run: Any, fake: FakeServer, config_dir: Path) -> None:
    """Entries ping does not probe are named on stderr with the reason."""
    data = langdock_config(fake.url)
    data["models"].append({"title": "Local", "provider": "ollama", "model": "llama3"})
    write_config(config_dir, data)
    result = run("ping")
    assert result.exit_code == 0
    assert "skipped Local: provider 'ollama' is not probed" in result.stderr


def test_no_config_is_exit_2_and_unparseable_is_exit_1(run: Any, config_dir: Path) -> None:
    """No config to probe is a usage problem (2); a config Continue cannot parse is 1."""
    missing = run("ping")
    assert missing.exit_code == 2 and "continue-setup init" in missing.stderr
    config_dir.mkdir(parents=True)
    (config_dir / "config.json").write_text('{"models": [,]}')
    broken = run("ping")
    assert broken.exit_code == 1 and "cannot parse" in broken.stderr


def test_bad_option_values_are_usage_errors(run: Any) -> None:
    """A zero timeout or negative retries exit 2 before anything is sent."""
    assert run("ping", "--timeout", "0").exit_code == 2
    assert run("ping", "--retries", "-1").exit_code == 2


def test_a_key_echoed_by_the_server_never_appears(run: Any, fake: FakeServer,
                                                  config_dir: Path) -> None:
    """Text, JSON and --debug output all mask a key the server put in its error."""
    fake.behaviours["*"] = Behaviour("echo_key")
    write_config(config_dir, langdock_config(fake.url, key=SENTINEL))
    for args in (("ping",), ("ping", "--json"), ("ping", "--debug")):
        result = run(*args)
        assert result.exit_code == 3
        assert "Incorrect API key provided" in result.output
        assert SENTINEL not in result.output


def test_ping_in_a_subprocess(run_process: Any, fake: FakeServer, config_dir: Path) -> None:
    """The real command line probes, reports exit 3 on a failure, and masks the echoed key."""
    fake.behaviours["gpt-5.2"] = Behaviour("echo_key")
    write_config(config_dir, langdock_config(fake.url, key=SENTINEL))
    result = run_process("ping", "--timeout", "5")
    assert result.exit_code == 3, result.output
    assert "auth" in result.stdout and "ok" in result.stdout
    assert SENTINEL not in result.output
