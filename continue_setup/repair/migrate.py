"""``migrate``: write config.yaml from config.json, keeping the old file and any secrets safe.

Unlike Continue's own converter this reads JSONC (comments, trailing commas); ``convert``
does the field mapping.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from continue_setup.check.findings import Finding
from continue_setup.config import parsing
from continue_setup.config.convert import Conversion, convert
from continue_setup.config.keys import parse_dotenv, read_dotenv, read_dotenv_text, set_dotenv
from continue_setup.config.paths import ConfigDir
from continue_setup.errors import ConfigInvalidError, ConfigParseError, UsageError
from continue_setup.setup.asuser import Owner, refuse_links_out
from continue_setup.setup.filechange import FileChange  # not setup.plan: init's machinery
from continue_setup.setup.metadata import with_catalogue_metadata
from continue_setup.setup.writer import (
    Written,
    ensure_dir,
    guarded_paths,
    locked,
    move_aside,
    same_as_read,
    write_atomic,
)

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any

DEFAULT_KEYS = frozenset({"name", "version", "schema", "models"})


def is_untouched_default(data: Any) -> bool:
    """Tell whether config.yaml data is Continue's auto-created default (no models)."""
    return (isinstance(data, dict) and set(data) <= DEFAULT_KEYS and "models" in data
            and data.get("models") in ([], None))


class MigratePlan:
    """What ``migrate`` will write, before writing it."""

    def __init__(self, source: Path, config: FileChange, dotenv: FileChange | None,
                 conversion: Conversion, replaces_default: bool,
                 findings: list[Finding] | None = None, source_text: str = "") -> None:
        self.source = source
        self.config = config
        self.dotenv = dotenv
        self.conversion = conversion
        self.replaces_default = replaces_default
        self.findings: list[Finding] = [] if findings is None else findings  # on the new file
        self.source_text = source_text  # config.json as read: what config.yaml is made from


class MigrateResult:
    """What ``migrate`` wrote."""

    def __init__(self, config: Written, dotenv: Written | None,
                 retired: Path | None = None) -> None:
        self.config = config
        self.dotenv = dotenv
        self.retired = retired  # where config.json was moved aside to


def _check(text: str, config_dir: ConfigDir, dotenv: str,
           environ: Mapping[str, str] | None) -> list[Finding]:
    """Return what ``validate`` would say about the new config.yaml, beyond the expected."""
    import os

    from continue_setup.check.rules import RuleContext
    from continue_setup.check.validate import check_document
    from continue_setup.config.fastyaml import load_yaml

    # The text is ours and plain: read line by line (same data, places and errors as ruamel,
    # which falls back for anything else), not parsed again by ruamel's round trip.
    doc = load_yaml(text, config_dir.yaml_path, by_lines=True)
    ctx = RuleContext(path=config_dir.yaml_path, config_dir=config_dir.path,
                      dotenv=parse_dotenv(dotenv), environ=os.environ if environ is None
                      else environ)
    # config.json stays beside it on purpose; that it is now ignored is the point.
    return [f for f in check_document(doc, ctx) if f.code != "shadowed-config"]


