"""Start-up fast path: answer ``--version`` and ``--help`` without importing click.

Every other command line goes to the click application. ``help.txt`` is click's own
rendering of the top-level help; a test renders it again and fails if it drifts.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HELP_FILE = Path(__file__).with_name("help.txt")
HELP_WIDTH = 80  # the width help.txt is rendered at (click's max_content_width)


def _columns() -> int:
    """Return the terminal width the way click measures it (COLUMNS, the terminal, 80)."""
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns
    except (AttributeError, ValueError, OSError):
        return HELP_WIDTH


def main() -> None:
    """Entry point of the ``continue-setup`` script."""
    args = sys.argv[1:]
    if args in (["--version"], ["-V"]):
        from continue_setup import __version__

        sys.stdout.write(f"continue-setup, version {__version__}\n")
        return
    if args in (["--help"], ["-h"]) and _columns() >= HELP_WIDTH and HELP_FILE.exists():
        sys.stdout.write(HELP_FILE.read_text(encoding="utf-8"))
        return
    from continue_setup.cli import main as run

    run()
