"""``init`` as data: work out every file it would write, then write them under a lock."""

from __future__ import annotations

from pathlib import Path

from continue_setup.check.findings import Finding
from continue_setup.check.schema import schema_findings
from continue_setup.config import parsing
from continue_setup.config.jsonc_edit import same
from continue_setup.config.keys import KEY_ENV, YAML_REFERENCE, set_dotenv, substitutes_safely
from continue_setup.config.paths import ConfigDir
from continue_setup.errors import ConfigInvalidError, UsageError
from continue_setup.setup.asuser import Owner, refuse_links_out
from continue_setup.setup.carry import carry_for_init, json_notes, same_as_carried
from continue_setup.setup.existing import read_existing, round_trip
from continue_setup.setup.filechange import FileChange
from continue_setup.setup.merge import Placed, merge
from continue_setup.setup.neighbours import refuse_nothing_to_talk_to
from continue_setup.setup.prune import drop_left_out
from continue_setup.setup.settings import PUBLIC_BASE, Settings
from continue_setup.setup.templates import Rendered, Template, render
from continue_setup.setup.writer import (
    Written,
    ensure_dir,
    guarded_paths,
    locked,
    move_aside,
    write_atomic,
)

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any

    from continue_setup.config.parsing import Format


class InitPlan:
    """Everything ``init`` will do, before it does any of it (compared by identity)."""

    def __init__(self, config_dir: ConfigDir, format: str, config: FileChange,
                 dotenv: FileChange | None, move_aside: Path | None, placed: list[Placed],
                 key_storage: str, warnings: list[str] | None = None,
                 carried_over: list[str] | None = None, carryable: list[str] | None = None,
                 carried_from: str | None = None) -> None:
        self.config_dir = config_dir
        self.format = format
        self.config = config
        self.dotenv = dotenv
        self.move_aside = move_aside
        self.placed = placed
        self.key_storage = key_storage
        self.warnings: list[str] = warnings if warnings is not None else []
        # names taken from config.json, and what --carry-over would take
        self.carried_over: list[str] = carried_over if carried_over is not None else []
        self.carryable: list[str] = carryable if carryable is not None else []
        self.carried_from = carried_from  # config.json's text, when models came from it

    @property
    def loaded_by_continue(self) -> Path:
        return self.config.path

    @property
    def changed(self) -> bool:
        return (
            self.config.changed
            or self.move_aside is not None
            or bool(self.dotenv and self.dotenv.changed)
        )

    def entries(self) -> list[dict[str, Any]]:
        """Summarise the entries written, without their keys."""
        return [
            {
                "title": p.rendered.entry.get("title")
                or p.rendered.entry.get("name")
                or p.rendered.template.title_for(p.rendered.entry["model"], p.rendered.region),
                "provider": p.rendered.entry["provider"],
                "model": p.rendered.entry["model"],
                "apiBase": p.rendered.entry["apiBase"],
                "role": p.rendered.template.role,
                "action": p.action,
                "pointer": p.pointer,
            }
            for p in self.placed
        ]


class InitResult:
    """What ``init`` wrote (compared by identity)."""

    def __init__(self, plan: InitPlan, config: Written, dotenv: Written | None,
                 moved_aside: Path | None) -> None:
        self.plan = plan
        self.config = config
        self.dotenv = dotenv
        self.moved_aside = moved_aside

    @property
    def changed(self) -> bool:
        return (
            self.config.changed
            or self.moved_aside is not None
            or bool(self.dotenv and self.dotenv.changed)
        )


def choose_format(settings: Settings, config_dir: ConfigDir) -> tuple[Format, Path | None]:
    """Return the format to write and a config.yaml to move aside (``--format json --force``)."""
    yaml_exists = config_dir.yaml_path.exists() or config_dir.yaml_path.is_symlink()
    fmt = settings.format
    if fmt == "auto":
        return ("yaml" if yaml_exists else "json"), None
    if fmt == "json" and yaml_exists:
        if not settings.force:
            raise UsageError(
                f"{config_dir.yaml_path} exists, and Continue loads config.yaml whenever it "
                "exists: a config.json written now would be ignored",
                path=str(config_dir.yaml_path),
                hint="Use --format yaml (or auto) to update config.yaml, or --force to move "
                "config.yaml aside to a backup.",
            )
        return "json", config_dir.yaml_path
    return fmt, None


