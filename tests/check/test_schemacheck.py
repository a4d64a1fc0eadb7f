"""The quick schema check answers exactly as jsonschema does, for our schemas and beyond."""

from __future__ import annotations

import contextlib
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from continue_setup.check import schema
from continue_setup.check.schemacheck import UnsupportedSchema, compile_schema, same
from continue_setup.config import parsing
from continue_setup.errors import ConfigParseError

EXAMPLES = Path(__file__).parent.parent / "examples"

# (schema, instances): each keyword at the edges where Python and JSON Schema disagree.
KEYWORD_CASES: list[tuple[dict[str, Any], list[Any]]] = [
    ({"type": "integer"}, [1, 1.0, 1.5, True, "1", None, 10**30]),
    ({"type": "number"}, [1, 1.5, True, False, "1", None]),
    ({"type": ["string", "null"]}, ["", None, 0, False, []]),
    ({"type": "boolean"}, [True, False, 0, 1, None]),
    ({"type": "object"}, [{}, [], "x", None]),
    ({"enum": [1, "a", None]}, [1, 1.0, True, "a", "A", None, False, 0]),
    ({"enum": [False]}, [False, 0, None, 0.0]),
    ({"const": {"a": [1, True]}}, [{"a": [1, True]}, {"a": [1.0, True]}, {"a": [1, 1]}]),
    ({"minLength": 2}, ["ab", "a", "", "é́", 5, ["a"]]),
    ({"pattern": "^v\\d"}, ["v1", "xv1", "v", 3, None]),
    ({"pattern": "\\d"}, ["a1", "abc"]),  # search, not match
    ({"minimum": 1}, [1, 0.99, True, "0", None]),
    ({"exclusiveMinimum": 0}, [0, 0.0, 1e-9, -1, False]),
    ({"maximum": 3, "exclusiveMaximum": 3.5}, [3, 3.1, 2]),
    ({"required": ["a", "b"]}, [{"a": 1, "b": None}, {"a": 1}, [], "ab"]),
    (
        {"properties": {"a": {"type": "string"}}, "additionalProperties": False},
        [{}, {"a": "x"}, {"a": 1}, {"b": 1}, [1], "s"],
    ),
    ({"additionalProperties": {"type": "integer"}}, [{"x": 1}, {"x": "1"}, {}, 3]),
    ({"items": {"type": "string"}}, [[], ["a"], ["a", 1], {"0": 1}, "ab"]),
    ({"anyOf": [{"type": "string"}, {"minimum": 5}]}, ["x", 6, 4, None]),
    ({"allOf": [{"minimum": 1}, {"maximum": 2}]}, [1, 2, 3, 0, "x"]),
    ({"oneOf": [{"minimum": 1}, {"maximum": 2}]}, [0, 1.5, 3, "x"]),
    (
        {"if": {"required": ["a"]}, "then": {"required": ["b"]}, "else": {"required": ["c"]}},
        [{"a": 1, "b": 1}, {"a": 1}, {"c": 1}, {}, 4],
    ),
    ({"if": {"type": "string"}, "then": {"minLength": 1}}, ["", "x", 0]),
    ({"type": "object", "properties": {}}, [{"anything": 1}, []]),
    # The fused shapes: a string with a minimum length, an object of known properties.
    ({"type": "string", "minLength": 2, "description": "d"}, ["ab", "a", "", 5, None, ["ab"]]),
    (
        {
            "type": "object",
            "required": ["a"],
            "properties": {"a": {"type": "string", "minLength": 1}},
            "additionalProperties": False,
        },
        [{"a": "x"}, {"a": ""}, {}, {"a": "x", "b": 1}, {"b": 1}, [], "a", None],
    ),
    (
        {"type": "object", "additionalProperties": {"type": "string"}},
        [{}, {"x": "y"}, {"x": 1}, ["x"]],
    ),
    (True, [None, 1, {}]),
    (False, [None, 1, {}]),
    (
        {
            "$defs": {
                "node": {
                    "type": "object",
                    "properties": {"kids": {"items": {"$ref": "#/$defs/node"}}},
                }
            },
            "$ref": "#/$defs/node",
        },
        [{"kids": [{"kids": []}]}, {"kids": [{"kids": [1]}]}, {"kids": "x"}],
    ),
]


