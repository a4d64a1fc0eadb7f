"""``doctor``: where Continue looks, what it loads, secrets, validate, ping, and the fixes.

A composition of the other rooms: ``paths`` says where, ``validate`` finds, ``probes`` pings,
``fixes`` repairs the data, ``writer`` writes. Nothing here prints.
"""

from __future__ import annotations

import stat
from collections.abc import Callable, Mapping
from pathlib import Path

from continue_setup.check.findings import Finding
from continue_setup.check.rules.secrets import holds_inline_key
from continue_setup.config import parsing
from continue_setup.config.entries import SECRET_REFERENCE, model_entries
from continue_setup.config.keys import env_names, open_to_others, read_dotenv
from continue_setup.config.paths import ConfigDir
from continue_setup.errors import ConfigParseError, ExitCode
from continue_setup.repair.applyfix import apply_fixes
from continue_setup.repair.fixes import Fix, fix_data
from continue_setup.repair.migrate import is_untouched_default, plan_migrate
from continue_setup.repair.syntax import json5_fix
from continue_setup.setup.asuser import Owner, refuse_links_out
from continue_setup.setup.filechange import FileChange  # not setup.plan: init's machinery
from continue_setup.setup.writer import IS_WINDOWS, guarded_paths

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any

# Fixes in the order a person should apply them: what makes Continue load nothing first.
RANK = ("default-config", "models-missing", "parse-error", "title-missing", "duplicate-title",
        "apibase-endpoint-suffix", "langdock-route-mismatch", "autocomplete-no-fim",
        "langdock-region", "langdock-missing-v1", "key-missing", "key-empty", "placeholder-key",
        "secret-unresolved", "env-unresolved", "key-inline", "file-mode-open")


class Location:
    """Where Continue looks, and why; what the JetBrains plugin does instead."""

    def __init__(self, config_dir: Path, source: str, jetbrains_dir: Path, note: str) -> None:
        self.config_dir = config_dir
        self.source = source
        self.jetbrains_dir = jetbrains_dir
        self.note = note

    def to_dict(self) -> dict[str, Any]:
        return {"config_dir": str(self.config_dir), "source": self.source,
                "jetbrains_dir": str(self.jetbrains_dir), "note": self.note}


class SecretName:
    """A secret or env name the config refers to, and where it resolves (never its value)."""

    def __init__(self, name: str, resolved_in: str | None) -> None:
        self.name = name
        self.resolved_in = resolved_in  # ".env", "environment" or None


class Secrets:
    """The .env beside the config, its mode, and the names the config refers to."""

    def __init__(self, dotenv_path: Path, present: bool, mode: str | None, private: bool,
                 names: list[SecretName] | None = None) -> None:
        self.dotenv_path = dotenv_path
        self.present = present
        self.mode = mode
        self.private = private
        self.names: list[SecretName] = [] if names is None else names

    def to_dict(self) -> dict[str, Any]:
        return {"dotenv": str(self.dotenv_path), "present": self.present, "mode": self.mode,
                "private": self.private,
                "names": [{"name": n.name, "resolved": n.resolved_in is not None,
                           "resolved_in": n.resolved_in} for n in self.names]}


class FixOutcome:
    """What became of ``--fix``: what was done, or why nothing was."""

    def __init__(self, applied: bool, done: list[str] | None = None, refused: str | None = None,
                 after: Diagnosis | None = None) -> None:
        self.applied = applied
        self.done: list[str] = [] if done is None else done
        self.refused = refused
        self.after = after  # the directory examined again after the fixes


class Diagnosis:
    """Everything ``doctor`` found, and the fixes it can make."""

    def __init__(self, location: Location, loaded: Path | None, ignored: list[dict[str, str]],
                 problems: list[Finding], findings: list[Finding],
                 secrets: Secrets | None, *, doc: parsing.Document | None = None,
                 dotenv: dict[str, str] | None = None, sources: list[Any] | None = None
                 ) -> None:
        self.location = location
        self.loaded = loaded
        self.ignored = ignored
        self.problems = problems  # doctor's own (files, secrets)
        self.findings = findings  # validate's, for the loaded file
        self.secrets = secrets
        self.ping: Any = None  # probes.PingReport, or None when skipped
        self.ping_skipped = ""
        self.fixes: list[Fix] = []
        self.unfixed: list[str] = []
        self.changes: list[FileChange] = []
        self.chmod: list[Path] = []
        self.move_aside: Path | None = None
        self.read: dict[Path, str | None] = {}  # what fixes are built on
        self.doc = doc
        self.dotenv: dict[str, str] = {} if dotenv is None else dotenv  # read once
        self.sources: list[Any] = [] if sources is None else sources  # what else it reads

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.problems + self.findings if f.severity == "error"]

    @property
    def exit_code(self) -> ExitCode:
        """1 when errors remain, 3 when only endpoints fail, else 0."""
        if self.errors:
            return ExitCode.INVALID
        if self.ping is not None and not self.ping.ok:
            return ExitCode.PROBE
        return ExitCode.OK

    @property
    def fixable(self) -> bool:
        return bool(self.fixes or self.chmod or self.move_aside)


