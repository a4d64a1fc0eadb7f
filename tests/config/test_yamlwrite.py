"""Plain data is written as YAML exactly as ruamel writes it, or left to ruamel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from continue_setup.config import parsing, yamlwrite
from continue_setup.config.convert import convert
from continue_setup.errors import ConfigParseError

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def ruamel(data: Any) -> str:
    """What ruamel writes for ``data`` as a new config.yaml (no text to keep)."""
    return parsing.render_yaml_with_ruamel(data, None, "")


def _data(path: Path) -> Any:
    """Return a config file's data as Continue reads it, or None when it does not parse."""
    fmt = "yaml" if path.suffix == ".yaml" else "json"
    try:
        return parsing.parse_text(path.read_text(encoding="utf-8"), fmt).data
    except (ConfigParseError, UnicodeDecodeError):  # the broken examples
        return None


def documents() -> list[Any]:
    """Every example config and template as config.yaml data (JSON ones also converted as
    migrate converts them)."""
    found: list[Any] = []
    paths = sorted(EXAMPLES.rglob("*.json")) + sorted(EXAMPLES.rglob("*.yaml"))
    for path in paths + sorted(TEMPLATES.rglob("*.json")):
        data = _data(path)
        if data is not None:
            found.append(data)
        if path.suffix == ".json" and isinstance(data, dict):
            found.append(convert(data).data)
    return found


def test_example_configs_are_written_as_ruamel_writes_them() -> None:
    """Each example config it writes equals ruamel's text byte for byte, and most real
    configs (Langdock's recipe among them) are written here."""
    written = 0
    for data in documents():
        text = yamlwrite.dump(data)
        if text is not None:
            assert text == ruamel(data), data
            written += 1
    assert written >= 100


WORDS = st.text(alphabet="abcXYZ019 _-.:/${},()@+=~#'\"", min_size=1, max_size=12)
VALUES = st.recursive(
    st.one_of(WORDS, st.integers(-10, 10**12), st.booleans(), st.none(), st.floats(0, 2)),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(WORDS, inner, max_size=3)),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(WORDS, VALUES, min_size=1, max_size=4))
def test_generated_data_is_written_as_ruamel_writes_it_or_left_to_it(data: dict[str, Any]
                                                                    ) -> None:
    """Whatever it writes is ruamel's text and reads back as the same data."""
    text = yamlwrite.dump(data)
    if text is not None:
        assert text == ruamel(data)
        assert parsing.parse_text(text, "yaml").data == data


@pytest.mark.parametrize("value", [
    "true", "False", "null", "~", "1.5", "12", "0x1F", "2024-01-01", "1e3", ".inf",  # not strings
    "a: b", "a:", "x #y", "#x", "-x", "- x", " x", "x ", "'q'", '"q"', "a\nb", "a\tb", "",
    "*ref", "&anchor", "!tag", "|", ">", "%x", "@x", "`x", "?x", "[a]", "{a}", "a\\b",
    0.5, None,
])
def test_anything_needing_care_is_left_to_ruamel(value: Any) -> None:
    """A value ruamel would quote or write in its own way makes dump return None."""
    assert yamlwrite.dump({"name": value}) is None
    assert yamlwrite.dump({"models": [{"name": value}]}) is None


@pytest.mark.parametrize("data", [
    {}, [], {"a": [[1]]}, {"a": [{}]}, {1: "a"}, {"a": "é"},
])
def test_odd_shapes_are_left_to_ruamel(data: Any) -> None:
    """Empty documents, lists in lists, empty mappings in lists, other keys: ruamel's."""
    assert yamlwrite.dump(data) is None


def test_the_recipe_reads_as_ruamel_writes_it() -> None:
    """Langdock's recipe converted for config.yaml, as migrate writes it."""
    data = {"name": "Langdock", "version": "1.0.0", "schema": "v1", "models": [
        {"name": "GPT-5.2", "provider": "openai", "model": "gpt-5.2",
         "apiBase": "https://api.langdock.com/openai/eu/v1",
         "apiKey": "${{ secrets.LANGDOCK_API_KEY }}", "roles": ["chat", "edit", "apply"],
         "defaultCompletionOptions": {"contextLength": 400000, "maxTokens": 128000},
         "capabilities": ["tool_use", "image_input"], "requestOptions": {}}]}
    text = yamlwrite.dump(data)
    assert text is not None and text == ruamel(data)
    assert "  - name: GPT-5.2\n    provider: openai\n" in text
    assert "    roles:\n      - chat\n" in text
