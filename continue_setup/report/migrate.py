"""Render what ``migrate`` did, or would do."""

from __future__ import annotations

from pathlib import Path

from continue_setup.config.paths import ConfigDir
from continue_setup.repair.migrate import MigratePlan, MigrateResult
from continue_setup.report import Output, display_path

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any


def migrate_payload(plan: MigratePlan, result: MigrateResult | None) -> dict[str, Any]:
    """Return the JSON form of a migration."""
    written = result.config if result else None
    return {
        "ok": True,
        "source": str(plan.source),
        "path": str(plan.config.path),
        "changed": written.changed if written else plan.config.changed,
        "dry_run": result is None,
        "backup": str(written.backup) if written and written.backup else None,
        "replaced_default": plan.replaces_default,
        "retired": str(result.retired) if result and result.retired else None,
        "dotenv": None if plan.dotenv is None else {
            "path": str(plan.dotenv.path),
            "names": sorted(plan.conversion.secrets),
            "backup": str(result.dotenv.backup) if result and result.dotenv
            and result.dotenv.backup else None,
        },
        "dropped": [d.to_dict() for d in plan.conversion.dropped],
        "warnings": plan.conversion.warnings,
        "findings": [{"severity": f.severity, "code": f.code, "pointer": f.pointer,
                      "line": f.line, "column": f.column, "message": f.message, "hint": f.hint}
                     for f in plan.findings],
    }


def render_migrate(out: Output, plan: MigratePlan, result: MigrateResult | None, *,
                   diff: bool = False) -> None:
    """Show the new config.yaml (dry run) or what was written, then what did not fit."""
    if out.json_mode:
        out.json(migrate_payload(plan, result))
        return
    if result is None and diff:
        from continue_setup.report.init import render_diffs

        render_diffs(out, [c for c in (plan.config, plan.dotenv) if c is not None])
    elif result is None:
        out.raw(plan.config.new)
    for dropped in plan.conversion.dropped:
        out.warn(f"{display_path(plan.source)} {dropped.pointer}: not migrated: {dropped.reason}")
    for warning in plan.conversion.warnings:
        out.warn(warning)
    from continue_setup.report.findings import finding_lines

    for f in plan.findings:
        out.note("\n".join(finding_lines(out, plan.config.path, f)))
    target = display_path(plan.config.path)
    if result is None:
        out.note(f"dry run: nothing written; {target} would be "
                 + ("replaced (it is Continue's untouched default)" if plan.replaces_default
                    else "written"))
        return
    ok = out.style("✓", "ok")
    backup = result.config.backup
    out.line(f"{ok} wrote {target}" + (f" (previous version kept as {backup.name})"
                                         if backup else ""))
    if result.dotenv is not None and result.dotenv.changed:
        names = ", ".join(sorted(plan.conversion.secrets))
        out.line(f"{ok} stored {names} in {display_path(result.dotenv.path)} (mode 0600)")
    if result.retired is not None:
        out.line(f"{ok} moved {display_path(plan.source)} aside to {result.retired.name}; "
                 f"Continue now loads {target}.")
        return
    out.line(f"{display_path(plan.source)} is kept unchanged; Continue now loads {target} "
             "and ignores it.")
    out.note("to retire it (no shadowed-config warning, no second copy of a key), run "
             "'continue-setup migrate --retire-json', or move it aside yourself")


def render_retired(out: Output, config_dir: ConfigDir, retired: Path | None) -> None:
    """Say that config.json was (or would be) moved aside, and config.yaml left as it is."""
    source = config_dir.json_path
    if out.json_mode:
        out.json({"ok": True, "source": str(source), "path": str(config_dir.yaml_path),
                  "changed": retired is not None, "dry_run": retired is None and source.exists(),
                  "backup": None, "replaced_default": False,
                  "retired": str(retired) if retired else None, "dotenv": None,
                  "dropped": [], "warnings": [], "findings": []})
        return
    if not source.exists() and retired is None:
        out.line(f"{out.style('✓', 'ok')} no {display_path(source)} to retire; "
                 f"{display_path(config_dir.yaml_path)} is what Continue loads")
    elif retired is None:
        out.line(f"would move {display_path(source)} aside (a backup); "
                 f"{display_path(config_dir.yaml_path)} stays as it is")
        out.note("dry run: nothing written")
    else:
        out.line(f"{out.style('✓', 'ok')} moved {display_path(source)} aside to "
                 f"{retired.name}; {display_path(config_dir.yaml_path)}, which Continue loads, "
                 "is unchanged")
