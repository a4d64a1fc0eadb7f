"""A click-free path for the commonest command lines.

``validate`` is what editors, hooks and CI run most, often once per saved file;
``doctor --offline`` and ``migrate --dry-run`` are how people look before they change
anything; ``init --yes --no-ping`` is what a fleet's provisioning runs on every machine.
click's import alone cost about as much as the rest of such a run. So ``_start`` hands
their plain shapes here:

- ``validate [--strict] [--json] [-q|--quiet] [--output-format text|json] [--] PATH...``
  (or no path: the config Continue loads);
- ``doctor --offline [--json] [-q|--quiet] [--config-dir DIR | --home DIR]``;
- ``migrate --dry-run [--json] [-q|--quiet] [--config-dir DIR | --home DIR]``;
- ``init`` with ``--no-ping`` (or ``--dry-run``, ``--diff``, ``--check``), not asking
  questions (``--yes``, ``--json``, ``--check`` or no terminal), and only the options in
  ``_COMMANDS`` below.

Any other token (``-``, a source file, ``--fix``, ``--debug``, ``--help``, ``--timeout``...)
or a value click would refuse returns ``None`` before anything is read or printed, and the
click application runs as always.

The same functions do the work and the printing as under click, with click's defaults.
The read-only commands print everything after the work is done, so if the work raises
anything (an error for the user, or a bug), nothing has been printed yet and the click
application runs the same command line again and reports the error in its usual words.
``init`` writes, so it is never run twice: its errors end here, through the same
``cli.ending`` as the click application's. ``tests/cli/test_quick.py`` and
``tests/cli/test_quick_init.py`` hold both paths' outputs (and files) identical.
"""

from __future__ import annotations

import os
import sys

from continue_setup.records import NamedTuple

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from continue_setup.config.paths import ConfigDir
    from continue_setup.errors import SetupError
    from continue_setup.report import Output
    from continue_setup.setup.asuser import Owner

    # What an option's value may be for click to take it: one of these words, a folder that
    # may exist ("dir", click.Path(file_okay=False)), a file that may exist ("file",
    # dir_okay=False), a count of at least 1 ("count", click.IntRange(min=1)) or any word.
    Kind = tuple[str, ...] | str

_OUTPUT = {"--json": "json", "-q": "quiet", "--quiet": "quiet"}
_HOME: dict[str, Kind] = {"--config-dir": "dir", "--home": "dir"}
# Per command: its flags (by canonical name), options with a value and their kind, whether it
# takes paths, and the flags of which it needs one to be ours (read-only, or offline).
_COMMANDS: dict[str, tuple[dict[str, str], dict[str, Kind], bool, tuple[str, ...]]] = {
    "validate": ({"--strict": "strict", **_OUTPUT}, {"--output-format": ("text", "json")},
                 True, ()),
    "doctor": ({"--offline": "offline", **_OUTPUT}, _HOME, False, ("offline",)),
    "migrate": ({"--dry-run": "dry-run", **_OUTPUT}, _HOME, False, ("dry-run",)),
    # init without the network (no probe, no model lists) and without questions; its
    # prompts and probes, --timeout, --template-dir and --debug are click's.
    "init": ({"--no-ping": "no-ping", "--yes": "yes", "-y": "yes", "--dry-run": "dry-run",
              "--diff": "diff", "--check": "check", "--force": "force",
              "--carry-over": "carry-over", "--api-key-stdin": "api-key-stdin", **_OUTPUT},
             {**_HOME, "--region": ("eu", "us"), "--base-url": "text",
              "--format": ("auto", "json", "yaml"), "--key-storage": ("inline", "dotenv"),
              "--entries": "text", "--model": "text", "--api-key-file": "file",
              "--org-settings": "file", "--keep": "count"},
             False, ("no-ping", "dry-run", "diff", "check")),
}
_REPEATABLE = "--model"  # init's --model NAME=ID, given once per entry


class Line(NamedTuple):
    """A command line the click-free path can run."""

    command: str
    paths: list[str]
    flags: frozenset[str]
    values: dict[str, str]
    models: tuple[str, ...] = ()


def parse(args: list[str]) -> Line | None:
    """Return the plain command line ``args`` is, else None (click's to read)."""
    if not args or args[0] not in _COMMANDS:
        return None
    flag_names, value_options, takes_paths, required = _COMMANDS[args[0]]
    paths: list[str] = []
    flags: set[str] = set()
    values: dict[str, str] = {}
    models: list[str] = []
    rest = iter(args[1:])
    for arg in rest:
        name, _, inline = arg.partition("=")
        if arg == "--" and takes_paths:
            paths += list(rest)
            break
        if arg in flag_names:
            flags.add(flag_names[arg])
        elif name in value_options and (name == _REPEATABLE or name.lstrip("-") not in values):
            value = inline if "=" in arg else next(rest, None)
            if value is None or not _fits(value, value_options[name]):
                return None
            if name == _REPEATABLE:
                models.append(value)
            else:
                values[name.lstrip("-")] = value
        elif arg.startswith("-") or not takes_paths:
            return None
        else:
            paths.append(arg)
    if "-" in paths or "" in paths or (required and flags.isdisjoint(required)):
        return None
    if "config-dir" in values and "home" in values:
        return None  # click decides which one wins; leave it to say so
    return Line(args[0], paths, frozenset(flags), values, tuple(models))


