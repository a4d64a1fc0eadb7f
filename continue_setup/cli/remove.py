"""``remove``: options become plain data, one core call, one report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from continue_setup.cli.app import cli, output_options
from continue_setup.cli.inputs import config_dir_options
from continue_setup.cli.options import keep_option, shared
from continue_setup.errors import UsageError

if TYPE_CHECKING:
    from continue_setup.report import Output


@cli.command()
@config_dir_options
@shared("--dry-run")
@shared("--diff")
@shared("--yes")
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 if remove would change something, else 0.")
@keep_option
@output_options
def remove(out: Output, *, config_dir: Path | None, home: Path | None, dry_run: bool,
           diff: bool, yes: bool, check: bool, keep: int) -> int:
    """Take out what init added; leave everything else as it was."""
    from continue_setup.config.paths import resolve_config_dir
    from continue_setup.report.remove import render_remove
    from continue_setup.setup.asuser import target_owner
    from continue_setup.setup.backups import prune_managed
    from continue_setup.setup.remove import run_remove
    from continue_setup.setup.templates import load_templates

    if check and (dry_run or diff):
        raise UsageError("--check cannot be combined with --dry-run or --diff",
                         hint="Use --check --json to see what would go.")
    directory = resolve_config_dir(config_dir, home=home)
    preview = dry_run or diff or check
    owner = target_owner(directory.path, home=home)
    plan, result = run_remove(directory, load_templates(), dry_run=preview, owner=owner)
    if result is not None:
        prune_managed(directory.path, keep, owner)
    render_remove(out, plan, result, dry_run=dry_run, diff=diff, check=check)
    return 1 if check and plan.changed else 0