def _key_value(settings: Settings, fmt: Format, storage: str) -> str:
    key = settings.api_key.reveal()
    if storage == "inline":
        return key
    if fmt == "json":
        if '"' in key or "\\" in key:
            raise UsageError(
                "the key contains a quote or backslash, which Continue's config.json env "
                "substitution cannot carry",
                hint="Use --key-storage inline, or --format yaml.",
            )
        return KEY_ENV
    if not substitutes_safely(key):
        raise UsageError(
            "the key contains characters that break config.yaml when Continue substitutes "
            "${{ secrets.LANGDOCK_API_KEY }} as text",
            hint="Use --key-storage inline.",
        )
    return YAML_REFERENCE


def render_entries(
    settings: Settings, templates: dict[str, Template], fmt: str, api_key: str
) -> tuple[list[Rendered], list[str]]:
    """Render the chosen templates; return them and notes about regions."""
    unknown = [name for name in settings.entries if name not in templates]
    if unknown:
        raise UsageError(
            f"unknown entry '{unknown[0]}'", hint=f"Available: {', '.join(sorted(templates))}."
        )
    overridden = [name for name in settings.models if name not in settings.entries]
    if overridden:
        raise UsageError(
            f"--model {overridden[0]}=... names an entry that is not included",
            hint=f"Included: {', '.join(settings.entries)}.",
        )
    rendered: list[Rendered] = []
    notes: list[str] = []
    for name in settings.entries:
        template = templates[name]
        item = render(
            template,
            fmt=fmt,
            base_url=settings.base_url,
            region=settings.region,
            model=settings.models.get(name),
            api_key=api_key,
        )
        if settings.request_options:
            options = dict(item.entry.get("requestOptions") or {})
            options.update(settings.request_options)
            item.entry["requestOptions"] = options
        if item.region != settings.region:
            notes.append(
                f"{name}: Langdock serves the {template.route} route in "
                f"{', '.join(template.regions)} only, so this entry uses {item.region}"
            )
        rendered.append(item)
    return rendered, notes


def _blocking(findings: list[Finding], placed: list[Placed]) -> list[Finding]:
    """Return the errors that concern what we wrote (ours, or the file's top level)."""
    ours = [p.pointer for p in placed]
    return [
        f
        for f in findings
        if f.severity == "error"
        and (
            f.pointer.count("/") <= 1
            or any(f.pointer == p or f.pointer.startswith(p + "/") for p in ours)
        )
    ]


