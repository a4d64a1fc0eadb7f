"""``validate -``: one config read from standard input, checked as a file would be.

The text arrives as bytes; nothing here reads a stream. ``name`` (``--stdin-filename``) is
the file the text stands for: it picks the parser, names the report, and places the .env
that secrets resolve from, as if the file were there.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from continue_setup.check.findings import FileReport
from continue_setup.check.rules import RuleContext, issue
from continue_setup.check.validate import _KEYLIKE_IN_TEXT, ValidationRun, check_document
from continue_setup.config import parsing, redact
from continue_setup.config.keys import read_dotenv
from continue_setup.config.paths import resolve_config_dir
from continue_setup.errors import ConfigParseError, InputError

MAX_STDIN = 10 * 1024 * 1024  # far above any real config; a runaway pipe stops here
STDIN_LABEL = "<stdin>"


def validate_stdin(
    raw: bytes,
    *,
    name: str | None = None,
    fmt: parsing.Format | None = None,
    config_dir: Path | None = None,
    environ: Mapping[str, str],
    strict: bool = False,
) -> ValidationRun:
    """Validate ``raw`` as one config; the format from ``fmt``, ``name``, else JSONC then YAML."""
    if len(raw) > MAX_STDIN:
        raise InputError(
            f"standard input holds more than {MAX_STDIN // (1024 * 1024)} MiB; no config is "
            "that large",
            hint="Pipe in one config file, or name the files to check instead of '-'.",
        )
    path = Path(name) if name else None
    fmt = fmt or (parsing.format_from_name(path) if path is not None else None)
    report = FileReport(path or Path(STDIN_LABEL), fmt or "unknown", False)
    continue_dir = resolve_config_dir(config_dir, env=environ)
    run = ValidationRun([report], continue_dir, strict=strict)
    try:
        text = _decode(raw)
        doc = _parse(text, fmt, path)
    except ConfigParseError as e:
        loose = raw.decode("utf-8", "replace")
        redact.register_all(m.group(1) for m in re.finditer(_KEYLIKE_IN_TEXT, loose))
        report.format = fmt or parsing.guess_format(None, loose)
        finding = issue("parse-error", "", e.message, hint=e.hint or None)
        report.findings.append(finding._replace(line=e.line, column=e.column))
        return run
    report.format = doc.format
    folder = config_dir if config_dir is not None else path.parent if path is not None else None
    dotenv = read_dotenv(folder / ".env") if folder is not None else {}
    ctx = RuleContext(path=path, config_dir=folder, dotenv=dotenv, environ=environ)
    report.findings.extend(check_document(doc, ctx))
    report.sort()
    return run


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        column = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        raise ConfigParseError(f"not UTF-8 text (byte {e.start})", line=line, column=column,
                               hint="Save the config as UTF-8.") from None


def _parse(text: str, fmt: parsing.Format | None, path: Path | None) -> parsing.Document:
    """Parse as ``fmt``; with none, as JSONC, then as YAML, reporting the likelier failure."""
    if fmt is not None:
        return parsing.parse_text(text, fmt, path)
    try:
        return parsing.parse_text(text, "json", path)
    except ConfigParseError as as_json:
        try:
            return parsing.parse_text(text, "yaml", path)
        except ConfigParseError:
            if parsing.guess_format(None, text) == "json":
                raise as_json from None
            raise
