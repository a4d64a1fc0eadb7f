"""``continue-setup migrate`` through the CLI: round-trips, refusals, secrets, dry runs."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

import pytest

from continue_setup.config import parsing
from tests.conftest import SENTINEL, assert_continue_accepts, needs_continue_validator

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
OTHER_KEY = "sk-other-provider-9876543210"
USER_CONFIG = """{
  // My own setup: a local model, Langdock, and my commands.
  "models": [
    {
      "title": "Local Llama", /* runs on my laptop */
      "provider": "ollama",
      "model": "llama3.1:8b",
      "contextLength": 8192,
      "completionOptions": {"temperature": 0.3, "maxTokens": 1024, "mirostat": 2},
    },
    {
      "title": "GPT via Langdock",
      "provider": "openai",
      "model": "gpt-5.2",
      "apiKey": "@KEY@",
      "apiBase": "https://api.langdock.com/openai/eu/v1",
      "requestOptions": {"caBundlePath": "/etc/ssl/certs/corp.pem", "timeout": 60},
      "capabilities": {"tools": true, "uploadImage": false},
    },
    {"title": "Groq", "provider": "groq", "model": "llama-3.3-70b", "apiKey": "@OTHER@"},
  ],
  "tabAutocompleteModel": {
    "title": "Codestral", "provider": "mistral", "model": "codestral-2501",
    "apiKey": "@KEY@", "apiBase": "https://api.langdock.com/mistral/eu/v1",
  },
  "tabAutocompleteOptions": {"debounceDelay": 250},
  "contextProviders": [
    {"name": "code"},
    {"name": "docs"},
    {"name": "http", "params": {"url": "https://ctx.example.com/retrieve"}},
  ],
  "customCommands": [
    {"name": "test", "prompt": "Write unit tests for {{{ input }}}", "description": "Tests"},
  ],
  "slashCommands": [{"name": "commit", "description": "Commit message"}],
  "systemMessage": "Answer briefly.",
  "docs": [{"title": "Click", "startUrl": "https://click.palletsprojects.com/", "maxDepth": 3}],
  "experimental": {
    "modelContextProtocolServers": [
      {"transport": {"type": "stdio", "command": "uvx", "args": ["mcp-server-git"]}},
    ],
    "readResponseTTS": false,
  },
  "allowAnonymousTelemetry": false,
}
""".replace("@KEY@", SENTINEL).replace("@OTHER@", OTHER_KEY)


def write(config_dir: Path, text: str, name: str = "config.json") -> Path:
    config_dir.mkdir(parents=True, exist_ok=True)
    path = config_dir / name
    path.write_text(text)
    return path


def load_yaml(path: Path) -> Any:
    return parsing.load(path).data


@needs_continue_validator
def test_langdock_recipe_round_trips_to_what_init_writes_as_yaml(run: Any, config_dir: Path,
                                                                  tmp_path: Path) -> None:
    """init's config.json migrated with dotenv keys has the same models as init --format yaml."""
    env = {"LANGDOCK_API_KEY": SENTINEL}
    # init probes before writing once ping exists; never touch the network here.
    init = ("init", "--yes", *(("--no-ping",) if "--no-ping" in run("init", "--help").stdout
                               else ()))
    assert run(*init, env=env).exit_code == 0
    yaml_dir = tmp_path / "yaml"
    assert run(*init, "--format", "yaml", "--config-dir", str(yaml_dir), env=env).exit_code == 0
    result = run("migrate", "--key-storage", "dotenv", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["dropped"] == [] and payload["changed"] is True
    migrated = load_yaml(config_dir / "config.yaml")
    wanted = load_yaml(yaml_dir / "config.yaml")
    assert migrated["models"] == wanted["models"]
    assert (config_dir / ".env").read_text() == (yaml_dir / ".env").read_text()
    assert run("validate", "--config-dir", str(config_dir)).exit_code == 0
    assert_continue_accepts(config_dir / "config.yaml")
    assert SENTINEL not in result.output


@needs_continue_validator
def test_users_own_config_with_comments_is_converted_field_by_field(run: Any,
                                                                    config_dir: Path) -> None:
    """A JSONC config with comments keeps models, context, prompts, docs, rules and MCP."""
    write(config_dir, USER_CONFIG)
    result = run("migrate", "--json")
    assert result.exit_code == 0, result.output
    data = load_yaml(config_dir / "config.yaml")
    by_name = {m["name"]: m for m in data["models"]}
    assert by_name["Local Llama"]["defaultCompletionOptions"] == {"temperature": 0.3,
                                                                   "maxTokens": 1024}
    assert by_name["Local Llama"]["contextLength"] == 8192
    assert by_name["Local Llama"]["roles"] == ["chat", "edit", "apply"]
    gpt = by_name["GPT via Langdock"]
    assert gpt["requestOptions"] == {"caBundlePath": "/etc/ssl/certs/corp.pem", "timeout": 60}
    assert gpt["capabilities"] == ["tool_use"]
    assert gpt["apiKey"] == SENTINEL  # --key-storage inline keeps keys where they were
    assert by_name["Codestral"]["roles"] == ["autocomplete"]
    assert data["context"] == [{"provider": "code"}, {"provider": "docs"},
                               {"provider": "http",
                                "params": {"url": "https://ctx.example.com/retrieve"}}]
    assert data["prompts"] == [{"name": "test", "description": "Tests",
                                "prompt": "Write unit tests for {{{ input }}}"}]
    assert data["rules"] == ["Answer briefly."]
    assert data["docs"] == [{"name": "Click", "startUrl": "https://click.palletsprojects.com/"}]
    assert data["mcpServers"] == [{"name": "uvx", "command": "uvx", "args": ["mcp-server-git"]}]
    assert_continue_accepts(config_dir / "config.yaml")
    assert SENTINEL not in result.output and OTHER_KEY not in result.output


def test_fields_without_yaml_home_are_reported_with_pointers(run: Any, config_dir: Path) -> None:
    """Every field with no config.yaml equivalent appears in 'dropped' with its pointer."""
    write(config_dir, USER_CONFIG)
    payload = json.loads(run("migrate", "--json").stdout)
    dropped = {d["pointer"]: d for d in payload["dropped"]}
    assert set(dropped) == {"/models/0/completionOptions/mirostat", "/tabAutocompleteOptions",
                            "/slashCommands", "/docs/0/maxDepth",
                            "/experimental/readResponseTTS", "/allowAnonymousTelemetry"}
    assert dropped["/slashCommands"]["key"] == "slashCommands"
    assert all(d["reason"] for d in dropped.values())
    text = run("migrate", "--dry-run", "--force").stderr
    assert "/tabAutocompleteOptions: not migrated" in text


def test_dotenv_storage_moves_every_inline_key_and_says_which_names(run: Any,
                                                                     config_dir: Path) -> None:
    """--key-storage dotenv stores Langdock keys as LANGDOCK_API_KEY, others under clear names."""
    write(config_dir, USER_CONFIG)
    result = run("migrate", "--key-storage", "dotenv", "--json")
    payload = json.loads(result.stdout)
    text = (config_dir / "config.yaml").read_text()
    assert SENTINEL not in text and OTHER_KEY not in text
    data = load_yaml(config_dir / "config.yaml")
    keys = {m["name"]: m.get("apiKey") for m in data["models"]}
    assert keys["GPT via Langdock"] == "${{ secrets.LANGDOCK_API_KEY }}"
    assert keys["Groq"] == "${{ secrets.GROQ_API_KEY }}"
    env = (config_dir / ".env").read_text()
    assert f"LANGDOCK_API_KEY={SENTINEL}" in env and f"GROQ_API_KEY={OTHER_KEY}" in env
    assert payload["dotenv"]["names"] == ["GROQ_API_KEY", "LANGDOCK_API_KEY"]
    assert any("GROQ_API_KEY" in w for w in payload["warnings"])
    if os.name != "nt":
        assert stat.S_IMODE((config_dir / ".env").stat().st_mode) == 0o600
    assert SENTINEL not in result.output and OTHER_KEY not in result.output


def test_env_names_become_secret_references(run: Any, config_dir: Path) -> None:
    """config.json 'env' names used as values become ${{ secrets.NAME }} in config.yaml."""
    write(config_dir, json.dumps({"env": ["MY_KEY"], "models": [
        {"title": "GPT", "provider": "openai", "model": "gpt-5.2", "apiKey": "MY_KEY",
         "apiBase": "https://api.langdock.com/openai/eu/v1"}]}))
    assert run("migrate").exit_code == 0
    data = load_yaml(config_dir / "config.yaml")
    assert data["models"][0]["apiKey"] == "${{ secrets.MY_KEY }}"
    assert "env" not in data


def test_dry_run_prints_masked_yaml_and_writes_nothing(run: Any, config_dir: Path) -> None:
    """--dry-run prints the YAML with every key masked and leaves the directory as it was."""
    write(config_dir, USER_CONFIG)
    before = sorted(p.name for p in config_dir.iterdir())
    result = run("migrate", "--dry-run")
    assert result.exit_code == 0
    assert "name: Local Llama" in result.stdout and "********" in result.stdout
    assert SENTINEL not in result.output and OTHER_KEY not in result.output
    assert sorted(p.name for p in config_dir.iterdir()) == before


def test_existing_config_yaml_is_refused_without_force(run: Any, config_dir: Path) -> None:
    """A real config.yaml is never overwritten without --force (exit 2); --force keeps a backup."""
    write(config_dir, USER_CONFIG)
    mine = "name: Mine\nversion: 1.0.0\nmodels:\n  - name: A\n    provider: ollama\n    model: x\n"
    yaml = write(config_dir, mine, "config.yaml")
    result = run("migrate")
    assert result.exit_code == 2
    assert "already exists" in result.stderr
    assert yaml.read_text() == mine
    forced = json.loads(run("migrate", "--force", "--json").stdout)
    assert Path(forced["backup"]).read_text() == mine
    assert "Local Llama" in yaml.read_text()


def test_untouched_default_config_yaml_is_backed_up_and_replaced(run: Any,
                                                                  config_dir: Path) -> None:
    """Continue's auto-created default config.yaml is replaced without --force, with a backup."""
    write(config_dir, USER_CONFIG)
    default = 'name: Main Config\nversion: 1.0.0\nschema: v1\nmodels: []\n'
    write(config_dir, default, "config.yaml")
    result = run("migrate", "--json")
    payload = json.loads(result.stdout)
    assert result.exit_code == 0
    assert payload["replaced_default"] is True
    assert Path(payload["backup"]).read_text() == default
    assert (config_dir / "config.json").read_text() == USER_CONFIG


def test_unparseable_config_json_exits_one_and_writes_nothing(run: Any, config_dir: Path) -> None:
    """JSON5-only syntax is a parse error with line and column; nothing is written."""
    write(config_dir, "{\n  models: [],\n}\n")
    result = run("migrate")
    assert result.exit_code == 1
    assert ":2:" in result.stderr
    assert not (config_dir / "config.yaml").exists()


def test_missing_config_json_is_a_usage_error(run: Any, config_dir: Path) -> None:
    """With no config.json there is nothing to migrate: exit 2 and say so."""
    config_dir.mkdir()
    result = run("migrate")
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_result_is_validated_and_problems_carried_over_are_reported(run: Any,
                                                                    config_dir: Path) -> None:
    """A placeholder key carried into config.yaml is reported as validate's finding."""
    write(config_dir, json.dumps({"models": [
        {"title": "GPT", "provider": "openai", "model": "gpt-5.2",
         "apiKey": "<YOUR_LANGDOCK_API_KEY>",
         "apiBase": "https://api.langdock.com/openai/eu/v1"}]}))
    result = run("migrate", "--json")
    assert result.exit_code == 0
    findings = json.loads(result.stdout)["findings"]
    assert [(f["code"], f["pointer"]) for f in findings] == [("placeholder-key",
                                                              "/models/0/apiKey")]
    assert "placeholder-key" in run("migrate", "--dry-run", "--force").stderr
