"""``migrate``: options become plain data, one core call, one report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from continue_setup.cli.app import cli, output_options
from continue_setup.cli.inputs import config_dir_options
from continue_setup.cli.options import keep_option, shared

if TYPE_CHECKING:
    from continue_setup.report import Output


@cli.command()
@click.argument("source", required=False, type=click.Path(dir_okay=False, path_type=Path))
@config_dir_options
@click.option("--key-storage", type=click.Choice(["inline", "dotenv"]), default="inline",
              show_default=True, help="Keep inline keys, or move them to <config-dir>/.env.")
@shared("--dry-run")
@shared("--diff")
@shared("--yes")
@click.option("--force", is_flag=True, help="Replace an existing config.yaml (a backup is kept).")
@click.option("--retire-json", is_flag=True,
              help="Then move config.json aside as a backup: Continue ignores it from now on. "
              "Beside a config.yaml of your own, only this is done.")
@keep_option
@output_options
def migrate(out: Output, *, source: Path | None, config_dir: Path | None, home: Path | None,
            key_storage: str, dry_run: bool, diff: bool, yes: bool, force: bool,
            retire_json: bool, keep: int) -> int:
    """Convert config.json to config.yaml as Continue maps fields, comments allowed."""
    from continue_setup.config.paths import resolve_config_dir
    from continue_setup.repair.migrate import loads_its_own_yaml, run_migrate
    from continue_setup.repair.migrate import retire_json as retire_json_only
    from continue_setup.report.migrate import render_migrate, render_retired
    from continue_setup.setup.asuser import target_owner

    directory = resolve_config_dir(config_dir, home=home)
    owner = target_owner(directory.path, home=home)
    if retire_json and not force and source is None and loads_its_own_yaml(directory):
        # config.yaml is the user's and Continue loads it: retire config.json alone.
        retired = retire_json_only(directory, dry_run=dry_run or diff, owner=owner)
        render_retired(out, directory, retired)
        return 0
    plan, result = run_migrate(directory, source=source, key_storage=key_storage, force=force,
                               dry_run=dry_run or diff, retire=retire_json, owner=owner)
    if result is not None:
        from continue_setup.setup.backups import prune_managed

        prune_managed(directory.path, keep, owner)
    render_migrate(out, plan, result, diff=diff)
    return 0