def _problem(code: str, message: str, hint: str) -> Finding:
    from continue_setup.check.rules import CODES

    # One catalogue: a code validate also reports has the same severity here.
    known = CODES.get(code)
    return Finding(known.severity if known else "error", code, "", message, hint)


def locate(config_dir: ConfigDir, environ: Mapping[str, str]) -> Location:
    """Say where Continue looks and why, and where the JetBrains plugin looks instead."""
    home = Path(environ.get("USERPROFILE" if IS_WINDOWS else "HOME") or Path.home())
    jetbrains = home / ".continue"
    why = {"CONTINUE_GLOBAL_DIR": "CONTINUE_GLOBAL_DIR is set",
           "HOME": "the home directory's .continue", "USERPROFILE": "the profile's .continue",
           "--config-dir": "given with --config-dir", "--home": "given with --home"}
    note = why.get(config_dir.source, config_dir.source)
    if config_dir.source == "CONTINUE_GLOBAL_DIR" and jetbrains != config_dir.path:
        note += (f"; the JetBrains plugin ignores CONTINUE_GLOBAL_DIR and reads {jetbrains}")
    else:
        note += "; the JetBrains plugin always reads ~/.continue, ignoring CONTINUE_GLOBAL_DIR"
    return Location(config_dir.path, config_dir.source, jetbrains, note)


def _load(path: Path) -> tuple[parsing.Document | None, Finding | None]:
    try:
        return parsing.load(path), None
    except ConfigParseError as e:
        return None, Finding("error", "parse-error", "", e.message, e.hint, e.line, e.column)


def _files(config_dir: ConfigDir) -> tuple[Path | None, list[dict[str, str]], list[Finding],
                                          str | None]:
    """Return the loaded file, the ignored ones, problems, and config.yaml's text if default."""
    yaml_path, json_path = config_dir.yaml_path, config_dir.json_path
    loaded = config_dir.loaded_path()
    ignored: list[dict[str, str]] = []
    problems: list[Finding] = []
    default: str | None = None
    if loaded is None:
        problems.append(_problem("no-config", f"no config.yaml or config.json in "
                                 f"{config_dir.path}: Continue has no models",
                                 "Run 'continue-setup init' to write one."))
    elif loaded == yaml_path and json_path.exists():
        doc, _ = _load(yaml_path)
        default = doc.text if doc is not None and is_untouched_default(doc.data) else None
        if default is not None:
            problems.append(_problem(
                "default-config", "config.yaml is Continue's untouched default (no models) and "
                "hides config.json: Continue loads config.yaml and shows no models",
                "Move config.yaml aside (doctor --fix), or migrate config.json into it "
                "(doctor --fix --format yaml)."))
            ignored.append({"path": str(json_path), "reason": "hidden by Continue's untouched "
                            "default config.yaml"})
        else:
            ignored.append({"path": str(json_path), "reason": "shadowed: Continue loads "
                            "config.yaml whenever it exists"})
    return loaded, ignored, problems, default


def _mode(path: Path) -> int | None:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None


def _secrets(doc: parsing.Document, config_dir: ConfigDir, environ: Mapping[str, str],
             dotenv: Mapping[str, str], mode: int | None) -> Secrets:
    present = mode is not None
    names: list[str] = list(env_names(doc))
    for entry in model_entries(doc):
        key = entry.api_key
        match = SECRET_REFERENCE.fullmatch(key.strip()) if key and doc.format == "yaml" else None
        if match:
            names.append(match.group(1))
    found = [SecretName(n, ".env" if n in dotenv else "environment" if environ.get(n) else None)
             for n in dict.fromkeys(names)]
    private = IS_WINDOWS or mode is None or not open_to_others(mode)
    return Secrets(config_dir.dotenv_path, present, f"{mode:04o}" if mode is not None else None,
                   private, found)


