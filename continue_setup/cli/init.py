"""``init``: its options; ``cli.initflow`` does the rest, also for the click-free path."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from continue_setup.cli.app import cli, output_options
from continue_setup.cli.inputs import config_dir_options
from continue_setup.cli.options import keep_option, refuse_key_option, shared, template_names

if TYPE_CHECKING:
    from continue_setup.report import Output


@cli.command()
@shared("--region")
@shared("--base-url")
@config_dir_options
@click.option(
    "--format",
    "format_",
    type=click.Choice(["auto", "json", "yaml"]),
    help="auto: update config.yaml if it exists, else config.json [default: auto].",
)
@click.option(
    "--key-storage",
    type=click.Choice(["inline", "dotenv"]),
    help="Key in the config, or in <config-dir>/.env [default: inline for JSON, dotenv for YAML].",
)
@click.option(
    "--entries",
    metavar="LIST",
    shell_complete=template_names,
    help="Entries to include, e.g. gpt,claude [default: all templates].",
)
@click.option(
    "--model",
    "models",
    multiple=True,
    metavar="NAME=ID",
    help="Use another model id for an entry, e.g. gpt=gpt-4.1 (repeatable).",
)
@shared("--template-dir")
@shared("--api-key-stdin")
@shared("--api-key-file")
@refuse_key_option
@shared("--dry-run")
@shared("--diff")
@click.option(
    "--force",
    is_flag=True,
    help="Replace an unusable (unparseable or foreign) config, or move config.yaml aside "
    "(backups kept). Never writes past a failed smoke test.",
)
@click.option(
    "--write-even-if-probe-fails",
    "write_anyway",
    is_flag=True,
    help="Write even when the smoke test fails (a refused key, an unreachable gateway).",
)
@click.option(
    "--carry-over",
    is_flag=True,
    help="When writing config.yaml, also copy the user's own models from the config.json "
    "beside it (Continue ignores them), keys kept safe; config.json stays as it is.",
)
@shared("--yes")
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 0 if the config is up to date, 1 if init would change it.",
)
@click.option(
    "--ping/--no-ping",
    default=True,
    help="Smoke-test the entries before writing; refuse (exit 3) if they fail "
    "[default: --ping; never with --dry-run, --diff or --check].",
)
@shared("--timeout")
@shared("--org-settings")
@keep_option
@output_options
def init(out: Output, **options: Any) -> int:
    """Write a Continue config for Langdock: GPT and Claude chat, Codestral autocomplete."""
    from continue_setup.cli.initflow import run_init_command

    return run_init_command(out, **options)
