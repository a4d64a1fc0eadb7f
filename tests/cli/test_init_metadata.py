"""init and the model catalogue through the CLI: metadata written once, in both formats."""

from __future__ import annotations

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
