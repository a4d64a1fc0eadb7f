"""Explain why a config fails our schema without importing jsonschema.

The compiled check in ``schemacheck`` says yes or no. A "no" used to import jsonschema
(~50 ms) to learn why. This walks the schema the way jsonschema's Draft 2020-12 validator
does, for exactly the keywords our schemas use, and yields errors with the attributes
``schema._describe`` reads, in jsonschema's order. A schema with any other keyword raises
``Unsure`` and jsonschema explains as before; a test holds both to the same findings.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator

from continue_setup.check.schemacheck import same

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any

_ANNOTATIONS = frozenset(
    ("$schema", "$id", "$comment", "$defs", "title", "description", "default", "examples")
)
_BOUNDS = {
    "minimum": lambda v, b: v >= b,
    "exclusiveMinimum": lambda v, b: v > b,
    "maximum": lambda v, b: v <= b,
    "exclusiveMaximum": lambda v, b: v < b,
}


class Unsure(Exception):
    """The schema uses something this explainer does not implement."""


class SchemaError:
    """One failed keyword, shaped like jsonschema's ValidationError where ``_describe`` looks."""

    def __init__(self, validator: str, value: Any, instance: Any, schema: Any,
                 context: list[SchemaError] | None = None) -> None:
        self.validator = validator
        self.validator_value = value
        self.instance = instance
        self.schema = schema
        self.context = context or []
        self.relative_path: deque[Any] = deque()
        self.relative_schema_path: deque[Any] = deque()
        self.parent: SchemaError | None = None
        for sub in self.context:
            sub.parent = self

    @property
    def absolute_path(self) -> deque[Any]:
        """The path from the document's root, as jsonschema computes it."""
        path = deque(self.relative_path)
        parent = self.parent
        while parent is not None:
            path.extendleft(reversed(parent.relative_path))
            parent = parent.parent
        return path


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_type(value: Any, name: str) -> bool:
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "string":
        return isinstance(value, str)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "null":
        return value is None
    if name == "number":
        return _is_number(value)
    if name == "integer":
        return _is_number(value) and (isinstance(value, int) or float(value).is_integer())
    raise Unsure(f"type {name!r}")


