"""A yes/no check compiled from our own schemas, for the common case: a valid config.

jsonschema explains every problem, but it costs ~80 ms to import and ~0.3 ms per config.
This answers "valid?" in microseconds with plain closures; only a config it rejects goes
on to jsonschema for the explained findings. It knows exactly the keywords our schemas
use, and compiling a schema with any other keyword fails, so the two cannot drift apart
unnoticed (the tests also hold both to the same answers on examples and generated input).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any
    Check = Callable[[Any], bool]


# Keywords that describe rather than constrain: ignored, as jsonschema does.
_ANNOTATIONS = frozenset(
    ("$schema", "$id", "$comment", "$defs", "title", "description", "default", "examples")
)
_NUMBER_BOUNDS: dict[str, Callable[[float, float], bool]] = {
    "minimum": lambda v, b: v >= b,
    "exclusiveMinimum": lambda v, b: v > b,
    "maximum": lambda v, b: v <= b,
    "exclusiveMaximum": lambda v, b: v < b,
}


class UnsupportedSchema(ValueError):
    """The schema uses a keyword this checker does not implement."""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (
        isinstance(value, float) and math.isfinite(value) and value.is_integer()
    )


_TYPES: dict[str, Check] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": _is_number,
    "integer": _is_integer,
}


def same(a: Any, b: Any) -> bool:
    """JSON equality: ``true`` is not ``1``, ``1`` is ``1.0``, containers compare deeply."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a is b
    if _is_number(a) and _is_number(b):
        return bool(a == b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and bool(a == b)


class _Compiler:
    def __init__(self, root: Any) -> None:
        self.root = root
        self.refs: dict[str, Check | None] = {}

    def ref(self, target: str) -> Check:
        if not target.startswith("#"):
            raise UnsupportedSchema(f"only local $ref is supported, not {target!r}")
        if target not in self.refs:
            self.refs[target] = None  # being compiled: a recursive use goes through a lookup
            node = self.root
            for token in target[1:].split("/")[1:]:
                key = token.replace("~1", "/").replace("~0", "~")
                node = node[int(key)] if isinstance(node, list) else node[key]
            self.refs[target] = self.build(node)
        done = self.refs[target]
        if done is not None:
            return done
        refs = self.refs
        return lambda value: refs[target](value)  # type: ignore[misc]

    def build(self, schema: Any) -> Check:
        if schema is True or schema == {}:
            return lambda value: True
        if schema is False:
            return lambda value: False
        if not isinstance(schema, dict):
            raise UnsupportedSchema(f"a schema must be an object or a boolean, not {schema!r}")
        fused = self._fused(schema)
        if fused is not None:
            return fused
        checks: list[Check] = []
        for keyword, argument in schema.items():
            if keyword in _ANNOTATIONS or keyword in ("additionalProperties", "then", "else"):
                continue  # the last three are compiled with properties and if
            maker = getattr(self, "k_" + keyword.replace("$", "_"), None)
            if maker is None:
                raise UnsupportedSchema(f"keyword {keyword!r} is not supported")
            checks.append(maker(argument, schema))
        if "additionalProperties" in schema and "properties" not in schema:
            checks.append(self.k_properties({}, schema))
        return _every(checks)

    def _fused(self, schema: dict[str, Any]) -> Check | None:
        """Compile the two shapes our schemas are mostly made of into one closure each.

        A string with a minimum length, and an object of known properties: as separate
        keyword checks each would cost a call per keyword per value.
        """
        keywords = set(schema) - _ANNOTATIONS
        kind = schema.get("type")
        if kind == "string" and keywords <= {"type", "minLength"}:
            least = schema.get("minLength", 0)
            return lambda value: isinstance(value, str) and len(value) >= least
        if kind == "object" and keywords <= {"type", "properties", "required",
                                             "additionalProperties"}:
            required = tuple(schema.get("required", ()))
            properties = self.k_properties(schema.get("properties", {}), schema)

            def check(value: Any) -> bool:
                if not isinstance(value, dict):
                    return False
                for name in required:
                    if name not in value:
                        return False
                return properties(value)

            return check
        return None

    def k__ref(self, target: str, _: dict[str, Any]) -> Check:
        return self.ref(target)

    def k_type(self, names: str | list[str], _: dict[str, Any]) -> Check:
        if isinstance(names, str):
            return _TYPES[names]
        return _some([_TYPES[name] for name in names])

    def k_enum(self, options: list[Any], _: dict[str, Any]) -> Check:
        if all(type(option) is str for option in options):
            # Roles, providers, ...: one set lookup, not a deep comparison per option (a
            # config's enum checks were a fifth of its schema check). Only a str equals a str.
            strings = frozenset(options)
            return lambda value: type(value) is str and value in strings
        return lambda value: any(same(value, option) for option in options)

    def k_const(self, option: Any, _: dict[str, Any]) -> Check:
        return lambda value: same(value, option)

    def k_minLength(self, least: int, _: dict[str, Any]) -> Check:
        return lambda value: not isinstance(value, str) or len(value) >= least

    def k_pattern(self, pattern: str, _: dict[str, Any]) -> Check:
        search = re.compile(pattern).search
        return lambda value: not isinstance(value, str) or search(value) is not None

    def _bound(self, keyword: str, bound: float) -> Check:
        test = _NUMBER_BOUNDS[keyword]
        return lambda value: not _is_number(value) or test(value, bound)

    def k_minimum(self, bound: float, _: dict[str, Any]) -> Check:
        return self._bound("minimum", bound)

    def k_exclusiveMinimum(self, bound: float, _: dict[str, Any]) -> Check:
        return self._bound("exclusiveMinimum", bound)

    def k_maximum(self, bound: float, _: dict[str, Any]) -> Check:
        return self._bound("maximum", bound)

    def k_exclusiveMaximum(self, bound: float, _: dict[str, Any]) -> Check:
        return self._bound("exclusiveMaximum", bound)

    def k_required(self, names: list[str], _: dict[str, Any]) -> Check:
        return lambda value: not isinstance(value, dict) or all(n in value for n in names)

    def k_properties(self, properties: dict[str, Any], schema: dict[str, Any]) -> Check:
        known = {name: self.build(sub) for name, sub in properties.items()}
        extra = (
            self.build(schema["additionalProperties"]) if "additionalProperties" in schema else None
        )

        def check(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            for name, item in value.items():
                test = known.get(name, extra)
                if test is not None and not test(item):
                    return False
            return True

        return check

    def k_items(self, items: Any, _: dict[str, Any]) -> Check:
        test = self.build(items)

        def check(value: Any) -> bool:
            if isinstance(value, list):
                for item in value:
                    if not test(item):
                        return False
            return True

        return check

    def k_anyOf(self, branches: list[Any], _: dict[str, Any]) -> Check:
        return _some([self.build(branch) for branch in branches])

    def k_allOf(self, branches: list[Any], _: dict[str, Any]) -> Check:
        return _every([self.build(branch) for branch in branches])

    def k_oneOf(self, branches: list[Any], _: dict[str, Any]) -> Check:
        tests = [self.build(branch) for branch in branches]
        return lambda value: sum(1 for test in tests if test(value)) == 1

    def k_if(self, condition: Any, schema: dict[str, Any]) -> Check:
        test = self.build(condition)
        then = self.build(schema.get("then", True))
        otherwise = self.build(schema.get("else", True))
        return lambda value: then(value) if test(value) else otherwise(value)


def _every(checks: list[Check]) -> Check:
    """Combine ``checks`` into one that holds when all hold (a loop: no generator per call)."""
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda value: first(value) and second(value)

    def check(value: Any) -> bool:
        for test in checks:  # noqa: SIM110 - all() over a generator is the slower spelling
            if not test(value):
                return False
        return True

    return check


def _some(checks: list[Check]) -> Check:
    """Combine ``checks`` into one that holds when any holds, trying them in order. One or
    two (what our schemas have for every model entry) need no generator per call."""
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda value: first(value) or second(value)
    return lambda value: any(test(value) for test in checks)


def compile_schema(schema: Any) -> Check:
    """Compile ``schema`` into a function answering whether a value is valid."""
    return _Compiler(schema).build(schema)