def plan_init(
    settings: Settings, config_dir: ConfigDir, templates: dict[str, Template], *,
    fast: bool = True,
) -> InitPlan:
    """Work out what ``init`` will write; read files, write nothing.

    ``fast=False`` reads config.yaml with ruamel alone (see ``read_existing``).
    """
    fmt, aside = choose_format(settings, config_dir)
    target = config_dir.yaml_path if fmt == "yaml" else config_dir.json_path
    doc, old_text, warnings = read_existing(target, fmt, settings.force, fast=fast)
    storage = settings.key_storage or ("dotenv" if fmt == "yaml" else "inline")
    rendered, notes = render_entries(settings, templates, fmt, _key_value(settings, fmt, storage))
    warnings += notes
    known = tuple(dict.fromkeys((settings.base_url, PUBLIC_BASE)))
    left_out = [t for name, t in templates.items() if name not in settings.entries]
    current, removed = drop_left_out(doc.data, fmt, left_out)
    warnings += [f"removed {title}: --entries leaves it out" for title in removed]
    try:
        data, placed = merge(
            current,
            fmt,
            rendered,
            known_bases=known,
            dotenv_reference=storage == "dotenv",
            force=settings.force,
        )
    except ConfigInvalidError as e:
        e.path = str(target)
        e.line, e.column = doc.locate(e.pointer or "")
        raise
    carry = carry_for_init(config_dir, data, templates, fmt=fmt, storage=storage,
                           api_key=settings.api_key.reveal())
    if settings.carry_over and carry.models:
        data = {**data, "models": [*(data.get("models") or []), *carry.models]}
    if old_text is not None and same(data, doc.data):
        new_text = old_text  # nothing to change: keep the file byte for byte, render nothing
    else:
        if fmt == "yaml" and old_text is not None:
            tree = round_trip(doc, old_text, target)
            if tree is not doc and not same(tree.data, doc.data):
                # Never seen (the fast readers are tested against ruamel), and cheap to
                # rule out here: plan from ruamel's reading rather than write another.
                return plan_init(settings, config_dir, templates, fast=False)
            doc = tree
        new_text = doc.render(data)
    # Validate the data we rendered; parse the new text only to place an error in it. One
    # Document for both checks: what it derives (the model entries) is worked out once.
    written = parsing.Document(target, fmt, new_text, data)
    findings = schema_findings(written)
    blocking = _blocking(findings, placed)
    if blocking:
        first = blocking[0]
        line, column = parsing.parse_text(new_text, fmt, target).locate(
            first.pointer
        )
        first = first._replace(line=line, column=column)
        raise ConfigInvalidError(
            f"the config that would be written is invalid at {first.pointer or '/'}: "
            f"{first.message}" + (f" (and {len(blocking) - 1} more)" if len(blocking) > 1 else ""),
            path=str(target),
            pointer=first.pointer,
            line=first.line,
            column=first.column,
            hint="Nothing was written. Run 'continue-setup validate' on the file for details.",
            details=[f._asdict() for f in blocking],
        )
    refuse_nothing_to_talk_to(written, target)
    other = [f for f in findings if f.severity == "error" and f not in blocking]
    if other:
        warnings.append(
            f"{target} has {len(other)} other schema error(s) outside the Langdock "
            "entries; run 'continue-setup validate' to see them"
        )
    if fmt == "yaml":
        warnings += json_notes(config_dir, carry, carried=settings.carry_over)
    dotenv = None
    if storage == "dotenv":
        path = config_dir.dotenv_path
        old = parsing.read_text(path) if path.exists() else None
        new = set_dotenv(old or "", KEY_ENV, settings.api_key.reveal())
        for name, value in carry.secrets.items() if settings.carry_over else ():
            new = set_dotenv(new, name, value)
        dotenv = FileChange(path, old, new)
    return InitPlan(
        config_dir,
        fmt,
        FileChange(target, old_text, new_text),
        dotenv,
        aside,
        placed,
        storage,
        warnings,
        carry.names if settings.carry_over else [],
        carry.names,
        carry.source_text if settings.carry_over and carry.models else None,
    )


def apply_init(plan: InitPlan, owner: Owner | None = None) -> InitResult:
    """Write what ``plan`` says: the secret first, then the config; back up what changes.

    Each file must still hold what the plan read: as root for another user the plan read it
    as root, and only content the user can read back as themself is built upon.
    """
    ensure_dir(plan.config_dir.path, owner)
    same_as_carried(plan.config_dir, plan.carried_from, owner)
    dotenv = None
    if plan.dotenv:
        dotenv = write_atomic(plan.dotenv.path, plan.dotenv.new, owner=owner,
                              expected=plan.dotenv.old)
    moved = move_aside(plan.move_aside, owner) if plan.move_aside else None
    config = write_atomic(plan.config.path, plan.config.new, owner=owner,
                          expected=plan.config.old)
    return InitResult(plan, config, dotenv, moved)


def run_init(
    settings: Settings,
    config_dir: ConfigDir,
    templates: dict[str, Template],
    *,
    dry_run: bool = False,
    owner: Owner | None = None,
    ahead: InitPlan | None = None,
) -> tuple[InitPlan, InitResult | None]:
    """Plan and, unless ``dry_run``, apply ``init`` while holding the config dir's lock.

    ``ahead``: a plan made before taking the lock (to probe or confirm it); it is used
    as it is if the files it read are still unchanged, so init plans once.
    """
    refuse_links_out(owner, guarded_paths(config_dir))
    if dry_run:
        plan = plan_init(settings, config_dir, templates)
        same_as_carried(plan.config_dir, plan.carried_from, owner)  # the preview shows them
        return plan, None
    ensure_dir(config_dir.path, owner)
    with locked(config_dir.path, owner):
        if ahead is not None and _still_current(ahead):
            plan = ahead
        else:
            plan = plan_init(settings, config_dir, templates)
        return plan, apply_init(plan, owner)


def _still_current(plan: InitPlan) -> bool:
    """Tell whether every file ``plan`` read still holds what it read then."""
    changes = [plan.config, *([plan.dotenv] if plan.dotenv else [])]
    for change in changes:
        now = parsing.read_text(change.path) if change.path.exists() else None
        if now != change.old:
            return False
    aside = plan.move_aside
    return aside is None or aside.exists()
