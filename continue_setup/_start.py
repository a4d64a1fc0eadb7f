"""Start-up fast path: answer ``--version`` and ``--help`` without importing click.

Every other command line goes to the click application. ``help.txt`` is click's own
rendering of the top-level help; a test renders it again and fails if it drifts.

A run is one short-lived process, so the cyclic garbage collector is switched off for it
and everything is frozen before the interpreter exits. Collections during start-up walk
every object the imports create and free almost nothing; the collection at exit walks
them all again only to free memory the OS reclaims anyway. Together that was ~20% of a
one-file ``validate`` (callgrind) and ~35 ms of ``templates``. Objects here are freed by
reference counting; files and locks are closed explicitly, never by a finalizer. Only
this entry point does it: click's own ``main`` (as the tests call it) leaves gc alone.
"""

from __future__ import annotations

import gc
import os
import sys

from continue_setup.resources import HELP_FILE, HELP_WIDTH


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
    gc.disable()
    if args[:1] in (["validate"], ["doctor"], ["migrate"], ["init"]):  # their plain forms
        from continue_setup import _quick

        code = _quick.run(args)
        if code is not None:
            gc.freeze()
            sys.exit(code)
    from continue_setup.cli.app import main as run

    try:
        run()
    finally:
        gc.freeze()