@pytest.mark.parametrize(("schema_", "instances"), KEYWORD_CASES)
def test_each_keyword_agrees_with_jsonschema(schema_: Any, instances: list[Any]) -> None:
    """Every supported keyword accepts and rejects what jsonschema does, edge cases included."""
    quick = compile_schema(schema_)
    full = Draft202012Validator(schema_)
    assert [quick(i) for i in instances] == [full.is_valid(i) for i in instances]


@pytest.mark.parametrize("keyword", [{"format": "uri"}, {"not": {}}, {"$ref": "other.json"}])
def test_unknown_keywords_are_refused(keyword: dict[str, Any]) -> None:
    """A keyword the check does not implement stops compiling, rather than passing silently."""
    with pytest.raises(UnsupportedSchema):
        compile_schema({"properties": {"a": keyword}})


def test_json_equality_is_not_python_equality() -> None:
    """``true`` is not ``1`` and ``[1]`` is ``[1.0]``, as JSON Schema defines equality."""
    assert not same(True, 1) and not same(0, False) and not same("1", 1)
    assert same(1, 1.0) and same([1, {"a": 2}], [1.0, {"a": 2.0}])
    assert not same({"a": 1}, {"a": 1, "b": 2}) and not same([1], [1, 1])


@cache
def _example_data(fmt: str) -> list[Any]:
    suffix = ".json" if fmt == "json" else ".yaml"
    loaded = []
    for path in sorted(EXAMPLES.glob(f"*/*/config{suffix}")):
        with contextlib.suppress(ConfigParseError):  # the broken examples cannot be loaded
            loaded.append(parsing.load(path).data)
    return loaded


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_our_schemas_agree_on_every_example(fmt: str) -> None:
    """On every example config (valid, invalid, broken), both checks give the same answer."""
    examples = _example_data(fmt)
    assert len(examples) >= 5
    quick, full = schema.quick_check(fmt), schema.validator(fmt)
    answers = [(quick(d), full.is_valid(d)) for d in examples]
    assert all(q == f for q, f in answers), answers
    assert {q for q, _ in answers} == {True, False}  # both outcomes are exercised


SCALARS = st.sampled_from(
    ["", "x", "codestral-2501", "1.0.0", "chat", "autocomplete", "openai", 0, -1, 1, 1.0, 0.5,
     True, False, None, [], {}, ["chat"], {"title": "t"}]
)
VALUES = st.recursive(
    SCALARS | st.text(max_size=8) | st.integers(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=3),
    max_leaves=8,
)


def _mutate(data: Any, path: list[int], action: str, value: Any) -> Any:
    """Delete, replace or add a member at ``path`` (indices pick keys and items cyclically)."""
    if not path or not isinstance(data, (dict, list)) or not data:
        return value
    head, *rest = path
    if isinstance(data, dict):
        key = list(data)[head % len(data)]
        copy = dict(data)
        if not rest and action == "delete":
            del copy[key]
        elif not rest and action == "add":
            copy[str(value)[:6] if not isinstance(value, str) else value] = value
        else:
            copy[key] = _mutate(data[key], rest, action, value)
        return copy
    items = list(data)
    index = head % len(items)
    if not rest and action == "delete":
        del items[index]
    else:
        items[index] = _mutate(items[index], rest, action, value)
    return items


@settings(max_examples=300, deadline=None)
@given(
    fmt=st.sampled_from(["json", "yaml"]),
    pick=st.integers(min_value=0),
    mutations=st.lists(
        st.tuples(
            st.lists(st.integers(min_value=0, max_value=7), min_size=1, max_size=5),
            st.sampled_from(["delete", "replace", "add"]),
            VALUES,
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_mutated_configs_get_the_same_answer(
    fmt: str, pick: int, mutations: list[tuple[list[int], str, Any]]
) -> None:
    """Configs a few edits away from real ones: the quick check agrees with jsonschema."""
    examples = _example_data(fmt)
    data = examples[pick % len(examples)]
    for path, action, value in mutations:
        data = _mutate(data, path, action, value)
    assert schema.quick_check(fmt)(data) == schema.validator(fmt).is_valid(data)
