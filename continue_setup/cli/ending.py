"""How a run that raised ends: the error to show, the traceback for --debug, the exit code.

One place for the click application (``app.App.main``) and the click-free path (``_quick``),
so an error reads the same whichever of them ran the command.
"""

from __future__ import annotations

from continue_setup.config import redact
from continue_setup.errors import ExitCode, SetupError


def error_of(exc: Exception, argv: list[str]) -> tuple[SetupError, str | None, int]:
    """Return the error to show for ``exc``, its traceback (with --debug) and the exit code.

    Call it while ``exc`` is being handled: the traceback is the one being handled.
    """
    if isinstance(exc, SetupError):
        return exc, traceback_for(argv), int(exc.exit_code)
    if isinstance(exc, OSError):
        # A path we may not look at (a parent without search permission, say): say which.
        where = f" {exc.filename}" if exc.filename else ""
        error = SetupError(f"cannot access{where}: {exc.strerror or type(exc).__name__}",
                           path=str(exc.filename) if exc.filename else None,
                           hint="Check the path and its permissions; nothing was changed.")
        return error, traceback_for(argv), int(ExitCode.USAGE)
    # A bug: say so plainly, keep the traceback for --debug.
    error = SetupError(
        f"internal error: {type(exc).__name__}: {redact.redact(str(exc))[:300]}",
        hint="This is a bug in continue-setup; run again with --debug for the traceback.",
    )
    error.exit_code = ExitCode.INTERNAL
    return error, traceback_for(argv), int(ExitCode.INTERNAL)


def traceback_for(argv: list[str]) -> str | None:
    """Return the traceback being handled when --debug asked for it (only it shows one)."""
    if "--debug" not in argv:
        return None  # formatting one reads every frame's source: ~10 ms a refusal
    import traceback

    return traceback.format_exc()
