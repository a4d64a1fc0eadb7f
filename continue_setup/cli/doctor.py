"""``doctor``: options become plain data, one core call, one report, one exit code."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from continue_setup.cli.app import cli, output_options
from continue_setup.cli.inputs import MAX_KEY_INPUT, Prompter, at_terminal, config_dir_options
from continue_setup.cli.options import DECLINED, keep_option, shared
from continue_setup.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from continue_setup.repair.doctor import Diagnosis
    from continue_setup.report import Output


def is_terminal() -> bool:
    """Tell whether a person can answer a prompt (tests replace this)."""
    return at_terminal(sys.stdin)


@cli.command()
@config_dir_options
@click.option("--offline", is_flag=True, help="Do not probe the endpoints.")
@shared("--timeout")
@shared("--tools")
@click.option("--fix", is_flag=True, help="Apply the mechanical fixes (backups kept).")
@click.option("--format", "format_", type=click.Choice(["auto", "yaml"]), default="auto",
              show_default=True, help="yaml: with --fix, migrate config.json into an untouched "
              "default config.yaml instead of moving it aside.")
@shared("--api-key-stdin")
@shared("--api-key-file")
@click.option("--key-storage", type=click.Choice(["inline", "dotenv"]), default="inline",
              show_default=True, help="dotenv: with --fix, move inline keys of config.yaml "
              "into <config-dir>/.env.")
@shared("--yes")
@shared("--dry-run")
@shared("--diff")
@keep_option
@output_options
def doctor(out: Output, *, config_dir: Path | None, home: Path | None, offline: bool,
           timeout: float, tools: bool, fix: bool, format_: str, api_key_stdin: bool,
           api_key_file: Path | None, key_storage: str, yes: bool, dry_run: bool, diff: bool,
           keep: int) -> int:
    """Find why Continue is not working, and fix what is mechanical (--fix)."""
    from continue_setup.config.keys import read_key
    from continue_setup.config.paths import resolve_config_dir
    from continue_setup.repair.doctor import run_doctor
    from continue_setup.report.doctor import render_doctor, render_offline, render_preview
    from continue_setup.report.progress import live_progress
    from continue_setup.setup.asuser import target_owner

    try:
        key = read_key(env=os.environ, stdin_text=sys.stdin.read(MAX_KEY_INPUT)
                       if api_key_stdin else None, file=api_key_file)
    except UsageError:
        if fix or api_key_stdin:
            raise
        key = None  # a report without --fix only plans; a bad key matters when applying

    shown = not out.json_mode  # sections 1-4 print before the probes start

    def confirm(diagnosis: Diagnosis) -> str | None:
        render_preview(out, diagnosis, offline_shown=shown)
        if yes:
            return None
        if out.json_mode or not is_terminal():
            return "not a terminal: pass --yes to apply them without asking"
        return None if Prompter().confirm("Apply these fixes?") else DECLINED

    fix = fix and not (dry_run or diff)  # a preview: what --fix would do, nothing applied
    directory = resolve_config_dir(config_dir, home=home)
    owner = target_owner(directory.path, home=home)
    diagnosis, outcome = run_doctor(
        directory, environ=os.environ, offline=offline, timeout=timeout, fix=fix, fmt=format_,
        tools=tools, key=key.reveal() if key else None, key_storage=key_storage,
        confirm=confirm, owner=owner, listener=live_progress(out),
        before_ping=(lambda d: render_offline(out, d)) if shown else None)
    if outcome is not None and outcome.applied:
        from continue_setup.setup.backups import prune_managed

        prune_managed(directory.path, keep, owner)
    if diff and not out.json_mode:
        render_preview(out, diagnosis, offline_shown=shown)  # each fix's masked diff
    else:
        render_doctor(out, diagnosis, outcome, offline_shown=shown)
    if outcome is not None and outcome.refused:
        return ExitCode.INVALID if outcome.refused == DECLINED else ExitCode.USAGE
    final = outcome.after if outcome is not None and outcome.after is not None else diagnosis
    return int(final.exit_code)