def _fits(value: str, kind: Kind) -> bool:
    """Whether click would take ``value`` for an option of this kind (see ``Kind``)."""
    if isinstance(kind, tuple):
        return value in kind
    if not value or value.startswith("-"):
        return False  # nothing, or what may be the next option: click's to judge
    if kind == "count":
        return value.isascii() and value.isdigit() and int(value) >= 1
    if kind == "text":
        return True
    # click.Path: an existing file where a folder is wanted (or the reverse) is refused.
    wrong = os.path.isfile if kind == "dir" else os.path.isdir
    return not wrong(value) and (os.path.exists(value) or not os.path.lexists(value))


def run(args: list[str]) -> int | None:
    """Run a plain read-only command line and return its exit code; None: click runs it."""
    line = parse(args)
    if line is None:
        return None
    if line.command == "init":
        return _init(line, args)
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
    except BrokenPipeError:
        return _reader_gone()
    return _end(out, code)  # with --json, the run's document, also for an interrupted one


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
    from continue_setup.check.validate import validate_paths
    from continue_setup.config.paths import clean
    from continue_setup.report.validate import render_validate

    # Paths as text, spelled as click's Path would: validate never loads pathlib (issue 18).
    result = validate_paths([clean(p) for p in line.paths], config_dir=None,
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


def _init(line: Line, args: list[str]) -> int | None:
    """Run a plain ``init`` as the click application would, or return None before anything
    is done if it would ask anything (click's prompts end on Ctrl-C in click's own way) or
    read organisation settings from the environment."""
    from continue_setup.cli.initflow import is_interactive
    from continue_setup.cli.inputs import ORG_SETTINGS_ENV, at_terminal

    flags, values = line.flags, line.values
    if is_interactive(yes="yes" in flags, check="check" in flags, json_mode="json" in flags) \
            or ("api-key-stdin" in flags and at_terminal(sys.stdin)) \
            or ("org-settings" not in values and os.environ.get(ORG_SETTINGS_ENV)):
        return None
    from continue_setup.cli.ending import error_of
    from continue_setup.cli.initflow import run_init_command
    from continue_setup.report import Output

    out = Output(json_mode="json" in flags, quiet="quiet" in flags, command="init", buffer=True)
    try:
        code = run_init_command(out, **init_options(line))
    except (KeyboardInterrupt, EOFError):
        sys.stderr.write("\naborted; nothing was written\n")  # click's words, as above
        code = 130
    except BrokenPipeError:  # click ends a run whose reader went away before its errors
        return _reader_gone()
    except Exception as e:  # the click application's words for the same error
        error, trace, code = error_of(e, args)
        return _end(out, code, error, trace)
    return _end(out, code)


def init_options(line: Line) -> dict[str, Any]:
    """Return the keyword arguments click gives ``init`` for ``line``: every option, with
    click's default where the line gives none (``tests/cli/test_quick_init.py`` compares)."""
    from pathlib import Path

    from continue_setup.setup.backups import DEFAULT_KEEP

    flags, values = line.flags, line.values

    def path(name: str) -> Path | None:
        return Path(values[name]) if name in values else None

    return {
        "format_": values.get("format"), "dry_run": "dry-run" in flags, "diff": "diff" in flags,
        "check": "check" in flags, "ping": "no-ping" not in flags, "write_anyway": False,
        "keep": int(values.get("keep", DEFAULT_KEEP)), "timeout": 15.0,
        "region": values.get("region"), "base_url": values.get("base-url"),
        "config_dir": path("config-dir"), "home": path("home"),
        "key_storage": values.get("key-storage"), "entries": values.get("entries"),
        "models": line.models, "template_dir": None,
        "api_key_stdin": "api-key-stdin" in flags, "api_key_file": path("api-key-file"),
        "force": "force" in flags, "carry_over": "carry-over" in flags, "yes": "yes" in flags,
        "org_settings": path("org-settings"),
    }


def _end(out: Output, code: int, error: SetupError | None = None,
         trace: str | None = None) -> int:
    """Print the run's end (its JSON document, or the error) as the click application does."""
    try:
        if error is not None:
            out.error(error, trace)
        else:
            out.finish(code)
        sys.stdout.flush()
    except BrokenPipeError:
        return _reader_gone()
    return code


def _reader_gone() -> int:
    """The reader went away (``| head``): end quietly with 1, as click does."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # nothing left to flush at exit can fail
    return 1
