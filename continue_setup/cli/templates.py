"""``templates``: list the entry templates, or print one rendered."""

from __future__ import annotations

from pathlib import Path

import click

from continue_setup.cli.app import cli, output_options
from continue_setup.cli.options import shared, template_names
from continue_setup.errors import UsageError
from continue_setup.report import Output


@cli.group(invoke_without_command=True)
@shared("--template-dir")
@output_options
@click.pass_context
def templates(ctx: click.Context, out: Output, template_dir: Path | None) -> int:
    """List the entry templates (templates show NAME prints one)."""
    ctx.obj = template_dir
    if ctx.invoked_subcommand is not None:
        return 0
    from continue_setup.report.templates import render_list
    from continue_setup.setup.templates import load_templates

    render_list(out, load_templates(template_dir))
    return 0


@templates.command("show")
@click.argument("name", shell_complete=template_names)
@click.option(
    "--format", "format_", type=click.Choice(["json", "yaml"]), default="json", show_default=True,
    help="Render as an entry of config.json or of config.yaml.",
)
@shared("--region")
@shared("--base-url")
@output_options
@click.pass_obj
def templates_show(
    template_dir: Path | None,
    out: Output,
    name: str,
    format_: str,
    region: str | None,
    base_url: str | None,
) -> int:
    """Print one template rendered as a config entry (the key masked)."""
    from continue_setup.config.redact import MASK
    from continue_setup.report.templates import render_one
    from continue_setup.setup.settings import check_region, normalize_base_url
    from continue_setup.setup.templates import load_templates, render

    available = load_templates(template_dir)
    if name not in available:
        raise UsageError(f"unknown template '{name}'", hint=f"Available: {', '.join(available)}.")
    base, _ = normalize_base_url(base_url)
    rendered = render(
        available[name],
        fmt=format_,
        base_url=base,
        region=check_region(region or "eu"),
        model=None,
        api_key=MASK,
    )
    render_one(out, rendered, format_)
    return 0