def _validate(doc: parsing.Document, config_dir: ConfigDir, environ: Mapping[str, str],
              dotenv: dict[str, str], dotenv_mode: int | None) -> list[Finding]:
    from continue_setup.check.rules import RuleContext
    from continue_setup.check.validate import check_document

    mode = None if IS_WINDOWS or doc.path is None else doc.path.stat().st_mode
    ctx = RuleContext(path=doc.path, config_dir=config_dir.path, dotenv=dotenv, environ=environ,
                      file_mode=mode, dotenv_mode=None if IS_WINDOWS else dotenv_mode)
    findings = check_document(doc, ctx)
    findings.sort(key=lambda f: (f.severity != "error", f.line or 0, f.column or 0, f.code))
    return findings


def _ping(doc: parsing.Document, dotenv: Mapping[str, str], environ: Mapping[str, str],
          timeout: float, *, tools: bool = False, listener: Any = None) -> Any:
    from pathlib import Path

    from continue_setup.probe.clientsecrets import ClientSecrets
    from continue_setup.probe.probes import Options, ping
    from continue_setup.probe.targets import disagreements, targets_from_entries

    # Each client resolves secrets in its own order (config dir's .env, workspace, env).
    secrets = ClientSecrets.read(doc.path.parent if doc.path else Path.cwd(), Path.cwd(),
                                 environ)
    targets, skipped = targets_from_entries(
        model_entries(doc), env_list=env_names(doc), dotenv=dotenv, environ=environ,
        secrets=secrets)
    notes = [f"{n}. Fix: unset it in your shell (and its profile) or update the .env, so "
             "both clients send the same key" for n in disagreements(doc, secrets)
             ] if doc.format == "yaml" else []
    return ping(targets, Options(timeout=timeout, environ=environ, tools=tools), skipped, notes,
                listener=listener)


def plan_fixes(diagnosis: Diagnosis, config_dir: ConfigDir, *, key: str | None,
               environ: Mapping[str, str], fmt: str = "auto", key_storage: str = "inline"
               ) -> None:
    """Work out every mechanical fix and the file changes it needs; write nothing."""
    doc = diagnosis.doc
    if any(p.code == "default-config" for p in diagnosis.problems):
        if fmt == "yaml":
            migrated = plan_migrate(config_dir, force=True)
            diagnosis.read[migrated.source] = migrated.source_text
            doc = parsing.parse_text(migrated.config.new, "yaml", config_dir.yaml_path)
            diagnosis.changes.append(migrated.config)
            diagnosis.unfixed += [f"config.json {d.pointer}: not migrated: {d.reason}"
                                  for d in migrated.conversion.dropped]
            diagnosis.fixes.append(Fix("default-config", "", "replace the untouched default "
                                       "config.yaml with config.json migrated to YAML",
                                       str(config_dir.yaml_path)))
        else:
            diagnosis.move_aside = config_dir.yaml_path
            doc, _ = _load(config_dir.json_path)
            diagnosis.fixes.append(Fix("default-config", "", "move the untouched default "
                                       "config.yaml aside so Continue loads config.json",
                                       str(config_dir.yaml_path)))
    if doc is None and any(f.code == "parse-error" for f in diagnosis.findings):
        doc = json5_fix(diagnosis.loaded, diagnosis.changes, diagnosis.fixes)
    if doc is not None and doc.path is not None:
        dotenv = diagnosis.dotenv
        resolved = set(dotenv) | {n for n, v in environ.items() if v}
        fixed = fix_data(doc.data, doc.format, key=key, resolved=resolved, dotenv=dotenv,
                         move_inline=key_storage == "dotenv")
        diagnosis.unfixed += fixed.unfixed
        diagnosis.fixes += [Fix(f.code, f.pointer, f.change, str(doc.path)) for f in fixed.fixes]
        if fixed.fixes:
            new = doc.render(fixed.data)
            pending = next((c for c in diagnosis.changes if c.path == doc.path), None)
            if pending is not None:
                pending.new = new
            else:
                diagnosis.changes.append(FileChange(doc.path, doc.text, new))
        if fixed.dotenv:
            from continue_setup.config.keys import read_dotenv_text, set_dotenv

            old = read_dotenv_text(config_dir.dotenv_path) if config_dir.dotenv_path.exists() \
                else None
            text = old or ""
            for name, value in fixed.dotenv.items():
                text = set_dotenv(text, name, value)
            diagnosis.changes.append(FileChange(config_dir.dotenv_path, old, text))
    written = {c.path for c in diagnosis.changes}
    # Offered only for a file that holds a secret, the same test validate's file-mode-open
    # uses: an inline key in the config, any value in the .env.
    holders = [doc.path if doc is not None and holds_inline_key(doc) else None,
               config_dir.dotenv_path if diagnosis.dotenv else None]
    for path in holders:
        mode = _mode(path) if path is not None else None
        if path is not None and mode is not None and open_to_others(mode) and not IS_WINDOWS:
            if path not in written:
                diagnosis.chmod.append(path)
            diagnosis.fixes.append(Fix("file-mode-open", "", f"mode {mode:04o} -> 0600 (only "
                                       "you can read the key)", str(path)))
    order = {code: i for i, code in enumerate(RANK)}
    diagnosis.fixes.sort(key=lambda f: order.get(f.code, len(RANK)))


