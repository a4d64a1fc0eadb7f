"""init writing config.yaml carries over the user's own models of the config.json beside it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from continue_setup.config import parsing
from tests.cli.test_init_interactive import init_at_a_terminal
from tests.conftest import SENTINEL, assert_continue_accepts, needs_continue_validator

ENV = {"LANGDOCK_API_KEY": SENTINEL}
THEIR_KEY = "sk-their-own-INLINE-9876543210"
CARRY = ("init", "--format", "yaml", "--carry-over", "--yes", "--no-ping")

CONFIG_JSON = {
    "models": [
        {"title": "Llama local", "provider": "ollama", "model": "llama3.1:8b"},
        {"title": "Team GPT", "provider": "openai", "model": "gpt-4o-mini",
         "apiBase": "https://llm.example.org/v1", "apiKey": THEIR_KEY},
        {"title": "Langdock GPT (gpt-4.1)", "provider": "openai", "model": "gpt-4.1",
         "apiBase": "https://api.langdock.com/openai/eu/v1", "apiKey": SENTINEL},
    ]
}
CONFIG_YAML = "name: Mine\nversion: 1.0.0\nschema: v1\nmodels: []\n"


def _home(config_dir: Path, json_data: dict[str, Any] = CONFIG_JSON,
          yaml_text: str = CONFIG_YAML) -> None:
    config_dir.mkdir(parents=True)
    (config_dir / "config.json").write_text(json.dumps(json_data, indent=2))
    (config_dir / "config.yaml").write_text(yaml_text)


def _names(config_dir: Path) -> list[str]:
    data = parsing.load(config_dir / "config.yaml", "yaml").data
    return [str(m.get("name")) for m in data["models"]]


def test_carry_over_appends_their_models_and_is_idempotent(run: Any, config_dir: Path) -> None:
    """--carry-over adds the user's two models (not the Langdock one) once; a re-run writes
    the same bytes; config.json is untouched and no key is printed."""
    _home(config_dir)
    before = (config_dir / "config.json").read_bytes()
    result = run(*CARRY, env=ENV)
    assert result.exit_code == 0, result.output
    names = _names(config_dir)
    assert "Llama local" in names and "Team GPT" in names
    assert "Langdock GPT (gpt-4.1)" not in names  # init writes its own Langdock entries
    assert "carried over 2 model(s)" in result.output and "--retire-json" in result.output
    assert THEIR_KEY not in result.output and SENTINEL not in result.output
    assert (config_dir / "config.json").read_bytes() == before
    assert "config.json /models/1/apiKey: the inline key is stored in .env" in result.output
    # The default storage for YAML is .env: their inline key went there, referenced.
    text = (config_dir / "config.yaml").read_text()
    assert THEIR_KEY not in text and "${{ secrets.OPENAI_API_KEY }}" in text
    assert f"OPENAI_API_KEY={THEIR_KEY}" in (config_dir / ".env").read_text()
    written = (config_dir / "config.yaml").read_bytes()
    again = run(*CARRY, env=ENV)
    assert again.exit_code == 0, again.output
    assert (config_dir / "config.yaml").read_bytes() == written
    assert _names(config_dir).count("Team GPT") == 1


@needs_continue_validator
def test_carried_config_is_accepted_by_continue(run: Any, config_dir: Path) -> None:
    """Continue's own validator accepts the config.yaml with the carried models."""
    _home(config_dir)
    assert run(*CARRY, "--key-storage", "inline", env=ENV).exit_code == 0
    assert "Team GPT" in _names(config_dir)
    assert_continue_accepts(config_dir / "config.yaml")


def test_inline_storage_keeps_their_key_in_the_file_but_not_in_output(
        run: Any, config_dir: Path) -> None:
    """With --key-storage inline the carried key stays inline (file 0600), never printed."""
    _home(config_dir)
    result = run(*CARRY, "--key-storage", "inline", env=ENV)
    assert result.exit_code == 0, result.output
    assert THEIR_KEY in (config_dir / "config.yaml").read_text()
    assert (config_dir / "config.yaml").stat().st_mode & 0o077 == 0
    assert THEIR_KEY not in result.output


