"""``validate`` as data: pick the files, parse them as Continue does, run schema and rules.

Nothing here prints or knows about click: ``validate_paths`` returns a ``ValidationRun``
that the reporters render and the command turns into an exit code.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from continue_setup.check.findings import FileReport, Finding
from continue_setup.check.rules import CODES, RuleContext, issue, run_rules, secret_values
from continue_setup.check.rules.structure import is_rc_file
from continue_setup.check.schema import schema_findings
from continue_setup.config import parsing, redact
from continue_setup.config.keys import read_dotenv
from continue_setup.config.paths import (
    MARKDOWN_BLOCKS,
    ConfigDir,
    Located,
    inside,
    locate,
    secrets_dir_for,
    suffix,
)
from continue_setup.errors import ConfigParseError, ExitCode, InputError

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any

    from continue_setup.config.paths import StrPath

CONFIG_SUFFIXES = (".json", ".jsonc", ".yaml", ".yml")
# Folders a config tree may hold that are never configs: VCS, caches, Continue's own state.
SKIP_DIRS = frozenset(
    (
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "__pycache__",
        ".venv",
        "venv",
        ".tox",
        "index",
        "sessions",
        "dev_data",
        "logs",
        "out",
    )
)
# Patterns only a failing config needs, compiled (and cached by re) on first use.
# On a parse error the data is lost, so mask anything that reads like a key in the raw text.
_KEYLIKE_IN_TEXT = (
    r"""(?i)(?:api_?key|authorization|token|secret|password)["']?\s*[:=]\s*"""
    r"""["']?(?:bearer\s+)?([^"'\s,{}\[\]]{4,})"""
)
_REQUIRED = "missing required key '"  # a schema-required finding's message, then the key's name
_SCHEMA_HINTS = {("yaml", "/version"): 'Quote it: version: "1.0.0" (YAML reads 1.0 as a number).'}