def plan_migrate(config_dir: ConfigDir, *, source: Path | None = None,
                 key_storage: str = "inline", force: bool = False,
                 environ: Mapping[str, str] | None = None) -> MigratePlan:
    """Read config.json and work out config.yaml; write nothing."""
    from continue_setup.check.schema import schema_findings

    source = source or config_dir.json_path
    if not source.exists():
        raise UsageError(f"{source}: no such file", path=str(source),
                         hint="There is no config.json to migrate.")
    doc = parsing.load(source, "json")
    if not isinstance(doc.data, dict):
        raise ConfigInvalidError(f"{source}: the top level is not an object", path=str(source))
    target = config_dir.yaml_path
    old_yaml = parsing.read_text(target) if target.exists() else None
    replaces_default = False
    if old_yaml is not None:
        try:
            existing = parsing.parse_text(old_yaml, "yaml", target).data
        except ConfigParseError:
            existing = None
        replaces_default = is_untouched_default(existing) or not old_yaml.strip()
        if not replaces_default and not force:
            raise UsageError(
                f"{target} already exists and is not Continue's untouched default",
                path=str(target),
                hint="Continue already loads it. Run with --force to replace it (a backup is "
                "kept).",
            )
    dotenv_path = config_dir.dotenv_path
    dotenv_text = read_dotenv_text(dotenv_path) if dotenv_path.exists() else None
    conversion = convert(doc.data, key_storage=key_storage,
                         existing_env=read_dotenv(dotenv_path) if dotenv_text else {})
    conversion.data = with_catalogue_metadata(conversion.data)
    text = parsing.render_yaml(conversion.data, None, "")
    errors = [f for f in schema_findings(parsing.Document(target, "yaml", text, conversion.data))
              if f.severity == "error"]
    if errors:
        first = errors[0]
        raise ConfigInvalidError(
            f"the converted config.yaml would be invalid at {first.pointer or '/'}: "
            f"{first.message}" + (f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""),
            path=str(source), hint="Nothing was written. Fix config.json (run 'continue-setup "
            "validate' on it), then migrate again.", details=[f._asdict() for f in errors])
    dotenv = None
    if conversion.secrets:
        new_env = dotenv_text or ""
        for name, value in conversion.secrets.items():
            new_env = set_dotenv(new_env, name, value)
        dotenv = FileChange(dotenv_path, dotenv_text, new_env)
    header = f"# Converted from {source.name} by continue-setup migrate; {source.name} is kept.\n"
    findings = _check(header + text, config_dir, dotenv.new if dotenv else dotenv_text or "",
                      environ)
    return MigratePlan(source, FileChange(target, old_yaml, header + text), dotenv, conversion,
                       replaces_default, findings, doc.text)


def run_migrate(config_dir: ConfigDir, *, source: Path | None = None, key_storage: str = "inline",
                force: bool = False, dry_run: bool = False, retire: bool = False,
                owner: Owner | None = None) -> tuple[MigratePlan, MigrateResult | None]:
    """Plan and, unless ``dry_run``, write config.yaml (and .env) under the dir's lock.

    ``owner``: root migrating another user's config writes with their rights, and what it
    writes belongs to them (``setup.asuser``). With ``retire``, the directory's config.json
    is then moved aside as a backup: Continue ignores it anyway, and left in place it keeps a
    shadowed-config warning (and, with an inline key, a secret) that nothing else clears.
    """
    if dry_run:
        return plan_migrate(config_dir, source=source, key_storage=key_storage, force=force), None
    refuse_links_out(owner, guarded_paths(config_dir))
    ensure_dir(config_dir.path, owner)
    with locked(config_dir.path, owner):
        plan = plan_migrate(config_dir, source=source, key_storage=key_storage, force=force)
        # Root read config.json while planning; go on only if the user can read the same.
        same_as_read(plan.source, plan.source_text, owner)
        dotenv = None
        if plan.dotenv:
            dotenv = write_atomic(plan.dotenv.path, plan.dotenv.new, owner=owner,
                                  expected=plan.dotenv.old)
        config = write_atomic(plan.config.path, plan.config.new, owner=owner,
                              expected=plan.config.old)
        retired = None
        if retire and plan.source.absolute() == config_dir.json_path.absolute():
            retired = move_aside(plan.source, owner)
    return plan, MigrateResult(config, dotenv, retired)


def loads_its_own_yaml(config_dir: ConfigDir) -> bool:
    """Tell whether config_dir's config.yaml is one of the user's (not empty, not Continue's
    untouched default): migrating would replace it, but retiring config.json alone is safe."""
    path = config_dir.yaml_path
    if not path.is_file():
        return False
    text = parsing.read_text(path)
    try:
        data = parsing.parse_text(text, "yaml", path).data
    except ConfigParseError:
        return True  # a broken config.yaml is still not ours to replace
    return bool(text.strip()) and not is_untouched_default(data)


def retire_json(config_dir: ConfigDir, *, dry_run: bool = False,
                owner: Owner | None = None) -> Path | None:
    """Move config.json aside as a backup (Continue ignores it beside a config.yaml); return
    the backup's name, or None on a dry run or when there is no config.json."""
    if dry_run or not config_dir.json_path.is_file():
        return None
    refuse_links_out(owner, guarded_paths(config_dir))
    with locked(config_dir.path, owner):
        return move_aside(config_dir.json_path, owner)