class _Explainer:
    def __init__(self, root: Any) -> None:
        self.root = root

    def resolve(self, target: str) -> Any:
        if not target.startswith("#/"):
            raise Unsure(f"$ref {target!r}")
        node = self.root
        for token in target[2:].split("/"):
            key = token.replace("~1", "/").replace("~0", "~")
            node = node[int(key)] if isinstance(node, list) else node[key]
        return node

    def descend(self, instance: Any, schema: Any, path: Any = None,
                schema_path: Any = None) -> Iterator[SchemaError]:
        for error in self.errors(instance, schema):
            if path is not None:
                error.relative_path.appendleft(path)
            if schema_path is not None:
                error.relative_schema_path.appendleft(schema_path)
            yield error

    def errors(self, instance: Any, schema: Any) -> Iterator[SchemaError]:
        if schema is True:
            return
        if schema is False:
            yield SchemaError("false", False, instance, schema)
            return
        if not isinstance(schema, dict):
            raise Unsure("a schema that is not an object")
        for keyword, value in schema.items():
            if keyword in _ANNOTATIONS or keyword in ("then", "else"):  # read by "if"
                continue
            method = getattr(self, "k_" + keyword.replace("$", "_"), None)
            if method is None:
                raise Unsure(f"keyword {keyword!r}")
            for error in method(value, instance, schema):
                if keyword not in ("$ref", "if"):  # as jsonschema: these add no path step
                    error.relative_schema_path.appendleft(keyword)
                yield error

    def k__ref(self, target: str, instance: Any, _: Any) -> Iterator[SchemaError]:
        yield from self.errors(instance, self.resolve(target))

    def k_type(self, names: Any, instance: Any, schema: Any) -> Iterator[SchemaError]:
        options = names if isinstance(names, list) else [names]
        if not any(_is_type(instance, name) for name in options):
            yield SchemaError("type", names, instance, schema)

    def k_properties(self, properties: Any, instance: Any, _: Any) -> Iterator[SchemaError]:
        if not isinstance(instance, dict):
            return
        for name, subschema in properties.items():
            if name in instance:
                yield from self.descend(instance[name], subschema, path=name,
                                        schema_path=name)

    def k_additionalProperties(self, extra: Any, instance: Any,
                               schema: Any) -> Iterator[SchemaError]:
        if not isinstance(instance, dict):
            return
        if "patternProperties" in schema:
            raise Unsure("patternProperties")
        known = schema.get("properties", {})
        extras = [name for name in instance if name not in known]
        if isinstance(extra, dict):
            if len(extras) > 1:
                raise Unsure("several extras under a schema (jsonschema's order is a set's)")
            for name in extras:
                yield from self.descend(instance[name], extra, path=name)
        elif extra is False and extras:
            yield SchemaError("additionalProperties", extra, instance, schema)

    def k_items(self, items: Any, instance: Any, schema: Any) -> Iterator[SchemaError]:
        if not isinstance(instance, list):
            return
        if "prefixItems" in schema:
            raise Unsure("prefixItems")
        if items is False and instance:
            yield SchemaError("items", items, instance, schema)
            return
        for index, item in enumerate(instance):
            yield from self.descend(item, items, path=index)

    def k_required(self, names: Any, instance: Any, schema: Any) -> Iterator[SchemaError]:
        if isinstance(instance, dict):
            for name in names:
                if name not in instance:
                    yield SchemaError("required", names, instance, schema)

    def k_minLength(self, least: int, instance: Any, schema: Any) -> Iterator[SchemaError]:
        if isinstance(instance, str) and len(instance) < least:
            yield SchemaError("minLength", least, instance, schema)

    def k_pattern(self, pattern: str, instance: Any, schema: Any) -> Iterator[SchemaError]:
        if isinstance(instance, str) and re.search(pattern, instance) is None:
            yield SchemaError("pattern", pattern, instance, schema)

    def _bound(self, keyword: str, bound: Any, instance: Any,
               schema: Any) -> Iterator[SchemaError]:
        if _is_number(instance) and not _BOUNDS[keyword](instance, bound):
            yield SchemaError(keyword, bound, instance, schema)

    def k_minimum(self, bound: Any, instance: Any, schema: Any) -> Iterator[SchemaError]:
        return self._bound("minimum", bound, instance, schema)

    def k_exclusiveMinimum(self, bound: Any, instance: Any,
                           schema: Any) -> Iterator[SchemaError]:
        return self._bound("exclusiveMinimum", bound, instance, schema)

    def k_maximum(self, bound: Any, instance: Any, schema: Any) -> Iterator[SchemaError]:
        return self._bound("maximum", bound, instance, schema)

    def k_exclusiveMaximum(self, bound: Any, instance: Any,
                           schema: Any) -> Iterator[SchemaError]:
        return self._bound("exclusiveMaximum", bound, instance, schema)

    def k_enum(self, options: Any, instance: Any, schema: Any) -> Iterator[SchemaError]:
        if not any(same(instance, option) for option in options):
            yield SchemaError("enum", options, instance, schema)

    def k_const(self, option: Any, instance: Any, schema: Any) -> Iterator[SchemaError]:
        if not same(instance, option):
            yield SchemaError("const", option, instance, schema)

    def k_if(self, condition: Any, instance: Any, schema: Any) -> Iterator[SchemaError]:
        branch = "then" if not any(self.errors(instance, condition)) else "else"
        if branch in schema:
            yield from self.descend(instance, schema[branch], schema_path=branch)

    def k_anyOf(self, branches: Any, instance: Any, schema: Any) -> Iterator[SchemaError]:
        collected: list[SchemaError] = []
        for index, branch in enumerate(branches):
            found = list(self.descend(instance, branch, schema_path=index))
            if not found:
                return
            collected.extend(found)
        yield SchemaError("anyOf", branches, instance, schema, context=collected)


def explain(schema: Any, instance: Any) -> list[SchemaError]:
    """Return jsonschema's errors for ``instance``, or raise Unsure if unsure to match it."""
    return list(_Explainer(schema).errors(instance, schema))
