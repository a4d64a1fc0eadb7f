"""Organisation settings: what an admin sets once for every machine, read from a JSON file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    ValidationError,
    field_validator,
)

from continue_setup.config import parsing
from continue_setup.errors import ConfigParseError, InputError

_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_FIELDS = "base_url, region, format, key_storage, entries, models, template_dir, request_options"


class ClientCertificate(BaseModel):
    """A client certificate for mutual TLS, as Continue's requestOptions takes it."""

    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)

    cert: str = Field(min_length=1)
    key: str = Field(min_length=1)
    passphrase: str | None = None


class RequestOptions(BaseModel):
    """Continue's ``requestOptions``, set on every Langdock entry."""

    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)

    caBundlePath: str | list[str] | None = None  # Continue's own field names
    proxy: str | None = Field(default=None, pattern=r"^(https?|socks5h?)://\S+$")
    noProxy: list[str] | None = None
    headers: dict[str, str] | None = None
    timeout: StrictInt | StrictFloat | None = None  # seconds; an int stays an int
    verifySsl: bool | None = None
    clientCertificate: ClientCertificate | None = None
    extraBodyProperties: dict[str, Any] | None = None

    @field_validator("caBundlePath")
    @classmethod
    def _paths_not_empty(cls, value: str | list[str] | None) -> str | list[str] | None:
        paths = [value] if isinstance(value, str) else value or []
        if any(not p.strip() for p in paths) or value == []:
            raise ValueError("give one path, or a list of paths, none of them empty")
        return value

    @field_validator("timeout")
    @classmethod
    def _positive(cls, value: float | None) -> float | None:
        if value is not None and value <= 0:
            raise ValueError("must be a number of seconds above 0")
        return value

    @field_validator("headers")
    @classmethod
    def _header_shapes(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        for name, text in (value or {}).items():
            if not _HEADER_NAME.match(name):
                raise ValueError(f"{name!r} is not an HTTP header name")
            if "\r" in text or "\n" in text:
                raise ValueError(f"the value of header {name!r} contains a line break")
        return value


class OrgSettings(BaseModel):
    """The organisation settings file: defaults for ``init`` that options override."""

    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)

    schema_: str | None = Field(default=None, alias="$schema")
    base_url: str | None = Field(default=None, min_length=1)
    region: Literal["eu", "us"] | None = None
    format: Literal["auto", "json", "yaml"] | None = None
    key_storage: Literal["inline", "dotenv"] | None = None
    entries: list[str] | None = Field(default=None, min_length=1)
    models: dict[str, str] = Field(default_factory=dict)
    template_dir: str | None = Field(default=None, min_length=1)
    request_options: RequestOptions | None = None

    @field_validator("entries")
    @classmethod
    def _entry_names(cls, value: list[str] | None) -> list[str] | None:
        for name in value or []:
            if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", name):
                raise ValueError(f"{name!r} is not a template name")
        return value

    @field_validator("models")
    @classmethod
    def _model_ids(cls, value: dict[str, str]) -> dict[str, str]:
        for name, model in value.items():
            if not model or any(c.isspace() for c in model):
                raise ValueError(f"the model id for {name!r} is empty or contains whitespace")
        return value

    def template_path(self, settings_file: Path) -> Path | None:
        """Return ``template_dir`` as a path, taken relative to the settings file."""
        if self.template_dir is None:
            return None
        return settings_file.parent / Path(self.template_dir).expanduser()

    def request_options_dict(self) -> dict[str, Any]:
        """Return the request options as Continue writes them (unset ones left out)."""
        if self.request_options is None:
            return {}
        return self.request_options.model_dump(exclude_none=True)


def _pointer(data: Any, loc: tuple[int | str, ...]) -> str:
    """Turn a pydantic error location into a JSON pointer to the nearest existing value."""
    parts: list[str] = []
    node = data
    for part in loc:
        in_dict = isinstance(node, dict) and isinstance(part, str) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            node = node[part]
        else:
            break  # a union member's tag or a missing field: point at the parent
        parts.append(str(part).replace("~", "~0").replace("/", "~1"))
    return "".join("/" + p for p in parts)


def _words(item: Any) -> str:
    """Say one pydantic error in our words: what is wrong there, never the value itself."""
    kind = item["type"]
    if kind == "missing":
        return f"'{item['loc'][-1]}' is required"
    if kind == "extra_forbidden":
        from continue_setup.check.suggest import closest

        name = str(item["loc"][-1])
        known = OrgSettings.model_fields if len(item["loc"]) == 1 else ()
        meant = closest(name, known)
        return f"'{name}' is not a setting" + (f" (did you mean '{meant}'?)" if meant else "")
    message = str(item["msg"])
    for theirs, ours in (("Value error, ", ""), ("Input should be", "must be"),
                         ("String should", "must"), ("List should", "must"),
                         ("Dictionary should", "must")):
        message = message.replace(theirs, ours)
    return message


def load_org_settings(path: Path) -> OrgSettings:
    """Read and check the organisation settings at ``path``; refuse a bad one (exit 2)."""
    try:
        text = parsing.read_text(path)
        doc = parsing.parse_text(text, "json", path)
    except ConfigParseError as e:
        raise InputError(
            f"the organisation settings {path} are not valid JSON: {e.message}",
            path=str(path),
            line=e.line,
            column=e.column,
            hint=e.hint,
        ) from None
    except InputError:
        raise
    try:
        return OrgSettings.model_validate(doc.data)
    except ValidationError as e:
        errors = e.errors()
        first = errors[0]
        pointer = _pointer(doc.data, first["loc"])
        line, column = doc.locate(pointer)
        # Every problem, each at its place, in our words (no "and N more": fix all at once).
        said = "; ".join(f"{_pointer(doc.data, item['loc']) or '/'}: {_words(item)}"
                         for item in errors)
        raise InputError(
            f"the organisation settings {path} are invalid: {said}",
            path=str(path),
            pointer=pointer,
            line=line,
            column=column,
            hint=f"The settings are {_FIELDS}; each takes what the init option of the same "
            "name takes ('continue-setup init --help'), and 'continue-setup templates' lists "
            "the entry names.",
            details=[{"pointer": _pointer(doc.data, item["loc"]), "message": _words(item)}
                     for item in errors],
        ) from None
