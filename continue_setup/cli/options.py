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
