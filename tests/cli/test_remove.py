"""``remove`` takes out exactly what ``init`` added and gives the user's files back unchanged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import SENTINEL

USER_JSONC = """{
  // my models
  "models": [
    {"title": "Local", "provider": "ollama", "model": "llama3.1:8b"} // mine
  ],
  /* keep this */ "allowAnonymousTelemetry": false
}
"""
USER_YAML = """# my config
name: Mine
version: 1.0.0
schema: v1
models:
  - name: Local   # mine
    provider: ollama
    model: llama3.1:8b
"""
USER_DOTENV = "# other secrets\nOTHER_TOKEN=abc\n"


def init(run: Any, *args: str) -> None:
    """Run init without probing, with the sentinel key."""
    result = run("init", "--yes", "--no-ping", *args, env={"LANGDOCK_API_KEY": SENTINEL})
    assert result.exit_code == 0, result.output


def test_init_then_remove_gives_back_a_jsonc_config_byte_for_byte(
        run: Any, config_dir: Path) -> None:
    """Comments, the user's entry and its line comment survive init followed by remove."""
    config_dir.mkdir()
    (config_dir / "config.json").write_text(USER_JSONC, encoding="utf-8")
    init(run)
    assert "Langdock GPT" in (config_dir / "config.json").read_text(encoding="utf-8")
    result = run("remove", "--json")
    assert result.exit_code == 0, result.output
    assert (config_dir / "config.json").read_text(encoding="utf-8") == USER_JSONC
    payload = json.loads(result.stdout)
    assert payload["changed"] is True
    assert {item["title"].split(" (")[0] for item in payload["removed"]} == {
        "Langdock GPT", "Langdock Claude", "Langdock Codestral"}
    assert SENTINEL not in result.output


def test_init_then_remove_gives_back_yaml_and_dotenv_byte_for_byte(
        run: Any, config_dir: Path) -> None:
    """With the key in .env: config.yaml and the user's other .env lines come back as they were."""
    config_dir.mkdir()
    (config_dir / "config.yaml").write_text(USER_YAML, encoding="utf-8")
    (config_dir / ".env").write_text(USER_DOTENV, encoding="utf-8")
    init(run, "--key-storage", "dotenv")
    assert "LANGDOCK_API_KEY" in (config_dir / ".env").read_text(encoding="utf-8")
    assert run("remove").exit_code == 0
    assert (config_dir / "config.yaml").read_text(encoding="utf-8") == USER_YAML
    assert (config_dir / ".env").read_text(encoding="utf-8") == USER_DOTENV


def test_remove_of_what_init_created_leaves_no_file(run: Any, config_dir: Path) -> None:
    """A config and .env init created hold nothing else: both are moved aside as backups."""
    init(run, "--format", "yaml")
    assert run("remove").exit_code == 0
    assert not (config_dir / "config.yaml").exists() and not (config_dir / ".env").exists()
    assert list(config_dir.glob("config.yaml.bak-*")) and list(config_dir.glob(".env.bak-*"))


def test_remove_keeps_the_key_variable_another_entry_uses(run: Any, config_dir: Path) -> None:
    """The user's own entry refers to the key too: it stays, and so does the .env variable."""
    config_dir.mkdir()
    mine = USER_YAML + (
        "  - name: Proxy\n    provider: openai\n    model: gpt-4o\n"
        "    apiBase: https://proxy.example.com/v1\n"
        "    apiKey: ${{ secrets.LANGDOCK_API_KEY }}\n")
    (config_dir / "config.yaml").write_text(mine, encoding="utf-8")
    init(run, "--key-storage", "dotenv")
    result = run("remove")
    assert result.exit_code == 0, result.output
    assert (config_dir / "config.yaml").read_text(encoding="utf-8") == mine
    assert "LANGDOCK_API_KEY=" in (config_dir / ".env").read_text(encoding="utf-8")


def test_remove_names_a_langdock_entry_it_leaves_alone(run: Any, config_dir: Path) -> None:
    """A second Langdock entry init did not adopt keeps its place and is named as kept."""
    config_dir.mkdir()
    entries = [{"title": f"Team GPT {n}", "provider": "openai", "model": "gpt-4o",
                "apiKey": SENTINEL, "apiBase": "https://api.langdock.com/openai/eu/v1"}
               for n in (1, 2)]
    (config_dir / "config.json").write_text(json.dumps({"models": entries}, indent=2) + "\n",
                                            encoding="utf-8")
    init(run)
    result = run("remove")
    assert result.exit_code == 0, result.output
    titles = [m["title"] for m in json.loads(
        (config_dir / "config.json").read_text(encoding="utf-8"))["models"]]
    assert titles == ["Team GPT 2"]  # the first was adopted (and renamed) by init
    assert "kept Team GPT 2" in result.stderr and SENTINEL not in result.output


def test_check_dry_run_and_diff_write_nothing(run: Any, config_dir: Path) -> None:
    """--check exits 1 while something is ours; --dry-run and --diff write nothing, masked."""
    config_dir.mkdir()
    (config_dir / "config.json").write_text(USER_JSONC, encoding="utf-8")
    init(run)
    before = sorted((p.name, p.read_bytes()) for p in config_dir.iterdir())
    assert run("remove", "--check").exit_code == 1
    dry = run("remove", "--dry-run")
    diff = run("remove", "--diff")
    assert dry.exit_code == 0 and diff.exit_code == 0
    assert "-      \"title\": \"Langdock GPT" in diff.stdout
    assert sorted((p.name, p.read_bytes()) for p in config_dir.iterdir()) == before
    assert SENTINEL not in dry.output + diff.output
    assert run("remove").exit_code == 0
    assert run("remove", "--check").exit_code == 0
    assert run("remove", "--check", "--diff").exit_code == 2
