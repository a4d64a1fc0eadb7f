"""``doctor``: options become plain data, one core call, one report, one exit code."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from continue_setup.cli import cli, output_options
from continue_setup.cli.inputs import MAX_KEY_INPUT, Prompter, config_dir_options
from continue_setup.cli.options import keep_option
from continue_setup.errors import UsageError

if TYPE_CHECKING:
    from continue_setup.repair.doctor import Diagnosis
    from continue_setup.report import Output


def is_terminal() -> bool:
    """Tell whether a person can answer a prompt (tests replace this)."""
    return sys.stdin.isatty()


@cli.command()
@config_dir_options
@click.option("--offline", is_flag=True, help="Do not probe the endpoints.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=15.0, show_default=True,
              help="Seconds per probe.")
@click.option("--tools", is_flag=True, help="Probe with one tool offered, as Agent mode "
              "sends; a model that refuses tools fails as tools_unsupported.")
@click.option("--fix", is_flag=True, help="Apply the mechanical fixes (backups kept).")
@click.option("--format", "format_", type=click.Choice(["auto", "yaml"]), default="auto",
              show_default=True, help="yaml: with --fix, migrate config.json into an untouched "
              "default config.yaml instead of moving it aside.")
@click.option("--api-key-stdin", is_flag=True,
              help="Read the key that replaces a placeholder from standard input.")
@click.option("--key-storage", type=click.Choice(["inline", "dotenv"]), default="inline",
              show_default=True, help="dotenv: with --fix, move inline keys of config.yaml "
              "into <config-dir>/.env.")
@click.option("-y", "--yes", is_flag=True, help="Apply fixes without asking.")
@keep_option
@output_options
def doctor(out: Output, *, config_dir: Path | None, home: Path | None, offline: bool,
           timeout: float, tools: bool, fix: bool, format_: str, api_key_stdin: bool,
           key_storage: str, yes: bool, keep: int) -> int:
    """Find why Continue is not working, and fix what is mechanical (--fix)."""
    from continue_setup.config.keys import read_key
    from continue_setup.config.paths import resolve_config_dir
    from continue_setup.repair.doctor import run_doctor
    from continue_setup.report.doctor import render_doctor, render_offline, render_preview
    from continue_setup.report.progress import live_progress
    from continue_setup.setup.asuser import target_owner

    try:
        key = read_key(env=os.environ, stdin_text=sys.stdin.read(MAX_KEY_INPUT)
                       if api_key_stdin else None)
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
        return None if Prompter().confirm("Apply these fixes?") else "declined at the prompt"

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
    render_doctor(out, diagnosis, outcome, offline_shown=shown)
    if outcome is not None and outcome.refused:
        return 2
    final = outcome.after if outcome is not None and outcome.after is not None else diagnosis
    return int(final.exit_code)
