"""A click-free path for the commonest read-only command lines.

``validate`` is what editors, hooks and CI run most, often once per saved file, and
``doctor --offline`` and ``migrate --dry-run`` are how people look before they change
anything; click's import alone cost about as much as the rest of such a run. So ``_start``
hands their plain shapes here:

- ``validate [--strict] [--json] [-q|--quiet] [--output-format text|json] [--] PATH...``
  (or no path: the config Continue loads);
- ``doctor --offline [--json] [-q|--quiet] [--config-dir DIR | --home DIR]``;
- ``migrate --dry-run [--json] [-q|--quiet] [--config-dir DIR | --home DIR]``.

Any other token (``-``, a source file, ``--fix``, ``--debug``, ``--help``...) returns
``None`` before anything is read or printed, and the click application runs as always.

The same functions do the work and the printing as under click, with click's defaults.
Only a clean run is finished here: these commands only read, and everything is printed
after the work is done, so if the work raises anything (an error for the user, or a bug),
nothing has been printed yet and the click application runs the same command line again
and reports the error in its usual words. ``tests/cli/test_quick.py`` holds both paths'
outputs identical.
"""

from __future__ import annotations

import os
import sys

from continue_setup.records import NamedTuple

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from collections.abc import Callable

    from continue_setup.config.paths import ConfigDir
    from continue_setup.report import Output
    from continue_setup.setup.asuser import Owner

_OUTPUT = {"--json": "json", "-q": "quiet", "--quiet": "quiet"}
# Per command: its flags (by canonical name), options with a value (None: any folder), whether
# it takes paths, and the flag without which it is not read-only (so not ours).
_COMMANDS: dict[str, tuple[dict[str, str], dict[str, tuple[str, ...] | None], bool, str]] = {
    "validate": ({"--strict": "strict", **_OUTPUT}, {"--output-format": ("text", "json")},
                 True, ""),
    "doctor": ({"--offline": "offline", **_OUTPUT}, {"--config-dir": None, "--home": None},
               False, "offline"),
    "migrate": ({"--dry-run": "dry-run", **_OUTPUT}, {"--config-dir": None, "--home": None},
                False, "dry-run"),
}


class Line(NamedTuple):
    """A command line the click-free path can run."""

    command: str
    paths: list[str]
    flags: frozenset[str]
    values: dict[str, str]


def parse(args: list[str]) -> Line | None:
    """Return the plain command line ``args`` is, else None (click's to read)."""
    if not args or args[0] not in _COMMANDS:
        return None
    flag_names, value_options, takes_paths, required = _COMMANDS[args[0]]
    paths: list[str] = []
    flags: set[str] = set()
    values: dict[str, str] = {}
    rest = iter(args[1:])
    for arg in rest:
        name, _, inline = arg.partition("=")
        if arg == "--" and takes_paths:
            paths += list(rest)
            break
        if arg in flag_names:
            flags.add(flag_names[arg])
        elif name in value_options and name.lstrip("-") not in values:
            value = inline if "=" in arg else next(rest, "")
            allowed = value_options[name]
            if not _fits(value, allowed):
                return None
            values[name.lstrip("-")] = value
        elif arg.startswith("-") or not takes_paths:
            return None
        else:
            paths.append(arg)
    if "-" in paths or "" in paths or (required and required not in flags):
        return None
    if "config-dir" in values and "home" in values:
        return None  # click decides which one wins; leave it to say so
    return Line(args[0], paths, frozenset(flags), values)


def _fits(value: str, allowed: tuple[str, ...] | None) -> bool:
    """Whether click would take ``value``: one of ``allowed``, or a folder that may exist."""
    if allowed is not None:
        return value in allowed
    # click.Path(file_okay=False): an existing file is refused, in click's words.
    return bool(value) and not value.startswith("-") and (
        os.path.isdir(value) or not os.path.exists(value))


def run(args: list[str]) -> int | None:
    """Run a plain read-only command line and return its exit code; None: click runs it."""
    line = parse(args)
    if line is None:
        return None
    work = {"validate": _validate, "doctor": _doctor, "migrate": _migrate}[line.command]
    show: Callable[[Output], int] | None
    try:
        show = work(line)
    except KeyboardInterrupt:
        # Word for word what click's run says (click turns it into Abort), even with --quiet.
        sys.stderr.write("\naborted; nothing was written\n")
        show = None
    except Exception:  # an error or a bug: click reports it in its usual words
        return None
    from continue_setup.report import Output

    out = Output(json_mode="json" in line.flags or line.values.get("output-format") == "json",
                 quiet="quiet" in line.flags, command=line.command, buffer=True)
    try:
        code = show(out) if show is not None else 130
        out.finish(code)  # with --json, the run's document, also for an interrupted one
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (| head): end quietly with 1, as click does
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # nothing left to flush at exit can fail
        return 1
    return code


def _directory(line: Line) -> tuple[ConfigDir, Owner | None]:
    """Return Continue's directory and the owner of what is there, as the commands find them."""
    from pathlib import Path

    from continue_setup.config.paths import resolve_config_dir
    from continue_setup.setup.asuser import target_owner

    config_dir = Path(line.values["config-dir"]) if "config-dir" in line.values else None
    home = Path(line.values["home"]) if "home" in line.values else None
    directory = resolve_config_dir(config_dir, home=home)
    return directory, target_owner(directory.path, home=home)


def _validate(line: Line) -> Callable[[Output], int]:
    from pathlib import Path

    from continue_setup.check.validate import validate_paths
    from continue_setup.report.validate import render_validate

    result = validate_paths([Path(p) for p in line.paths], config_dir=None,
                            environ=os.environ, strict="strict" in line.flags)

    def show(out: Output) -> int:
        render_validate(out, result)
        return int(result.exit_code)
    return show


def _doctor(line: Line) -> Callable[[Output], int]:
    from continue_setup.config.keys import read_key
    from continue_setup.errors import UsageError
    from continue_setup.repair.doctor import run_doctor
    from continue_setup.report.doctor import render_doctor, render_offline

    try:
        key = read_key(env=os.environ)
    except UsageError:
        key = None  # a report only plans; a bad key matters when applying (as under click)
    directory, owner = _directory(line)
    diagnosis, _ = run_doctor(directory, environ=os.environ, offline=True,
                              key=key.reveal() if key else None, owner=owner)

    def show(out: Output) -> int:
        shown = not out.json_mode
        if shown:  # what click's run prints before the (here skipped) probes
            render_offline(out, diagnosis)
        render_doctor(out, diagnosis, None, offline_shown=shown)
        return int(diagnosis.exit_code)
    return show


def _migrate(line: Line) -> Callable[[Output], int]:
    from continue_setup.repair.migrate import run_migrate
    from continue_setup.report.migrate import render_migrate

    directory, owner = _directory(line)
    plan, result = run_migrate(directory, source=None, key_storage="inline", force=False,
                               dry_run=True, retire=False, owner=owner)

    def show(out: Output) -> int:
        render_migrate(out, plan, result, diff=False)
        return 0
    return show
