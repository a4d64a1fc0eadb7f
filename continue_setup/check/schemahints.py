"""Hints for schema findings that say what to write, in the file's own syntax.

"Change the value as the message says" helps nobody; ``"contextLength": 128000`` does.
"""

from __future__ import annotations

import json

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any

_EXAMPLES = {"string": '"..."', "integer": "1", "number": "1", "boolean": "true",
             "array": "[]", "object": "{}", "null": "null"}
# Values people write for the keys a schema finding most often names.
_BY_KEY = {"model": '"gpt-5.2"', "provider": '"openai"', "title": '"Langdock GPT"',
           "name": '"Langdock GPT"', "apiBase": '"https://api.langdock.com/openai/eu/v1"',
           "apiKey": '"${{ secrets.LANGDOCK_API_KEY }}"', "version": '"1.0.0"',
           "contextLength": "128000", "maxTokens": "4096", "temperature": "0.5",
           "models": "[]", "roles": '["chat"]'}
_UNQUOTED = ("integer", "number", "boolean")


def pair(name: str, example: str, fmt: str) -> str:
    """Return ``name`` and ``example`` as one member of ``fmt`` (json or yaml)."""
    if fmt == "yaml":
        return f"{name}: {example}"
    return f"{json.dumps(name)}: {example}"


def _type_of(schema: Any) -> str:
    kind = schema.get("type") if isinstance(schema, dict) else None
    if isinstance(kind, list) and kind:
        kind = kind[0]
    if kind is None and isinstance(schema, dict) and "enum" in schema and schema["enum"]:
        return "enum"
    return kind if isinstance(kind, str) else "string"


def _example(name: str, schema: Any) -> str:
    kind = _type_of(schema)
    if name in _BY_KEY and kind in ("string", "integer", "number", "array"):
        return _BY_KEY[name]
    if kind == "enum":
        return json.dumps(schema["enum"][0])
    return _EXAMPLES.get(kind, '"..."')


def required(name: str, parent_schema: Any, fmt: str) -> str:
    """Hint for a missing key: the member to add, with a value of the right type."""
    props = parent_schema.get("properties", {}) if isinstance(parent_schema, dict) else {}
    return f"Add {pair(name, _example(name, props.get(name)), fmt)} to this object."


def wrong_type(key: str, expected: str | list[str], fmt: str) -> str:
    """Hint for a value of the wrong type: what to write instead, with an example."""
    first = expected[0] if isinstance(expected, list) and expected else expected
    kind = first if isinstance(first, str) else "string"
    example = _BY_KEY.get(key) if kind in ("string", "integer", "number") else None
    example = example or _EXAMPLES.get(kind, '"..."')
    quotes = " without quotes" if kind in _UNQUOTED else ""
    article = "an" if kind[:1] in "aeiou" else "a"
    target = pair(key, example, fmt) if key else example
    return f"Write {article} {kind}{quotes} here, for example {target}."


def one_of(key: str, options: list[Any], fmt: str) -> str:
    """Hint for a value outside an enum: the allowed values, and one written out."""
    listed = ", ".join(json.dumps(o) for o in options[:8])
    target = pair(key, json.dumps(options[0]), fmt) if key and options else ""
    return f"Write one of {listed}" + (f", for example {target}." if target else ".")


def not_empty(key: str, fmt: str) -> str:
    """Hint for an empty string where text is needed."""
    return f"Write the value after {pair(key, '', fmt).rstrip()} or remove the key."


def bound(words: str, value: Any) -> str:
    """Hint for a number out of range."""
    return f"Write a number {words} {value}."


def other(kind: str) -> str:
    """Hint for any other schema keyword."""
    return f"Write a value that meets the '{kind}' rule named in the message."
