"""init and the model catalogue through the CLI: metadata written once, in both formats."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from continue_setup.config import jsonc, parsing
from tests.conftest import SENTINEL, assert_continue_accepts, needs_continue_validator

OLD_YAML = """\
name: Langdock
version: 1.0.0
schema: v1
models:
  - name: Langdock GPT (gpt-5.2)
    provider: openai
    model: gpt-5.2
    apiBase: https://api.langdock.com/openai/eu/v1
    apiKey: ${{ secrets.LANGDOCK_API_KEY }}
    roles: [chat, edit, apply]
    defaultCompletionOptions:
      temperature: 0.3  # the user's own
  - name: Langdock Claude (claude-sonnet-4-6-default)
    provider: anthropic
    model: claude-sonnet-4-6-default
    apiBase: https://api.langdock.com/anthropic/eu/v1
    apiKey: ${{ secrets.LANGDOCK_API_KEY }}
    roles: [chat, edit, apply]
  - name: Langdock Codestral (codestral-2501)
    provider: mistral
    model: codestral-2501
    apiBase: https://api.langdock.com/mistral/eu/v1
    apiKey: ${{ secrets.LANGDOCK_API_KEY }}
    roles: [autocomplete]
"""


def test_previous_versions_config_is_updated_once(run: Any, config_dir: Path) -> None:
    """A config.yaml from the version before the catalogue gains metadata once, then stays."""
    config_dir.mkdir()
    path = config_dir / "config.yaml"
    path.write_text(OLD_YAML)
    (config_dir / ".env").write_text(f"LANGDOCK_API_KEY={SENTINEL}\n")
    args = ("init", "--yes", "--no-ping", "--format", "yaml")
    result = run(*args, env={"LANGDOCK_API_KEY": SENTINEL})
    assert result.exit_code == 0, result.output
    first = path.read_text()
    assert first != OLD_YAML
    data = parsing.parse_text(first, "yaml", path).data
    gpt = data["models"][0]
    assert gpt["capabilities"] == ["tool_use", "image_input"]
    assert gpt["defaultCompletionOptions"] == {"temperature": 0.3, "contextLength": 400000}
    assert "# the user's own" in first
    assert run(*args, env={"LANGDOCK_API_KEY": SENTINEL}).exit_code == 0
    assert path.read_text() == first
    assert run(*args, "--check", env={"LANGDOCK_API_KEY": SENTINEL}).exit_code == 0


def test_json_model_override_writes_metadata(run: Any, config_dir: Path) -> None:
    """init --model claude=claude-opus-5 writes the contextLength Continue would miss."""
    result = run("init", "--yes", "--no-ping", "--format", "json", "--entries", "claude",
                 "--model", "claude=claude-opus-5", env={"LANGDOCK_API_KEY": SENTINEL})
    assert result.exit_code == 0, result.output
    data = jsonc.parse((config_dir / "config.json").read_text()).value
    entry = data["models"][0]
    assert entry["contextLength"] == 200000
    assert "capabilities" not in entry and "completionOptions" not in entry


@needs_continue_validator
def test_metadata_passes_continues_own_validator(run: Any, config_dir: Path) -> None:
    """A config.yaml with capabilities, completion and autocomplete options loads in Continue."""
    result = run("init", "--yes", "--no-ping", "--format", "yaml", "--model", "gpt=gpt-5.6",
                 "--model", "claude=claude-opus-5", env={"LANGDOCK_API_KEY": SENTINEL})
    assert result.exit_code == 0, result.output
    path = config_dir / "config.yaml"
    assert "image_input" in path.read_text() and "modelTimeout" in path.read_text()
    assert_continue_accepts(path)


def yaml_models(path: Path) -> list[dict[str, Any]]:
    """Return the models of a config.yaml."""
    models: list[dict[str, Any]] = parsing.parse_text(path.read_text(), "yaml", path).data[
        "models"]
    return models


def test_roles_follow_the_catalogue_and_embed_is_off_by_default(run: Any, config_dir: Path
                                                                 ) -> None:
    """Default entries carry their roles, no embeddings; gpt-4.1 also summarizes."""
    env = {"LANGDOCK_API_KEY": SENTINEL}
    result = run("init", "--yes", "--no-ping", "--format", "yaml", "--model", "gpt=gpt-4.1",
                 env=env)
    assert result.exit_code == 0, result.output
    roles = {m["model"]: m["roles"] for m in yaml_models(config_dir / "config.yaml")}
    assert roles == {"gpt-4.1": ["chat", "edit", "apply", "summarize"],
                     "claude-sonnet-4-6-default": ["chat", "edit", "apply"],
                     "codestral-2501": ["autocomplete"]}


def test_embed_entry_on_request(run: Any, config_dir: Path) -> None:
    """--entries gpt,embed adds an embed-only entry on the OpenAI route, claimed apart from GPT."""
    env = {"LANGDOCK_API_KEY": SENTINEL}
    args = ("init", "--yes", "--no-ping", "--format", "yaml", "--region", "us")
    assert run(*args, "--entries", "gpt,embed", env=env).exit_code == 0
    path = config_dir / "config.yaml"
    embed = yaml_models(path)[1]
    assert (embed["model"], embed["roles"], embed["apiBase"]) == (
        "text-embedding-ada-002", ["embed"], "https://api.langdock.com/openai/us/v1")
    first = path.read_text()
    assert run(*args, "--entries", "gpt,embed", env=env).exit_code == 0
    assert path.read_text() == first
    assert run(*args, env=env).exit_code == 0  # the default set keeps the embed entry
    assert [m["model"] for m in yaml_models(path)] == [
        "gpt-5.2", "text-embedding-ada-002", "claude-sonnet-4-6-default", "codestral-2501"]


def test_embed_in_config_json(run: Any, config_dir: Path) -> None:
    """config.json gets an embeddingsProvider; one of the user's own is never replaced."""
    env = {"LANGDOCK_API_KEY": SENTINEL}
    args = ("init", "--yes", "--no-ping", "--format", "json", "--entries", "gpt,embed")
    assert run(*args, env=env).exit_code == 0
    data = jsonc.parse((config_dir / "config.json").read_text()).value
    assert data["embeddingsProvider"]["model"] == "text-embedding-ada-002"
    assert "title" not in data["embeddingsProvider"]
    own = {"models": [], "embeddingsProvider": {"provider": "ollama", "model": "nomic"}}
    (config_dir / "config.json").write_text(json.dumps(own))
    result = run(*args, env=env)
    assert result.exit_code == 1
    assert "embeddingsProvider of your own" in result.output
    assert json.loads((config_dir / "config.json").read_text()) == own
