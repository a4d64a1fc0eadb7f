"""``demo``: the real commands, run in this process against the fake gateway, in a temp dir."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import click

from continue_setup.cli.app import cli

if TYPE_CHECKING:
    from continue_setup.repair.demo import Step
    from continue_setup.report import Output

INTERRUPTED = 130


@cli.command()
@click.option("--keep-dir", "keep", is_flag=True,
              help="Keep the throwaway directory and print its path.")
def demo(keep: bool) -> int:
    """Try the whole flow on a built-in fake Langdock: no account needed."""
    import shutil
    import tempfile

    from continue_setup.config import redact
    from continue_setup.fake.server import FakeServer
    from continue_setup.repair.demo import DEMO_KEY, demo_environ, demo_steps
    from continue_setup.report import Output
    from continue_setup.report.demo import render_done, render_intro

    out = Output()
    redact.register(DEMO_KEY)
    workdir = Path(tempfile.mkdtemp(prefix="continue-setup-demo-"))
    config_dir = workdir / ".continue"
    ok = False
    try:
        with FakeServer(keys={DEMO_KEY}) as gateway, \
                _environment(demo_environ(config_dir, os.environ)):
            render_intro(out, workdir=workdir, gateway=gateway.url)
            ok = _tour(out, demo_steps(config_dir, gateway.url), config_dir)
    finally:  # Ctrl-C and failures included: the throwaway directory never outlives the run
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
        render_done(out, ok=ok, workdir=workdir, kept=keep or workdir.exists())
    return 0 if ok else 1


def _tour(out: Output, steps: list[Step], config_dir: Path) -> bool:
    """Run each step as its command; stop at the first that does not do what it should."""
    from continue_setup.repair.demo import break_config
    from continue_setup.report.demo import (
        render_broken,
        render_command,
        render_outcome,
        render_step,
    )

    for number, step in enumerate(steps, 1):
        render_step(out, number, len(steps), step)
        if step.breaks_config:
            render_broken(out, break_config(config_dir / "config.json"))
        render_command(out, step)
        code = _invoke(step.argv)
        if code == INTERRUPTED:  # the command caught Ctrl-C and said so; end the tour quietly
            raise click.exceptions.Exit(INTERRUPTED)
        render_outcome(out, step, code)
        if code != step.expect:
            return False
    return True


def _invoke(argv: tuple[str, ...]) -> int:
    """Run one command line as ``continue-setup`` would, in this process; return its exit code."""
    try:
        cli.main(list(argv), prog_name="continue-setup")
    except SystemExit as e:  # App.main always ends with sys.exit
        return e.code if isinstance(e.code, int) else 0
    return 0


@contextlib.contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    """Set environment variables for the tour and put back what was there before."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
