"""``backups`` and ``restore``: see what every write kept, and put a version back."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from continue_setup.cli.app import cli, output_options
from continue_setup.cli.inputs import config_dir_options
from continue_setup.cli.options import keep_option, shared

if TYPE_CHECKING:
    from continue_setup.report import Output

FILES = ("config.json", "config.yaml", ".env")


@cli.command()
@config_dir_options
@output_options
def backups(out: Output, *, config_dir: Path | None, home: Path | None) -> int:
    """List the backups of each file continue-setup wrote, keys never shown."""
    from continue_setup.config.paths import resolve_config_dir
    from continue_setup.report.backups import render_backups
    from continue_setup.setup.changes import inventory

    directory = resolve_config_dir(config_dir, home=home).path
    render_backups(out, directory, inventory(directory))
    return 0


@cli.command()
@click.argument("when", required=False)
@config_dir_options
@click.option("--file", "names", multiple=True, type=click.Choice(FILES),
              help="Restore only this file (repeatable) [default: every file with a match].")
@shared("--dry-run")
@shared("--diff")
@shared("--yes")
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 if restoring would change a file, else 0.")
@keep_option
@output_options
def restore(out: Output, *, when: str | None, config_dir: Path | None, home: Path | None,
            names: tuple[str, ...], dry_run: bool, diff: bool, yes: bool, check: bool,
            keep: int) -> int:
    """Put a backup back; the file it replaces is kept as a backup itself.

    WHEN is a time such as 20260105-1412 (a prefix is enough) or a backup's name
    [default: the newest backup].
    """
    from continue_setup.config.paths import resolve_config_dir
    from continue_setup.report.backups import render_restore
    from continue_setup.setup.asuser import target_owner
    from continue_setup.setup.restore import run_restore

    directory = resolve_config_dir(config_dir, home=home).path
    outcome = run_restore(directory, when=when, names=names or FILES,
                          dry_run=dry_run or diff or check,
                          keep=keep, owner=target_owner(directory, home=home))
    if diff and not out.json_mode:
        from continue_setup.config.parsing import read_text
        from continue_setup.report.init import render_diffs
        from continue_setup.setup.filechange import FileChange

        render_diffs(out, [FileChange(c.backup.original, read_text(c.backup.original)
                                      if c.backup.original.exists() else None,
                                      read_text(c.backup.path)) for c in outcome.chosen])
    render_restore(out, outcome)
    return 1 if check and outcome.changed else 0
