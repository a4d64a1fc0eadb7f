"""Our JSON Schemas for config.json and config.yaml, compiled once, as findings.

A config passes through ``schemacheck``'s compiled yes/no check first; one it rejects is
explained by ``schemaexplain`` (jsonschema's errors for our keywords, without its import).
jsonschema itself is imported only for a schema keyword the explainer does not know.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from functools import cache

from continue_setup.check.findings import Finding
from continue_setup.check.schemacheck import compile_schema
from continue_setup.config.jsonc import escape_pointer_token
from continue_setup.config.parsing import Document
from continue_setup.resources import data_dir

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any

    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

    from continue_setup.check.findings import Severity
    from continue_setup.check.schemacheck import Check
    from continue_setup.check.schemaexplain import SchemaError

SCHEMA_FILES = {"json": "config-json.schema.json", "yaml": "config-yaml.schema.json"}
_JSON_TYPES = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "boolean",
    int: "integer",
    float: "number",
    type(None): "null",
}


@cache
def load_schema(fmt: str) -> dict[str, Any]:
    """Return the bundled schema for ``fmt`` ("json" or "yaml")."""
    with open(os.path.join(data_dir("schemas"), SCHEMA_FILES[fmt]), encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


@cache
def quick_check(fmt: str) -> Check:
    """Return the compiled yes/no check for ``fmt``; built once per process."""
    return compile_schema(load_schema(fmt))


@cache
def validator(fmt: str) -> Draft202012Validator:
    """Return jsonschema's validator for ``fmt``; built once per process."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(load_schema(fmt))


def _pointer(path: Iterable[Any]) -> str:
    return "".join(f"/{escape_pointer_token(str(p))}" for p in path)


def _type_name(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _branch(error: ValidationError | SchemaError) -> list[Any]:
    """Pick the anyOf/oneOf alternative that fits the instance best."""
    groups: dict[Any, list[Any]] = {}
    for sub in error.context or ():
        groups.setdefault(sub.relative_schema_path[0], []).append(sub)
    if not groups:
        return []

    keys = set(error.instance) if isinstance(error.instance, dict) else set()

    def cost(errors: list[Any]) -> tuple[int, int, int, int, int]:
        wrong_type = any(e.validator == "type" and not e.relative_path for e in errors)
        # The alternative that knows most of the instance's keys is the one the author meant.
        known: set[str] = set()
        unknown: set[str] = set()  # keys the alternative rejects outright
        for e in errors:
            if not e.relative_path and isinstance(e.schema, dict):
                props = set(e.schema.get("properties", {}))
                known |= props
                if e.validator == "additionalProperties":
                    unknown |= keys - props
        strong = sum(1 for e in errors if e.validator != "additionalProperties")
        return (wrong_type, -len(keys & known), len(unknown), strong, len(errors))

    return min(groups.values(), key=cost)


def _describe(error: ValidationError | SchemaError, fmt: str = "json"
              ) -> Iterator[tuple[Severity, str, str, str, str]]:
    """Yield (severity, code, pointer, message, hint) for an error, never quoting the
    instance; the hint says what to write, in ``fmt``'s syntax."""
    # Only a failing config gets here: a valid one never loads the wording.
    from continue_setup.check import schemahints as hints

    pointer = _pointer(error.absolute_path)
    key = str(error.absolute_path[-1]) if error.absolute_path else ""
    key = "" if key.isdigit() else key  # a list item has no key to write
    kind = error.validator
    value: Any = error.validator_value  # typed loosely by jsonschema
    if kind in ("anyOf", "oneOf"):
        best = _branch(error)
        if best:
            for sub in best:
                yield from _describe(sub, fmt)
        else:
            yield ("error", "schema", pointer, "matches more than one allowed form",
                   "Keep the keys of one form only; the message of each key says more.")
        return
    if kind == "required":
        instance = error.instance if isinstance(error.instance, dict) else {}
        for name in value:
            if name not in instance:
                yield ("error", "schema-required", pointer, f"missing required key '{name}'",
                       hints.required(name, error.schema, fmt))
        return
    if kind == "additionalProperties":
        from continue_setup.check.suggest import closest, rename_hint  # unknown keys only

        subschema: Any = error.schema
        known = set(subschema.get("properties", {}))
        instance = error.instance if isinstance(error.instance, dict) else {}
        for name in instance:
            if name not in known:
                meant = closest(name, known)
                yield (
                    "warning",
                    "unknown-key",
                    f"{pointer}/{escape_pointer_token(name)}",
                    f"unknown key '{name}': Continue ignores it",
                    rename_hint(name, meant) if meant else "",
                )
        return
    if kind == "type":
        expected = " or ".join(value) if isinstance(value, list) else value
        message = f"must be {expected}, not {_type_name(error.instance)}"
        hint = hints.wrong_type(key, value, fmt)
    elif kind in ("enum", "const"):
        options = value if kind == "enum" else [value]
        message = "must be one of: " + ", ".join(json.dumps(o) for o in options)
        hint = hints.one_of(key, list(options), fmt)
    elif kind == "minLength" and value == 1:
        message = "must not be empty"
        hint = hints.not_empty(key, fmt)
    elif kind in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        words = {
            "minimum": "at least",
            "exclusiveMinimum": "more than",
            "maximum": "at most",
            "exclusiveMaximum": "less than",
        }
        message = f"must be {words[kind]} {value}"
        hint = hints.bound(words[kind], value)
    else:
        message = f"fails the schema's '{kind}' rule ({json.dumps(value)[:80]})"
        hint = hints.other(str(kind))
    yield "error", f"schema-{kind}".lower(), pointer, message, hint


_HINTS = {"unknown-key": "Remove it, or check its spelling and indentation."}


def _errors(fmt: str, data: Any) -> Iterable[Any]:
    """Return the schema errors of ``data``: from our explainer, else from jsonschema."""
    from continue_setup.check.schemaexplain import Unsure, explain

    try:
        return explain(load_schema(fmt), data)
    except Unsure:  # a keyword the explainer does not know: jsonschema decides
        return validator(fmt).iter_errors(data)


def schema_findings(doc: Document) -> list[Finding]:
    """Validate ``doc`` against our schema for its format; return every problem found."""
    if quick_check(doc.format)(doc.data):
        return []
    findings: list[Finding] = []
    seen: set[tuple[str, str, str]] = set()
    for error in _errors(doc.format, doc.data):
        for severity, code, pointer, message, hint in _describe(error, doc.format):
            if (code, pointer, message) in seen:
                continue
            seen.add((code, pointer, message))
            line, column = doc.locate(pointer)
            findings.append(
                Finding(
                    severity,
                    code,
                    pointer,
                    message,
                    hint or _HINTS.get(code, ""),
                    line,
                    column,
                )
            )
    return findings
