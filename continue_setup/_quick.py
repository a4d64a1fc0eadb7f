"""A click-free path for the commonest ``validate`` command lines.

``validate`` is the command editors, hooks and CI run most, often once per saved file, and
click's import alone cost about as much as the rest of a one-file run. So ``_start`` hands
the plain shapes of it here: ``validate [--strict] [--json] [-q|--quiet]
[--output-format text|json] [--] PATH...`` (or no path: the config Continue loads). Any
other arg, ``-`` included, returns ``False`` before anything is read or printed, and the
click application runs as always.

The same functions do the work and the printing as under click. Only a clean run is
finished here: if checking raises anything (an error for the user, or a bug), nothing has
been printed yet and checking reads only, so the click application runs the same command
line again and reports the error in its usual words. ``tests/test_quick.py`` holds both
paths' outputs identical.
"""

from __future__ import annotations

import os
import sys

_FLAGS = {"--strict": "strict", "--json": "json", "-q": "quiet", "--quiet": "quiet"}
_FORMATS = ("text", "json")
_MANY_PATHS = 1000  # see workqueue.release_free_heap


def parse(args: list[str]) -> tuple[list[str], set[str], str] | None:
    """Return (paths, flags, output format) of a plain ``validate`` line, else None."""
    if not args or args[0] != "validate":
        return None
    paths: list[str] = []
    flags: set[str] = set()
    output_format = "text"
    rest = iter(args[1:])
    for arg in rest:
        if arg == "--":
            paths += list(rest)
            break
        if arg in _FLAGS:
            flags.add(_FLAGS[arg])
        elif arg == "--output-format" or arg.startswith("--output-format="):
            value = arg.partition("=")[2] if "=" in arg else next(rest, "")
            if value not in _FORMATS:
                return None
            output_format = value
        elif arg.startswith("-"):
            return None
        else:
            paths.append(arg)
    if "-" in paths or "" in paths:
        return None
    return paths, flags, output_format


def run(args: list[str]) -> int | None:
    """Run a plain ``validate`` line and return its exit code; None: let click run it."""
    parsed = parse(args)
    if parsed is None:
        return None
    paths, flags, output_format = parsed
    if len(paths) > _MANY_PATHS:
        from continue_setup.check.workqueue import release_free_heap

        release_free_heap()  # the interpreter's freed copies of the names, before the fork
    from pathlib import Path

    from continue_setup.check.validate import validate_paths

    try:
        result = validate_paths([Path(p) for p in paths], config_dir=None,
                                environ=os.environ, strict="strict" in flags)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except Exception:  # an error or a bug: click reports it in its usual words
        return None
    from continue_setup.report import Output
    from continue_setup.report.validate import render_validate

    out = Output(json_mode="json" in flags or output_format == "json",
                 quiet="quiet" in flags, command="validate", buffer=True)
    render_validate(out, result)
    code = int(result.exit_code)
    out.finish(code)
    sys.stdout.flush()
    return code
