"""Check a template file's data by hand: pydantic's messages without pydantic's import cost.

``init`` loads every bundled template on each run; importing pydantic for three small
objects cost more than the whole rest of the command, so the rules live here as code.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any

FIELDS = ("name", "description", "title", "provider", "model", "route", "role", "regions",
          "optional", "roles", "fields")
REQUIRED = ("name", "description", "title", "provider", "model", "route", "role", "regions")
CHOICES = {"provider": ("openai", "anthropic", "mistral"), "route": ("openai", "anthropic",
                                                                     "mistral"),
           "role": ("chat", "autocomplete", "embed")}
PATTERNS = {"name": r"^[a-z0-9][a-z0-9_-]*$", "model": r"^[^\s]+$"}
MANAGED = frozenset({"title", "name", "provider", "model", "apiBase", "apiKey", "roles"})


class TemplateDataError(ValueError):
    """The first problem in a template's data: where (a JSON pointer) and what."""

    def __init__(self, pointer: str, message: str) -> None:
        super().__init__(message)
        self.pointer = pointer
        self.message = message


def _strings(data: dict[str, Any], name: str) -> tuple[str, ...]:
    value = data[name]
    if not isinstance(value, list | tuple):
        raise TemplateDataError(f"/{name}", "Input should be a valid tuple")
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise TemplateDataError(f"/{name}/{index}", "Input should be a valid string")
    return tuple(value)


def check_template(data: Any) -> dict[str, Any]:
    """Return the template's fields, checked and normalised, or raise TemplateDataError."""
    if not isinstance(data, dict):
        raise TemplateDataError("/", "Input should be a valid dictionary or instance of Template")
    for name in data:
        if name not in FIELDS:
            raise TemplateDataError(f"/{name}", "Extra inputs are not permitted")
    for name in REQUIRED:
        if name not in data:
            raise TemplateDataError(f"/{name}", "Field required")
    for name in ("name", "description", "title", "provider", "model", "route", "role"):
        value = data[name]
        if not isinstance(value, str):
            raise TemplateDataError(f"/{name}", "Input should be a valid string")
        if name in CHOICES and value not in CHOICES[name]:
            options = CHOICES[name]
            listed = ", ".join(repr(o) for o in options[:-1]) + f" or {options[-1]!r}"
            raise TemplateDataError(f"/{name}", f"Input should be {listed}")
        if name in PATTERNS and not re.match(PATTERNS[name], value):
            raise TemplateDataError(f"/{name}",
                                    f"String should match pattern '{PATTERNS[name]}'")
    if len(data["name"]) > 40:
        raise TemplateDataError("/name", "String should have at most 40 characters")
    for name in ("description", "title"):
        if not data[name]:
            raise TemplateDataError(f"/{name}", "String should have at least 1 character")
    unknown = set(re.findall(r"\{([^}]*)\}", data["title"])) - {"model", "region"}
    if unknown:
        raise TemplateDataError("/title", f"Value error, unknown placeholder "
                                f"{{{sorted(unknown)[0]}}}; use {{model}} or {{region}}")
    regions = _strings(data, "regions")
    if not regions:
        raise TemplateDataError("/regions", "Tuple should have at least 1 item after validation")
    if not isinstance(data.get("optional", False), bool):
        raise TemplateDataError("/optional", "Input should be a valid boolean")
    roles = _strings(data, "roles") if data.get("roles") is not None else None
    fields = data.get("fields", {})
    if not isinstance(fields, dict):
        raise TemplateDataError("/fields", "Input should be a valid dictionary")
    clash = sorted(MANAGED & fields.keys())
    if clash:
        raise TemplateDataError("/fields", f"Value error, '{clash[0]}' is set by the template "
                                "itself, not under fields")
    if data["role"] == "autocomplete" and data["provider"] != "mistral":
        raise TemplateDataError("/", "Value error, an autocomplete template needs provider "
                                "'mistral' (Continue's FIM)")
    if data["role"] == "embed" and data["provider"] != "openai":
        raise TemplateDataError("/", "Value error, an embed template needs provider "
                                "'openai' (Langdock's embeddings)")
    return {**data, "regions": regions, "roles": roles, "fields": dict(fields)}
