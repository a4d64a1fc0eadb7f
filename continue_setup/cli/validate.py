"""``validate``: check configs against our schemas and Continue's and Langdock's rules."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from continue_setup.cli.app import cli, output_options
from continue_setup.cli.inputs import config_dir_options
from continue_setup.errors import UsageError

if TYPE_CHECKING:
    from continue_setup.check.validate import ValidationRun
    from continue_setup.report import Output

STDIN = Path("-")


class _AsGiven(click.Path):
    """A path taken as given, unchecked: validate reads each file itself and reports one it
    cannot read as a finding, so click need not stat every one of a thousand files first.
    """

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return self.coerce_path_result(value)


@cli.command()
@click.argument("paths", nargs=-1, type=_AsGiven(path_type=Path))
@config_dir_options
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
@click.option("--output-format", type=click.Choice(["text", "json", "github", "sarif"]),
              default="text", show_default=True,
              help="json: as --json; github: workflow annotations; sarif: SARIF 2.1.0 for "
              "code scanning.")
@click.option("--stdin-filename", metavar="NAME",
              help="With '-': the file name the text stands for (picks the parser, names "
              "the findings).")
@click.option("--format", "format_", type=click.Choice(["json", "yaml"]),
              help="With '-': parse as this [default: by --stdin-filename, else JSONC, then "
              "YAML].")
@output_options
def validate(out: Output, paths: tuple[Path, ...], config_dir: Path | None, home: Path | None,
             strict: bool, output_format: str, stdin_filename: str | None,
             format_: str | None) -> int:
    """Check configs against Continue's and Langdock's rules.

    PATHS are config files or directories to search, or '-' for standard input; with none,
    the config Continue loads. Secrets resolve from the .env of Continue's directory
    (--config-dir or --home), else of each file's own directory.
    """
    import os

    if config_dir is None and home is not None:
        config_dir = home / ".continue"

    from continue_setup.check.validate import validate_paths

    if str(STDIN) in map(str, paths):  # Path == walks both paths' parts: ~1 us a path
        run = _validate_stdin(paths, config_dir=config_dir, strict=strict,
                              name=stdin_filename, fmt=format_)
    elif stdin_filename or format_:
        raise UsageError("--stdin-filename and --format apply only to '-' (standard input)",
                         hint="Give '-' as the path and pipe the config in.")
    else:
        run = validate_paths(list(paths), config_dir=config_dir, environ=os.environ,
                             strict=strict)
    _render(out, run, output_format)
    return int(run.exit_code)


def _validate_stdin(paths: tuple[Path, ...], *, config_dir: Path | None, strict: bool,
                    name: str | None, fmt: str | None) -> ValidationRun:
    import os
    import sys
    from typing import cast

    from continue_setup.check.stdin import MAX_STDIN, validate_stdin

    if len(paths) > 1:
        raise UsageError("'-' (standard input) cannot be combined with other paths",
                         hint="Check the piped config alone, or name only files.")
    stream = getattr(sys.stdin, "buffer", None)
    raw = stream.read(MAX_STDIN + 1) if stream is not None else sys.stdin.read(
        MAX_STDIN + 1).encode("utf-8")
    return validate_stdin(raw, name=name, fmt=cast("Any", fmt), config_dir=config_dir,
                          environ=os.environ, strict=strict)


def _render(out: Output, run: ValidationRun, output_format: str) -> None:
    if output_format == "github":
        from continue_setup.report.annotations import render_github

        render_github(out, run)
        return
    if output_format == "sarif":
        from continue_setup.report.annotations import render_sarif

        render_sarif(out, run)
        return
    from continue_setup.report.validate import render_validate

    if output_format == "json":
        out.json_mode = True
    render_validate(out, run)
