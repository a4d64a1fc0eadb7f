"""Entry templates: one data file per entry, validated, rendered onto a parsed structure."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from continue_setup.check.catalogue import load_catalogue
from continue_setup.config.reading import CONFIG_MAX_BYTES, read_text_capped
from continue_setup.errors import InputError
from continue_setup.records import Frozen, NamedTuple
from continue_setup.resources import data_dir
from continue_setup.setup.metadata import metadata_fields
from continue_setup.setup.templatecheck import TemplateDataError, check_template

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any, Literal

DEFAULT_ORDER = ("gpt", "claude", "codestral")  # the order of Langdock's own recipe
YAML_ROLES = {
    "chat": ["chat", "edit", "apply"],
    "autocomplete": ["autocomplete"],
    "embed": ["embed"],
}


class Template(Frozen):
    """One entry template, as written in ``templates/NAME.json`` (checked by templatecheck)."""

    __slots__ = (
        "description",
        "fields",
        "model",
        "name",
        "optional",
        "provider",
        "regions",
        "role",
        "roles",
        "route",
        "title",
    )
    _REPR = ("name", "provider", "model", "role")
    name: str
    description: str
    title: str
    provider: Literal["openai", "anthropic", "mistral"]
    model: str
    route: Literal["openai", "anthropic", "mistral"]
    role: Literal["chat", "autocomplete", "embed"]
    regions: tuple[str, ...]
    optional: bool  # included only when --entries names it
    roles: tuple[str, ...] | None  # config.yaml roles; default from ``role``
    fields: dict[str, Any]

    def __init__(self, name: str, description: str, title: str,
                 provider: Literal["openai", "anthropic", "mistral"], model: str,
                 route: Literal["openai", "anthropic", "mistral"],
                 role: Literal["chat", "autocomplete", "embed"], regions: tuple[str, ...],
                 optional: bool = False, roles: tuple[str, ...] | None = None,
                 fields: dict[str, Any] | None = None) -> None:
        self._set(name=name, description=description, title=title, provider=provider,
                  model=model, route=route, role=role, regions=regions, optional=optional,
                  roles=roles, fields={} if fields is None else fields)

    @classmethod
    def from_data(cls, data: Any) -> Template:
        """Check ``data`` (a template file's JSON) and build the template from it."""
        return cls(**check_template(data))

    def yaml_roles(self) -> list[str]:
        """Return the config.yaml roles of this entry."""
        return list(self.roles) if self.roles else list(YAML_ROLES[self.role])

    def region_for(self, region: str) -> str:
        """Return the asked region if Langdock serves this entry there, else its first."""
        return region if region in self.regions else self.regions[0]

    def title_for(self, model: str, region: str) -> str:
        return self.title.replace("{model}", model).replace("{region}", region)

    def title_pattern(self) -> re.Pattern[str]:
        """Match any title this template renders, whatever the model or region."""
        return _title_pattern(self.title)


@cache  # asked for every entry of the user's config, for each template
def _title_pattern(title: str) -> re.Pattern[str]:
    parts = re.split(r"(\{model\}|\{region\})", title)
    return re.compile(
        "".join(".+" if p in ("{model}", "{region}") else re.escape(p) for p in parts)
    )


class Rendered(NamedTuple):  # an immutable record: a frozen dataclass costs ~0.6 ms at import
    """A template rendered for one config: the entry's fields and where it points."""

    template: Template
    entry: dict[str, Any]
    region: str


def _load_file(path: Path) -> Template:
    try:
        data = json.loads(read_text_capped(path, limit=CONFIG_MAX_BYTES, what="template"))
    except (ValueError, RecursionError) as e:  # JSONDecodeError, and nesting past the stack
        line = getattr(e, "lineno", None)
        column = getattr(e, "colno", None)
        raise InputError(
            f"the template {path} is not valid JSON: {getattr(e, 'msg', e)}",
            path=str(path),
            line=line,
            column=column,
            hint="Templates are JSON files; see templates/ for the format.",
        ) from None
    try:
        template = Template.from_data(data)
    except TemplateDataError as e:
        raise InputError(
            f"the template {path} is invalid at {e.pointer}: {e.message}",
            path=str(path),
            pointer=e.pointer,
            hint="Fields: name, description, title, provider, model, route, role, regions, "
            "optional, roles, fields.",
        ) from None
    if template.name != path.stem:
        raise InputError(
            f"the template {path} is named '{template.name}'; name it like its file "
            f"('{path.stem}')",
            path=str(path),
            pointer="/name",
        )
    return template


def load_templates(extra_dir: Path | None = None) -> dict[str, Template]:
    """Return the bundled templates, added to or replaced by those in ``extra_dir``."""
    order = {name: index for index, name in enumerate(DEFAULT_ORDER)}
    paths = sorted(
        Path(data_dir("templates")).glob("*.json"), key=lambda p: (order.get(p.stem, 99), p.stem)
    )
    templates = {p.stem: _load_file(p) for p in paths}
    if extra_dir is not None:
        if not extra_dir.is_dir():
            raise InputError(f"--template-dir {extra_dir} is not a directory", path=str(extra_dir))
        for path in sorted(extra_dir.glob("*.json")):
            templates[path.stem] = _load_file(path)
    return templates


def render(
    template: Template,
    *,
    fmt: str,
    base_url: str,
    region: str,
    model: str | None,
    api_key: str,
) -> Rendered:
    """Fill the template in for one config; the key is whatever the entry should hold."""
    used_region = template.region_for(region)
    model_id = model or template.model
    entry: dict[str, Any] = {}
    if fmt == "yaml" or template.role != "embed":  # config.json's embeddingsProvider has none
        entry["name" if fmt == "yaml" else "title"] = template.title_for(model_id, used_region)
    entry |= {
        "provider": template.provider,
        "model": model_id,
        "apiBase": f"{base_url}/{template.route}/{used_region}/v1",
        "apiKey": api_key,
    }
    known = load_catalogue().get(model_id)
    if fmt == "yaml":
        # The catalogue knows which roles suit the chosen model (summarize on the smaller ones).
        entry["roles"] = (
            list(known.roles) if known and not template.roles else template.yaml_roles()
        )
    if known is not None:
        entry.update(metadata_fields(known, fmt, load_catalogue()))
    entry.update(template.fields)
    return Rendered(template, entry, used_region)
