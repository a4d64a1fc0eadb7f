"""merge puts init's entries into the user's data without changing that data."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from continue_setup.setup.merge import merge
from continue_setup.setup.settings import PUBLIC_BASE
from continue_setup.setup.templates import Rendered, load_templates, render


def rendered(fmt: str, model: str | None = None) -> list[Rendered]:
    """Every bundled template rendered for ``fmt``, GPT with ``model`` if given."""
    return [render(t, fmt=fmt, base_url=PUBLIC_BASE, region="eu",
                   model=model if name == "gpt" else None, api_key="sk-ld-merge-test")
            for name, t in load_templates().items()]


def users(fmt: str) -> dict[str, Any]:
    """A config holding the user's own entries and one stale Langdock entry of init's."""
    title = "name" if fmt == "yaml" else "title"
    theirs = [{title: f"Mine {i}", "provider": "ollama", "model": "llama3",
               "requestOptions": {"headers": {"X-Team": "a"}}} for i in range(3)]
    first = merge(None, fmt, rendered(fmt, "gpt-4.1"), known_bases=(PUBLIC_BASE,))[0]
    stale = first["models"]
    data: dict[str, Any] = {**first, "models": [*theirs, *stale], "env": ["OTHER"]}
    if fmt == "json":
        data["tabAutocompleteModel"] = [first["tabAutocompleteModel"],
                                        {"title": "Local", "provider": "ollama", "model": "x"}]
    return copy.deepcopy(data)


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_merge_leaves_its_input_unchanged(fmt: str) -> None:
    """Updating entries, adding them and appending to lists changes only the result: the
    data merged into still holds what it held, and the user's untouched entries are kept."""
    data = users(fmt)
    before = copy.deepcopy(data)
    result, placed = merge(data, fmt, rendered(fmt), known_bases=(PUBLIC_BASE,),
                           dotenv_reference=True)
    assert data == before
    assert "updated" in {p.action for p in placed}
    assert result != before
    assert result["models"][:3] == before["models"][:3]


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_an_up_to_date_config_merges_to_equal_data(fmt: str) -> None:
    """Merging the same entries again gives data equal to what was merged into."""
    data = merge(users(fmt), fmt, rendered(fmt), known_bases=(PUBLIC_BASE,))[0]
    again, placed = merge(data, fmt, rendered(fmt), known_bases=(PUBLIC_BASE,))
    assert again == data
    assert {p.action for p in placed} == {"unchanged"}
