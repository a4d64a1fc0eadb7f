"""``validate``: check configs against our schemas and Continue's and Langdock's rules."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from continue_setup.cli import cli, output_options

if TYPE_CHECKING:
    from continue_setup.report import Output


class _AsGiven(click.Path):
    """A path taken as given, unchecked: validate reads each file itself and reports one it
    cannot read as a finding, so click need not stat every one of a thousand files first.
    """

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return self.coerce_path_result(value)


@cli.command()
@click.argument("paths", nargs=-1, type=_AsGiven(path_type=Path))
@click.option(
    "--config-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Continue's directory: the config to check when no PATHS are given, and the "
    ".env that secrets resolve from [default: each file's own directory; with no "
    "PATHS, $CONTINUE_GLOBAL_DIR or ~/.continue].",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
@output_options
def validate(out: Output, paths: tuple[Path, ...], config_dir: Path | None, strict: bool) -> int:
    """Check configs against Continue's and Langdock's rules.

    PATHS are config files or directories to search; with none, the config Continue loads.
    """
    import os

    from continue_setup.check.validate import validate_paths
    from continue_setup.report.validate import render_validate

    run = validate_paths(list(paths), config_dir=config_dir, environ=os.environ, strict=strict)
    render_validate(out, run)
    return int(run.exit_code)
