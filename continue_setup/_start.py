"""Start-up fast path: answer ``--version`` and ``--help`` without importing click.

The plain lines of validate, doctor, migrate and init go to the click-free ``_quick``;
every other command line goes to the click application. ``help.txt`` is click's own
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

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import NoReturn


def _columns(default: int) -> int:
    """Return the terminal width the way click measures it (COLUMNS, the terminal, 80)."""
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns
    except (AttributeError, ValueError, OSError):
        return default


def main() -> None:
    """Entry point of the ``continue-setup`` script; it ends the process (a read-only run
    without the interpreter's teardown). To run a command inside another Python program,
    call the click application, ``continue_setup.cli.cli``."""
    gc.disable()  # before the first import: collections during imports were ~2 % of a run
    args = sys.argv[1:]
    if args in (["--version"], ["-V"]):
        from continue_setup import __version__

        sys.stdout.write(f"continue-setup, version {__version__}\n")
        return
    from continue_setup.resources import HELP_FILE, HELP_WIDTH

    if args in (["--help"], ["-h"]) and _columns(HELP_WIDTH) >= HELP_WIDTH and \
            os.path.exists(HELP_FILE):
        with open(HELP_FILE, encoding="utf-8") as handle:
            sys.stdout.write(handle.read())
        return
    if args[:1] in (["validate"], ["doctor"], ["migrate"], ["init"]):  # their plain forms
        from continue_setup import _quick

        code = _quick.run(args)
        if code is not None:
            gc.freeze()
            if args[0] != "init":  # it only read and printed: nothing to tear down
                _exit_now(code)
            sys.exit(code)
    from continue_setup.cli.app import main as run

    try:
        run()
    finally:
        gc.freeze()


def _exit_now(code: int) -> NoReturn:
    """End a run that only read and printed, without tearing the interpreter down.

    What is left at that point is freeing every module and object one by one, memory the
    OS takes back at once anyway: ~6.7 M instructions, 5% of a one-file ``validate``.
    Exit handlers still run (coverage and the like register them) and the standard streams
    are flushed; a stream that cannot be flushed ends the run with 120, as the interpreter
    ends it. Runs that write (``init``, anything through click) exit the usual way.
    """
    import atexit

    atexit._run_exitfuncs()
    status = code
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            status = 120
    os._exit(status)
