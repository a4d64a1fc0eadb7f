""""Did you mean": the known name a mistyped key or command most likely stands for."""

from __future__ import annotations

from typing import Any

import pytest

from continue_setup.check.suggest import closest, rename_hint

MODEL_KEYS = ("title", "provider", "model", "apiKey", "apiBase", "contextLength", "roles")


@pytest.mark.parametrize(("typed", "meant"), [
    ("apibase", "apiBase"), ("APIKEY", "apiKey"), ("apiKeys", "apiKey"), ("titel", "title"),
    ("contextLenght", "contextLength"), ("Provider", "provider"),
])
def test_case_variants_and_near_misses_are_recognised(typed: str, meant: str) -> None:
    """A key in another case, or a letter or two off, names the known key."""
    assert closest(typed, MODEL_KEYS) == meant


@pytest.mark.parametrize("typed", ["title", "cacheBehavior", "x", "requestOptions"])
def test_known_or_unrelated_names_get_no_suggestion(typed: str) -> None:
    """A known name, or one far from every known name, is not second-guessed."""
    assert closest(typed, MODEL_KEYS) is None


def test_the_hint_says_what_to_write() -> None:
    """The hint names the key to write; a case variant says keys are case-sensitive."""
    assert rename_hint("apibase", "apiBase") == (
        "Did you mean `apiBase`? Keys are case-sensitive: write apiBase.")
    assert rename_hint("titel", "title") == "Did you mean `title`? Rename titel to title."


@pytest.mark.parametrize(("typed", "meant"), [
    ("validat", "validate"), ("Doctor", "doctor"), ("pingg", "ping"), ("templte", "templates"),
])
def test_a_mistyped_command_names_the_command_meant(run: Any, typed: str, meant: str) -> None:
    """An unknown command is a usage error (exit 2) that suggests the closest command."""
    result = run(typed)
    assert result.exit_code == 2
    assert f"No such command '{typed}'. Did you mean '{meant}'?" in result.stderr


def test_a_command_like_no_other_gets_no_guess(run: Any) -> None:
    """Nothing close: click's plain message, with no suggestion."""
    result = run("xyzzy")
    assert result.exit_code == 2
    assert "No such command 'xyzzy'." in result.stderr and "Did you mean" not in result.stderr
