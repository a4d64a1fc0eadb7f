"""``rotate-key``: options become plain data, one core call, one report.

A command of its own rather than ``init --rotate-key``: it touches only the key, never the
entries, region or format, and its ``--check`` asks another question ("does this machine
still hold a key other than this one?") than ``init --check`` ("is the config up to date?").
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from continue_setup.cli.app import cli, output_options
from continue_setup.cli.inputs import (
    InitOptions,
    Prompter,
    at_terminal,
    config_dir_options,
    read_secret,
)
from continue_setup.cli.options import keep_option, refuse_key_option, shared
from continue_setup.errors import UsageError

if TYPE_CHECKING:
    from continue_setup.report import Output
    from continue_setup.setup.rotate import RotatePlan


@cli.command("rotate-key")
@config_dir_options
@shared("--api-key-stdin")
@shared("--api-key-file")
@refuse_key_option
@shared("--dry-run")
@shared("--diff")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if a stored key differs from "
              "the one given (keys are never shown), else 0.")
@click.option("--ping/--no-ping", default=True, show_default=True,
              help="Smoke-test the new key before writing; refuse (exit 3) if it fails.")
@click.option("--write-even-if-probe-fails", "write_anyway", is_flag=True,
              help="Write even when the smoke test of the new key fails.")
@shared("--yes")
@shared("--timeout")
@keep_option
@output_options
def rotate_key(out: Output, *, config_dir: Path | None, home: Path | None, api_key_stdin: bool,
               api_key_file: Path | None, dry_run: bool, diff: bool, check: bool, ping: bool,
               write_anyway: bool, yes: bool, keep: int, timeout: float) -> int:
    """Put a new Langdock key wherever continue-setup stored the old one."""
    from continue_setup.config.paths import resolve_config_dir
    from continue_setup.report.rotate import render_rotate
    from continue_setup.setup.asuser import refuse_links_out, target_owner
    from continue_setup.setup.backups import prune_managed
    from continue_setup.setup.rotate import plan_rotate, run_rotate
    from continue_setup.setup.templates import load_templates
    from continue_setup.setup.writer import guarded_paths

    if check and dry_run:
        raise UsageError("--check cannot be combined with --dry-run",
                         hint="Use --check --json to see which places differ.")
    interactive = not yes and not out.json_mode and not api_key_stdin and at_terminal(sys.stdin)
    key = read_secret(InitOptions(api_key_stdin=api_key_stdin, api_key_file=api_key_file),
                      env=os.environ, stdin=sys.stdin, interactive=interactive,
                      prompter=Prompter()).reveal()
    directory = resolve_config_dir(config_dir, home=home)
    owner = target_owner(directory.path, home=home)
    refuse_links_out(owner, guarded_paths(directory))  # before root reads anything there
    templates = load_templates()
    ahead = plan_rotate(directory, key, templates)
    if diff and not out.json_mode:
        from continue_setup.report.init import render_diffs

        render_diffs(out, ahead.changes)
    if check or dry_run or diff:
        render_rotate(out, ahead, None, check=check)
        return 1 if check and ahead.stale else 0
    warnings = _probe(out, ahead, key, write_anyway, timeout) if ping and ahead.changed else []
    plan, written = run_rotate(directory, key, templates, owner=owner)
    prune_managed(directory.path, keep, owner)
    render_rotate(out, plan, written, check=False, warnings=warnings)
    return 0


def _probe(out: Output, plan: RotatePlan, key: str, write_anyway: bool,
           timeout: float) -> list[str]:
    """Probe our entries of the config Continue loads with the new key, as init does."""
    from continue_setup.cli.ping import judge_for_init, probe_options
    from continue_setup.config.entries import model_entries
    from continue_setup.probe.probes import ping as run_ping
    from continue_setup.probe.targets import targets_from_entries
    from continue_setup.report.layout import width_of
    from continue_setup.report.ping import table_lines
    from continue_setup.setup.remove import is_ours
    from continue_setup.setup.templates import load_templates

    doc = plan.probe_doc
    if doc is None:
        return []
    templates = load_templates()
    entries = [e for e in model_entries(doc) if is_ours(e.raw, doc.format, templates)]
    targets, _ = targets_from_entries(entries, env_list=[], dotenv={}, environ={}, key=key)
    if not targets:
        return []
    report = run_ping(targets, probe_options(timeout))
    if not out.json_mode:
        for line in table_lines(out, report.results, width_of(out.stderr)):
            out.note(line)
    return judge_for_init(report, write_anyway=write_anyway)
