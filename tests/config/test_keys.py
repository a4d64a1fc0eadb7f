"""The .env file as Continue reads it, and what an entry really sends."""

from __future__ import annotations

import pytest

from continue_setup.config import parsing
from continue_setup.config.entries import model_entries
from continue_setup.config.keys import dotenv_quote, parse_dotenv, resolve_key, set_dotenv


@pytest.mark.parametrize(
    "value",
    ["sk-ld-plain123", "with#hash", "quo'te", 'dq"te', "back\\slash", "a'b\"c", "sp=ce:x"],
)
def test_dotenv_round_trip(value: str) -> None:
    """Whatever we write to .env, the dotenv parser reads back unchanged."""
    text = set_dotenv("", "LANGDOCK_API_KEY", value)
    assert parse_dotenv(text) == {"LANGDOCK_API_KEY": value}


def test_set_dotenv_keeps_other_lines() -> None:
    """Setting the key replaces its line and leaves the rest alone."""
    text = "# mine\nOTHER=1\nexport LANGDOCK_API_KEY=old\nLAST=2"
    updated = set_dotenv(text, "LANGDOCK_API_KEY", "sk-new-123")
    assert updated == "# mine\nOTHER=1\nLANGDOCK_API_KEY=sk-new-123\nLAST=2"
    assert set_dotenv("A=1", "B", "x") == "A=1\nB=x\n"


def test_parse_dotenv_like_the_dotenv_package() -> None:
    """Comments, export, quotes and inline comments are read as the dotenv package does."""
    text = 'A=1\n# c\nexport B="two words"\nC=3 # note\nD=\'x#y\'\nE="a\\nb"\n'
    assert parse_dotenv(text) == {"A": "1", "B": "two words", "C": "3", "D": "x#y", "E": "a\nb"}


def test_quote_refuses_impossible_values() -> None:
    """A value mixing every quote character cannot be stored, and says so."""
    with pytest.raises(Exception, match="quote"):
        dotenv_quote("a'b\"c`d\\n")


def test_yaml_secret_resolves_from_dotenv_then_environment() -> None:
    """${{ secrets.X }} is looked up in .env first, then in the environment."""
    doc = parsing.parse_text(
        "name: a\nversion: '1'\nmodels:\n  - name: m\n    provider: openai\n"
        "    model: x\n    apiKey: ${{ secrets.K }}\n",
        "yaml",
    )
    entry = model_entries(doc)[0]
    assert (
        resolve_key(
            entry, env_list=[], dotenv={"K": "from-env-file"}, environ={"K": "from-env"}
        ).value
        == "from-env-file"
    )
    assert resolve_key(entry, env_list=[], dotenv={}, environ={"K": "from-env"}).value == "from-env"
    missing = resolve_key(entry, env_list=[], dotenv={}, environ={})
    assert missing.value is None and missing.reference == "K"


def test_json_env_name_resolves_and_literal_passes_through() -> None:
    """A config.json apiKey naming an env entry is substituted; any other value is literal."""
    doc = parsing.parse_text(
        '{"env": ["LANGDOCK_API_KEY"], "models": [{"title": "a", '
        '"provider": "openai", "model": "x", "apiKey": "LANGDOCK_API_KEY"},'
        '{"title": "b", "provider": "openai", "model": "x", "apiKey": '
        '"sk-inline-123"}]}',
        "json",
    )
    first, second = model_entries(doc)
    assert (
        resolve_key(
            first, env_list=["LANGDOCK_API_KEY"], dotenv={"LANGDOCK_API_KEY": "v"}, environ={}
        ).value
        == "v"
    )
    inline = resolve_key(second, env_list=["LANGDOCK_API_KEY"], dotenv={}, environ={})
    assert (inline.value, inline.source) == ("sk-inline-123", "inline")