class ValidationRun:
    """The reports of one run, and what the run was about."""

    def __init__(self, reports: list[FileReport], config_dir: ConfigDir | Located,
                 strict: bool = False, default_mode: bool = False) -> None:
        self.reports = reports
        self.config_dir = config_dir
        self.strict = strict
        self.default_mode = default_mode  # no paths were given: Continue's own file was checked

    @property
    def unreadable(self) -> list[FileReport]:
        return [r for r in self.reports if r.unreadable]

    @property
    def valid(self) -> bool:
        return all(report.valid(strict=self.strict) for report in self.reports)

    @property
    def exit_code(self) -> ExitCode:
        """2 when a file could not be read, 1 when any file is invalid, else 0."""
        if self.unreadable:
            return ExitCode.USAGE
        return ExitCode.OK if self.valid else ExitCode.INVALID

    def counts(self) -> dict[str, int]:
        """Count findings by code, most frequent first."""
        counter = Counter(f.code for report in self.reports for f in report.findings)
        return dict(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


class _Secrets:
    """The .env of one config dir, read once however many files use it."""

    def __init__(self, environ: Mapping[str, str], config_dir: StrPath | None = None) -> None:
        self.environ = environ
        # Where every file's .env is (None: each file's own folder), as text like every path
        # here: validate never loads pathlib (issue 18).
        self.config_dir = None if config_dir is None else os.fspath(config_dir)
        self.cache: dict[str, tuple[str, dict[str, str], int | None]] = {}

    def context(self, path: StrPath, mode: int | None) -> RuleContext:
        key = "" if self.config_dir is not None else os.path.dirname(path)
        if key not in self.cache:
            # A block file (models/x.yaml) takes its secrets from the Continue dir above it.
            folder = self.config_dir if self.config_dir is not None else secrets_dir_for(path)
            dotenv = inside(folder, ".env")
            try:
                dotenv_mode: int | None = os.stat(dotenv).st_mode if os.name == "posix" else None
            except OSError:
                dotenv_mode = None
            self.cache[key] = (folder, read_dotenv(dotenv), dotenv_mode)
        folder, values, dotenv_mode = self.cache[key]
        return RuleContext(
            path=path,
            config_dir=folder,
            dotenv=values,
            environ=self.environ,
            file_mode=mode,
            dotenv_mode=dotenv_mode,
        )


def iter_config_files(directory: StrPath) -> list[str]:
    """Return the config files under ``directory``, in a stable order."""
    found: list[str] = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        markdown = os.path.basename(root) in MARKDOWN_BLOCKS  # prompt and rule files
        found.extend(
            os.path.join(root, name)
            for name in sorted(files)
            if (name.lower().endswith(CONFIG_SUFFIXES) or (markdown and name.endswith(".md")))
            and not name.startswith(".")
        )
    return found


def _expand(paths: Iterable[StrPath]) -> list[StrPath]:
    files: list[StrPath] = []
    paths = list(paths)
    if len(paths) > 1:
        from continue_setup.check.isdir import directories  # many paths, one listing a folder

        kinds = directories(paths)
    else:
        kinds = [os.path.isdir(path) for path in paths]
    for path, is_dir in zip(paths, kinds, strict=True):
        if is_dir:
            found = iter_config_files(path)
            if not found:
                raise InputError(
                    f"{path}: no config files (*.json, *.yaml) in this directory", path=str(path)
                )
            files.extend(found)
        else:
            files.append(path)
    unique: dict[str, StrPath] = {}  # each file once, in order; keyed by text, which hashes
    for path in files:  # ~4x faster than a Path
        unique.setdefault(os.path.normcase(path), path)
    return list(unique.values())


def _nearest(data: Any, pointer: str) -> str:
    """Return the longest prefix of ``pointer`` that exists in ``data``."""
    node, found = data, ""
    for token in pointer.split("/")[1:]:
        key = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            break
        found += "/" + token
    return found


def _place(doc: parsing.Document, finding: Finding) -> Finding:
    """Point at something that exists (a missing key: its object) and add line and column."""
    pointer = _nearest(doc.data, finding.pointer)
    line, column = doc.locate(pointer)
    f = finding
    return Finding(f.severity, f.code, pointer, f.message, f.hint, line, column)


def _schema(doc: parsing.Document) -> list[Finding]:
    findings = []
    for finding in schema_findings(doc):
        message = finding.message
        if message.startswith(_REQUIRED) and message.endswith("'") and \
                len(message) > len(_REQUIRED) + 1:  # point at the missing key itself, as rules do
            name = message[len(_REQUIRED):-1]
            pointer = finding.pointer + "/" + name.replace("~", "~0").replace("/", "~1")
            finding = finding._replace(pointer=pointer)
        hint = _SCHEMA_HINTS.get((doc.format, finding.pointer)) or (
            "" if finding.hint else CODES["schema-*"].hint
        )
        findings.append(
            finding._replace(hint=hint) if hint and finding.severity == "error" else finding
        )
    return findings


def _rc_may(finding: Finding) -> bool:
    """Tell whether a .continuerc.json may do what ``finding`` objects to: leave the models
    to config.json, or say how it merges (``mergeBehavior``, which config.json lacks)."""
    return ((finding.code, finding.message) == ("schema-required", "missing required key 'models'")
            or (finding.code, finding.pointer) == ("unknown-key", "/mergeBehavior"))


def check_document(doc: parsing.Document, ctx: RuleContext) -> list[Finding]:
    """Return schema and rule findings for ``doc``, each problem once.

    A rule that restates a schema requirement (models missing, no title, ...) replaces the
    schema's finding at the same pointer; other findings stand side by side. Every pointer
    exists in the document: a finding about a missing key points at the object lacking it.
    """
    redact.register_all(secret_values(doc, ctx))
    rules = run_rules(doc, ctx)
    # Compared while a missing key's finding still names the key (/models/0/title), not yet
    # its object (/models/0), where a schema finding about another key may also sit.
    claimed = {f.pointer for f in rules if CODES[f.code].restates_schema}
    kept = rules + [f for f in _schema(doc) if f.pointer not in claimed
                    and not (is_rc_file(ctx.path) and _rc_may(f))]
    return [_place(doc, f) for f in kept]


def _unprefixed(message: str, path: StrPath) -> str:
    """Drop the path that error messages start with; the report names the file already."""
    prefix = f"{path}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


def _parse_error(error: ConfigParseError, message: str) -> Finding:
    """Return the finding for a file that cannot be decoded or parsed, placed where it broke."""
    finding = issue("parse-error", "", message, hint=error.hint or None)
    return finding._replace(line=error.line, column=error.column)


def _parse(text: str, fmt: parsing.Format) -> parsing.Document:
    # The document is unnamed: the report and the rules' context carry the path, and a parse
    # error's message, line and column are all a finding takes from it.
    if fmt == "yaml":
        from continue_setup.config.fastyaml import load_yaml  # only a tree with YAML needs it

        return load_yaml(text)
    return parsing.parse_text(text, fmt)


def validate_file(
    path: StrPath, *, secrets: _Secrets, loaded: tuple[int, int] | None
) -> FileReport:
    """Validate one file; a file that cannot be read or parsed becomes a finding."""
    by_name = parsing.format_from_name(path)
    report = FileReport(path, by_name or "unknown", False)
    try:
        text, st = parsing.read_with_stat(path)
    except InputError as e:
        report.findings.append(
            issue("unreadable", "", _unprefixed(e.message, path), hint=e.hint or None)
        )
        return report
    except ConfigParseError as e:  # not UTF-8
        report.findings.append(_parse_error(e, _unprefixed(e.message, path)))
        return report
    report.loaded_by_continue = loaded == (st.st_dev, st.st_ino)
    if suffix(path) == ".md":
        report.format = "markdown"
        report.findings.extend(front_matter_findings(text))
        return report
    fmt = report.format = by_name or parsing.guess_format(None, text)
    try:
        doc = _parse(text, fmt)
    except ConfigParseError as e:
        redact.register_all(m.group(1) for m in re.finditer(_KEYLIKE_IN_TEXT, text))
        report.findings.append(_parse_error(e, e.message))
        return report
    mode = st.st_mode if os.name == "posix" else None
    try:
        ctx = secrets.context(path, mode)
    except InputError as e:  # a .env that is a FIFO, a device, or past its size cap
        report.findings.append(issue("unreadable", "", e.message, hint=e.hint or None))
        return report
    report.findings.extend(check_document(doc, ctx))
    report.sort()
    return report


def front_matter_findings(text: str) -> list[Finding]:
    """Check the YAML front matter of a prompt or rule file (Markdown); a broken one stops
    Continue loading the config it belongs to."""
    if not text.startswith("---"):
        return []
    end = text.find("\n---", 3)
    if end < 0:
        finding = issue("parse-error", "", "the front matter (after the first ---) never ends",
                        hint="End it with a line of three dashes: ---")
        return [finding._replace(line=1, column=1)]
    try:
        _parse(text[3:end] + "\n", "yaml")
    except ConfigParseError as e:
        line = e.line + 1 if e.line is not None else None  # the front matter starts on line 2
        return [_parse_error(e, f"front matter: {e.message}")._replace(line=line)]
    return []


def validate_paths(
    paths: Sequence[StrPath],
    *,
    config_dir: StrPath | None = None,
    environ: Mapping[str, str] | None = None,
    strict: bool = False,
    parallel: bool = True,
) -> ValidationRun:
    """Validate ``paths`` (files or directories), or the config Continue loads when empty.

    ``config_dir`` is where the .env for secrets lives (default: each file's directory) and,
    with no paths, where to look for the config instead of Continue's own directory.
    Many files are shared out over the CPU's cores unless ``parallel`` is false.
    """
    env = os.environ if environ is None else environ
    continue_dir = locate(config_dir, env=env)
    loaded_path = continue_dir.loaded_file()
    if paths:
        files = _expand(paths)
    elif loaded_path is not None:
        files = [loaded_path]
    else:
        raise InputError(
            f"no config.yaml or config.json in {continue_dir.path}",
            path=str(continue_dir.path),
            hint="Run 'continue-setup init' to write one, or name a file to check.",
        )
    try:
        st = os.stat(loaded_path) if loaded_path is not None else None
    except OSError:
        st = None
    loaded = (st.st_dev, st.st_ino) if st is not None else None
    secrets = _Secrets(env, config_dir)

    if len(files) < 2:  # nothing to share messages with, nothing to share out
        reports = [validate_file(path, secrets=secrets, loaded=loaded) for path in files]
    else:
        from continue_setup.check.shared import share_messages

        messages: dict[str, str] = {}

        def check(chunk: Sequence[StrPath]) -> list[FileReport]:
            reports = [validate_file(path, secrets=secrets, loaded=loaded) for path in chunk]
            return share_messages(reports, messages)

        if parallel:
            from continue_setup.check import workqueue  # one file never forks: nor loads it

            reports = workqueue.map_queued(check, files)
        else:
            reports = check(files)
    return ValidationRun(reports, continue_dir, strict=strict, default_mode=not paths)