def diagnose(config_dir: ConfigDir, *, environ: Mapping[str, str], offline: bool = False,
             timeout: float = 15.0, tools: bool = False, listener: Any = None,
             before_ping: Callable[[Diagnosis], None] | None = None) -> Diagnosis:
    """Examine the config dir the way Continue reads it; probe unless ``offline``.

    ``before_ping`` sees the offline findings before the probes start (so a person reads
    them meanwhile); ``listener`` (a ``probes.Listener``) hears each verdict as it comes.
    """
    location = locate(config_dir, environ)
    loaded, ignored, problems, default = _files(config_dir)
    doc: parsing.Document | None = None
    findings: list[Finding] = []
    target = config_dir.json_path if default is not None else loaded
    if target is not None:
        doc, error = _load(target)
        if error is not None:
            findings.append(error)
    # The .env is read once here: secrets, validate, ping and the fixes all use this copy.
    dotenv = read_dotenv(config_dir.dotenv_path)
    dotenv_mode = _mode(config_dir.dotenv_path)
    secrets = _secrets(doc, config_dir, environ, dotenv, dotenv_mode) if doc is not None else None
    if doc is not None:
        findings += _validate(doc, config_dir, environ, dotenv, dotenv_mode)
    from continue_setup.repair.sources import find_sources

    sources, more = find_sources(config_dir, loaded=loaded, cwd=Path.cwd(), environ=environ)
    diagnosis = Diagnosis(location, loaded, ignored, problems + more, findings, secrets,
                          doc=doc, dotenv=dotenv, sources=sources)
    if default is not None:
        diagnosis.read[config_dir.yaml_path] = default
    if before_ping is not None:
        before_ping(diagnosis)
    if offline:
        diagnosis.ping_skipped = "--offline"
    elif doc is None:
        diagnosis.ping_skipped = "no config to probe"
    else:
        diagnosis.ping = _ping(doc, dotenv, environ, timeout, tools=tools, listener=listener)
    return diagnosis


def run_doctor(config_dir: ConfigDir, *, environ: Mapping[str, str], offline: bool = False,
               timeout: float = 15.0, fix: bool = False, fmt: str = "auto", tools: bool = False,
               key: str | None = None, key_storage: str = "inline",
               confirm: Callable[[Diagnosis], str | None] | None = None,
               owner: Owner | None = None, listener: Any = None,
               before_ping: Callable[[Diagnosis], None] | None = None
               ) -> tuple[Diagnosis, FixOutcome | None]:
    """Diagnose and plan the fixes; with ``fix``, ask ``confirm``, apply, and check again.

    ``confirm`` returns the reason to refuse, or None to apply. ``owner``: root fixing
    another user's files does it with their rights (``setup.asuser``).
    """
    if fix:
        refuse_links_out(owner, guarded_paths(config_dir))
    diagnosis = diagnose(config_dir, environ=environ, offline=offline, timeout=timeout,
                         tools=tools, listener=listener, before_ping=before_ping)
    plan_fixes(diagnosis, config_dir, key=key, environ=environ, fmt=fmt,
               key_storage=key_storage)
    if not fix:
        return diagnosis, None
    if not diagnosis.fixable:
        return diagnosis, FixOutcome(applied=False)
    refused = confirm(diagnosis) if confirm is not None else None
    if refused:
        return diagnosis, FixOutcome(applied=False, refused=refused)
    done = apply_fixes(diagnosis, config_dir, owner)
    after = diagnose(config_dir, environ=environ, offline=offline, timeout=timeout,
                     tools=tools, listener=listener)
    plan_fixes(after, config_dir, key=key, environ=environ, fmt=fmt, key_storage=key_storage)
    return diagnosis, FixOutcome(applied=True, done=done, after=after)
