"""Render the ``demo`` tour: what each step shows, the command it runs, and whether it worked."""

from __future__ import annotations

import shlex
from pathlib import Path

from continue_setup.repair.demo import Step
from continue_setup.report import Output, display_path


def render_intro(out: Output, *, workdir: Path, gateway: str) -> None:
    """Say what the tour does and where, before it starts."""
    out.line(out.style("continue-setup demo: the whole flow, without a Langdock account", "bold"))
    out.line(f"  gateway:   a fake Langdock on {gateway} (in this process; nothing leaves "
             "the machine)")
    out.line(f"  directory: {display_path(workdir)} (throwaway; your own Continue config is "
             "not touched)")


def render_step(out: Output, number: int, total: int, step: Step) -> None:
    """Head a step: its number and what it shows."""
    out.line("")
    out.line(out.style(f"Step {number} of {total}: {step.title}", "header"))


def render_broken(out: Output, changes: list[str]) -> None:
    """List the mistakes the tour made in the config on purpose."""
    for change in changes:
        out.line(f"  broken on purpose: {change}")


def render_command(out: Output, step: Step) -> None:
    """Show the step's command line as a person would type it."""
    out.line(out.style("$ " + shlex.join(["continue-setup", *step.argv]), "dim"))


def render_outcome(out: Output, step: Step, code: int) -> None:
    """Say whether the step showed what it should, by its exit code."""
    if code == step.expect:
        out.line(f"{out.style('✓ worked:', 'ok')} {step.worked}")
    else:
        out.line(f"{out.style('✗ failed:', 'error')} exit {code}, expected {step.expect}; "
                 "the demo stops here")


def render_done(out: Output, *, ok: bool, workdir: Path, kept: bool) -> None:
    """Close the tour: the verdict, where its files are (or that they are gone), what next."""
    out.line("")
    if ok:
        out.line(out.style("The demo worked: init, ping, validate and doctor --fix, end to end.",
                           "ok"))
    if kept:
        out.line(f"Kept the demo's files in {display_path(workdir)}.")
    else:
        out.line(f"Removed {display_path(workdir)}.")
    if ok:
        out.line("With your own Langdock key: continue-setup init")
