"""Fit text to the terminal: how wide it is, shortening with …, wrapping under a row.

A terminal that wraps a row itself sends its tail to column 0, where it reads as a new
row; so rows are cut or wrapped here, with an indent, to the width the user sees.
"""

from __future__ import annotations

import os
import re

from continue_setup.config import redact

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import IO

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def width_of(stream: IO[str]) -> int | None:
    """Return the columns ``stream`` shows: $COLUMNS when set, a terminal's own width, or
    None (a pipe or file, where lines stay whole for scripts)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return max(int(columns), 20)
    try:
        if stream.isatty():
            # A terminal that never said its size reports 0 columns: take the usual 80.
            return max(os.get_terminal_size(stream.fileno()).columns or 80, 20)
    except (AttributeError, OSError, ValueError):  # a stream without a descriptor
        pass
    return None


def visible(text: str) -> int:
    """Return how many columns ``text`` takes (colour codes take none)."""
    return len(_ANSI.sub("", text))


def shorten(text: str, width: int, *, keep_end: bool = False) -> str:
    """Cut ``text`` to ``width`` columns with …, keeping its start (or its end)."""
    text = redact.redact(text)  # masked whole: half a secret would escape the mask
    if len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    return "…" + text[-(width - 1):] if keep_end else text[: width - 1] + "…"


def wrap(text: str, width: int | None, *, indent: int = 0, first: str = "") -> list[str]:
    """Wrap ``text`` at word boundaries to ``width`` (None: one line), after ``first`` on
    the first line and ``indent`` spaces on the others; a word longer than a line is cut."""
    text = redact.redact(text)  # masked whole: a secret split over lines would escape
    if width is None or visible(first + text) <= width:
        return [first + text]
    import textwrap  # only a line too long to fit: most runs never wrap one

    pad = " " * min(indent, width // 2)
    holder = "\0" * visible(first)  # stands in for ``first``, whose colour takes no columns
    lines = textwrap.wrap(text, width=width, initial_indent=holder, subsequent_indent=pad,
                          break_on_hyphens=False) or [holder]
    lines[0] = first + lines[0][len(holder):]
    return lines