@pytest.mark.parametrize("storage", ["inline", "dotenv"])
@pytest.mark.parametrize("preview", ["--dry-run", "--diff"])
def test_preview_shows_carried_models_with_keys_masked(
        run: Any, config_dir: Path, preview: str, storage: str) -> None:
    """--dry-run and --diff show the carried models, mask their keys, and write nothing."""
    _home(config_dir)
    result = run(*CARRY, "--key-storage", storage, preview, env=ENV)
    assert result.exit_code == 0, result.output
    assert "Team GPT" in result.stdout and "Llama local" in result.stdout
    if preview == "--diff" and storage == "dotenv":
        assert "OPENAI_API_KEY=" in result.stdout  # the .env line shows, its value masked
    assert THEIR_KEY not in result.output and SENTINEL not in result.output
    assert (config_dir / "config.yaml").read_text() == CONFIG_YAML


def test_json_lists_what_was_carried(run: Any, config_dir: Path) -> None:
    """--json has carried_over with the names, and never a key."""
    _home(config_dir)
    result = run(*CARRY, "--json", env=ENV)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["carried_over"] == ["Llama local", "Team GPT"]
    assert THEIR_KEY not in result.output
    dry = run(*CARRY, "--dry-run", "--json", env=ENV)
    assert json.loads(dry.stdout)["carried_over"] == []  # already there by name


def test_creating_config_yaml_carries_them_too(run: Any, config_dir: Path) -> None:
    """--format yaml with no config.yaml yet creates it with the carried models in it."""
    _home(config_dir)
    (config_dir / "config.yaml").unlink()
    result = run(*CARRY, "--json", env=ENV)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["carried_over"] == ["Llama local", "Team GPT"]
    assert {"Llama local", "Team GPT"} <= set(_names(config_dir))


def test_a_model_already_in_config_yaml_by_name_is_not_duplicated(
        run: Any, config_dir: Path) -> None:
    """A name config.yaml already has is skipped: Continue would drop the repeat."""
    yaml_text = ("name: Mine\nversion: 1.0.0\nschema: v1\nmodels:\n  - name: Llama local\n"
                 "    provider: ollama\n    model: llama3.2\n")
    _home(config_dir, yaml_text=yaml_text)
    result = run(*CARRY, "--json", env=ENV)
    assert json.loads(result.stdout)["carried_over"] == ["Team GPT"]
    assert _names(config_dir).count("Llama local") == 1
    data = parsing.load(config_dir / "config.yaml", "yaml").data
    assert data["models"][0]["model"] == "llama3.2"  # theirs in config.yaml wins


def test_a_model_that_does_not_convert_is_left_out_with_why(run: Any, config_dir: Path) -> None:
    """A field config.yaml has no home for keeps the model out, named with the reason."""
    odd = {"models": [{"title": "Odd one", "provider": "ollama", "model": "x",
                       "madeUpField": 1}, CONFIG_JSON["models"][0]]}
    _home(config_dir, json_data=odd)
    result = run(*CARRY, "--json", env=ENV)
    payload = json.loads(result.stdout)
    assert payload["carried_over"] == ["Llama local"]
    left = [w for w in payload["warnings"] if "not carried over" in w]
    assert left and "Odd one" in left[0] and "madeUpField" in left[0]
    assert "Odd one" not in _names(config_dir)


def test_without_carry_over_yes_keeps_the_warning(run: Any, config_dir: Path) -> None:
    """--yes without --carry-over carries nothing and still warns about the hidden models."""
    _home(config_dir)
    result = run("init", "--format", "yaml", "--yes", "--no-ping", "--json", env=ENV)
    payload = json.loads(result.stdout)
    assert payload["carried_over"] == []
    assert "Team GPT" not in _names(config_dir)
    assert any("Continue ignores" in w and "--carry-over" in w for w in payload["warnings"])



@pytest.mark.parametrize("answer", [True, False])
def test_at_a_terminal_init_offers_to_carry_them_over(
        run: Any, config_dir: Path, monkeypatch: pytest.MonkeyPatch, answer: bool) -> None:
    """The question names the models; yes carries them over, no leaves them out."""
    _home(config_dir)
    script = init_at_a_terminal(monkeypatch, answer, True)  # carry them over?, write it?
    result = run("init", "--format", "yaml", "--region", "eu", "--no-ping", env=ENV)
    assert result.exit_code == 0, result.output
    assert script.asked[0] == ("config.json holds 2 model(s) Continue will ignore (Llama local, "
                               "Team GPT): carry them over into config.yaml?")
    assert ("Team GPT" in _names(config_dir)) is answer
    assert THEIR_KEY not in result.output
