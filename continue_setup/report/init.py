"""Render what ``init`` did, or would do."""

from __future__ import annotations

from continue_setup.config import redact
from continue_setup.report import Output, display_path
from continue_setup.report.layout import shorten, width_of

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any

if TYPE_CHECKING:  # doctor and migrate print diffs from here without init's machinery
    from continue_setup.setup.filechange import FileChange
    from continue_setup.setup.plan import InitPlan, InitResult

_ACTION_MARK = {"added": "+", "updated": "~"}


def unified_diff(change: FileChange) -> str:
    """Return a unified diff from the file's current text to its new text."""
    import difflib  # only --diff needs it; every init imports this module

    old = (change.old or "").splitlines(keepends=True)
    new = change.new.splitlines(keepends=True)
    label = display_path(change.path)
    lines = difflib.unified_diff(
        old,
        new,
        fromfile=f"{label} (current)" if change.old is not None else "/dev/null",
        tofile=f"{label} (new)",
    )
    if change.path.name.endswith(".env"):
        # Every value of a .env may be a secret (GITHUB_TOKEN=... beside our key), old or new.
        lines = (
            line if line.startswith(("---", "+++", "@@")) else line[:1]
            + redact.mask_dotenv_line(line[1:])
            for line in lines
        )
    text = "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
        for line in key_changes(list(lines))
    )
    return text


def render_diffs(out: Output, changes: list[FileChange]) -> None:
    """Print the masked diff of each file that would change, or say nothing would."""
    shown = [c for c in changes if c.changed]
    for change in shown:
        out.raw(unified_diff(change))
    if not shown:
        out.line("no changes")


def key_changes(lines: list[str]) -> list[str]:
    """Show a removed and an added line that read the same once masked as one line,
    ``~ ... (key changed)``, not as two identical ``"apiKey": "********"`` lines."""
    out: list[str] = []
    index = 0
    while index < len(lines):
        start = index
        while index < len(lines) and lines[index].startswith("-") and \
                not lines[index].startswith("---"):
            index += 1
        removed = lines[start:index]
        added_start = index
        while index < len(lines) and lines[index].startswith("+") and \
                not lines[index].startswith("+++"):
            index += 1
        added = lines[added_start:index]
        if not removed and not added:
            out.append(lines[index])
            index += 1
            continue
        if len(removed) == len(added):
            for old, new in zip(removed, added, strict=True):
                if old[1:] != new[1:] and redact.redact(old[1:]) == redact.redact(new[1:]):
                    body = new[1:].rstrip("\n")
                    out.append(f"~{body}  (key changed)" + ("\n" if new.endswith("\n") else ""))
                else:
                    out += [old, new]
        else:
            out += removed + added
    return out


def _payload(plan: InitPlan, result: InitResult | None, *, dry_run: bool) -> dict[str, Any]:
    config = result.config if result else None
    return {
        "ok": True,
        "path": str(plan.config.path),
        "format": plan.format,
        "changed": result.changed if result else plan.changed,
        "dry_run": dry_run,
        "backup": str(config.backup) if config and config.backup else None,
        "loaded_by_continue": str(plan.loaded_by_continue),
        "config_dir": str(plan.config_dir.path),
        "config_dir_source": plan.config_dir.source,
        "key_storage": plan.key_storage,
        "dotenv": None
        if plan.dotenv is None
        else {
            "path": str(plan.dotenv.path),
            "changed": result.dotenv.changed if result and result.dotenv else plan.dotenv.changed,
            "backup": str(result.dotenv.backup)
            if result and result.dotenv and result.dotenv.backup
            else None,
        },
        "moved_aside": None
        if plan.move_aside is None
        else {
            "path": str(plan.move_aside),
            "to": str(result.moved_aside) if result and result.moved_aside else None,
        },
        "entries": plan.entries(),
        "carried_over": plan.carried_over,
        "warnings": plan.warnings,
    }


def render_init(
    out: Output, plan: InitPlan, result: InitResult | None, *, dry_run: bool, diff: bool
) -> None:
    """Show the outcome of ``init``: JSON, a diff, the would-be file, or a summary."""
    if out.json_mode:
        out.json(_payload(plan, result, dry_run=dry_run))
        return
    if diff:
        changes = [c for c in (plan.dotenv, plan.config) if c is not None and c.changed]
        for change in changes:
            out.raw(unified_diff(change))
        if not changes:
            out.line(f"{display_path(plan.config.path)}: no changes")
    elif dry_run:
        out.raw(plan.config.new)
    for warning in plan.warnings:
        out.warn(warning)
    if dry_run or diff:
        if plan.move_aside is not None:
            out.note(f"would move {display_path(plan.move_aside)} aside to a backup")
        out.note(
            f"dry run: nothing written; Continue would load {display_path(plan.loaded_by_continue)}"
        )
        return
    assert result is not None
    _summary(out, plan, result)


def _summary(out: Output, plan: InitPlan, result: InitResult) -> None:
    path = display_path(plan.config.path)
    if not result.changed:
        out.line(f"{out.style('✓', 'ok')} {path} is already up to date; nothing written")
    else:
        backup = result.config.backup
        out.line(
            f"{out.style('✓', 'ok')} wrote {path}"
            + (f" (previous version kept as {backup.name})" if backup else "")
        )
        if result.dotenv is not None and result.dotenv.changed:
            out.line(
                f"{out.style('✓', 'ok')} stored the key in {display_path(result.dotenv.path)}"
                " (mode 0600)"
            )
        if result.moved_aside is not None:
            out.line(
                f"{out.style('✓', 'ok')} moved {display_path(plan.move_aside)} aside to "
                f"{result.moved_aside.name}"
            )
    width = max(len(str(e["title"])) for e in plan.entries()) if plan.placed else 0
    columns = width_of(out.stdout)
    for entry in plan.entries():
        mark = _ACTION_MARK.get(entry["action"], " ") if result.changed else " "
        row = f"  {mark} {entry['title']!s:<{width}}  {entry['role']:<12} "
        if columns is not None and len(row) + len(str(entry["apiBase"])) > columns:
            # Too wide for the terminal: the apiBase goes under its entry.
            out.line(shorten(row.rstrip(), columns))
            row = " " * 6
        out.line(row + out.style(shorten(str(entry["apiBase"]), (columns or 10**6) - len(row),
                                         keep_end=True), "dim"))
    out.line(f"Continue will load {display_path(plan.loaded_by_continue)}.")


def render_check(out: Output, plan: InitPlan, differences: list[dict[str, Any]]) -> None:
    """Show the outcome of ``init --check``: up to date, or what would change (keys masked)."""
    if out.json_mode:
        out.json(
            {
                "ok": not plan.changed,
                "changed": plan.changed,
                "path": str(plan.config.path),
                "format": plan.format,
                "loaded_by_continue": str(plan.loaded_by_continue),
                "config_dir": str(plan.config_dir.path),
                "differences": differences,
                "warnings": plan.warnings,
            }
        )
        return
    path = display_path(plan.config.path)
    if not plan.changed:
        out.line(f"{out.style('✓', 'ok')} {path} is up to date")
        return
    out.line(f"{path} is not up to date; 'continue-setup init' would change:")
    for item in differences:
        if item["kind"] == "file":
            out.line(f"  {item['action']} {display_path(item['path'])}")
        else:
            fields = ", ".join(f["field"] for f in item["fields"])
            out.line(f"  {item['action']} {item['title']} ({item['pointer']}): {fields}")
