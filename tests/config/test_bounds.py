"""Each parser bound turns a costly document into a parse error at the value that crossed it."""

from __future__ import annotations

import pytest

from continue_setup.config import bounds, fastyaml, parsing
from continue_setup.config.fastyaml import load_yaml
from continue_setup.errors import ConfigParseError


def parse_error(text: str, fmt: parsing.Format) -> ConfigParseError:
    """Parse ``text`` with the canonical parser and return the error it must raise."""
    with pytest.raises(ConfigParseError) as caught:
        parsing.parse_text(text, fmt)
    return caught.value


def test_too_many_json_values_is_an_error_at_the_first_one_over() -> None:
    """A JSON array of MAX_VALUES + 1 numbers is refused at the last one; one fewer parses."""
    limit = bounds.MAX_VALUES
    error = parse_error("[" + "1," * limit + "1]", "json")
    assert f"more than {limit:,} values" in error.message
    assert (error.line, error.column) == (1, 2 + 2 * (limit - 1))
    assert len(parsing.parse_text("[" + "1," * (limit - 2) + "1]", "json").data) == limit - 1


def test_too_many_yaml_values_is_an_error_in_both_yaml_readers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A YAML flow list past MAX_YAML_VALUES is refused at its place by ruamel and the fast
    reader alike; mapping keys do not count. (The limit is lowered: ruamel is slow.)"""
    limit = 1000
    monkeypatch.setattr(bounds, "MAX_YAML_VALUES", limit)
    monkeypatch.setattr(fastyaml, "MAX_YAML_VALUES", limit)
    text = "a: [" + "1, " * limit + "1]\n"
    for read in (lambda: parsing.parse_text(text, "yaml"), lambda: load_yaml(text)):
        with pytest.raises(ConfigParseError) as caught:
            read()
        assert f"more than {limit:,} values" in caught.value.message
        assert caught.value.line == 1 and caught.value.column is not None
    keys = "".join(f"k{i}: {i}\n" for i in range(limit // 2 + 10))  # limit+20 nodes, keys too
    assert len(load_yaml(keys).data) == limit // 2 + 10


def test_a_recursive_alias_is_refused() -> None:
    """An alias inside the value its anchor names (a cycle) is a parse error, not a hang."""
    error = parse_error("a: &x [1, *x]\n", "yaml")
    assert "recursive" in error.message and (error.line, error.column) == (1, 11)


def test_alias_expansion_is_counted_once_per_alias() -> None:
    """Aliases that expand to fewer than MAX_ALIAS_EXPANSION values are fine."""
    text = "a: &a [1, 2, 3]\n" + "".join(f"b{i}: *a\n" for i in range(100))
    doc = parsing.parse_text(text, "yaml")
    assert doc.data["b99"] == [1, 2, 3]
