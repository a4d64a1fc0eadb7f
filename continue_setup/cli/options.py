"""Options several writing commands share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

DEFAULT_KEEP = 10  # setup.backups.DEFAULT_KEEP, repeated so --help imports nothing heavy


def keep_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add --keep N: how many backups of each file to keep after writing."""
    return click.option(
        "--keep", type=click.IntRange(min=1), default=DEFAULT_KEEP, show_default=True,
        metavar="N", help="Keep the newest N backups of each file; delete older ones.",
    )(func)


def _refuse(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        from continue_setup.config import redact
        from continue_setup.errors import UsageError

        redact.register(value)
        raise UsageError(
            "the key is never given on the command line, where other users and shell history "
            "can see it",
            hint="Set LANGDOCK_API_KEY, or use --api-key-stdin or --api-key-file.",
        )


def refuse_key_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add a hidden --api-key that refuses, saying how to give the key instead."""
    return click.option("--api-key", hidden=True, expose_value=False, callback=_refuse)(func)
