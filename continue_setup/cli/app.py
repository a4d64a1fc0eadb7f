"""The ``continue-setup`` command: wiring, shared options, and the one place errors end runs."""

from __future__ import annotations

import functools
import importlib
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

import click

from continue_setup import __version__
from continue_setup.errors import ExitCode, SetupError, UsageError

if TYPE_CHECKING:
    from continue_setup.report import Output

F = Callable[..., Any]
# The outputs of the commands running now, innermost last: App.main ends each run through
# its command's output, which then prints the one JSON document with the final exit code.
ACTIVE: list[Output] = []
# Where each command lives: a run imports its own command's module only.
COMMAND_MODULES = {
    "backups": "backups",
    "demo": "demo",
    "doctor": "doctor",
    "init": "init",
    "migrate": "migrate",
    "models": "ping",
    "ping": "ping",
    "remove": "remove",
    "restore": "backups",
    "rotate-key": "rotate",
    "templates": "templates",
    "validate": "validate",
}


class App(click.Group):
    """A click group whose ``main`` turns every error into a message and an exit code.

    Commands are loaded when they are asked for (click's lazy-loading pattern), so a run
    imports one command module rather than all of them.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMAND_MODULES) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMAND_MODULES.get(cmd_name)
        if module is not None and cmd_name not in self.commands:
            importlib.import_module(f"continue_setup.cli.{module}")  # registers on ``cli``
        return super().get_command(ctx, cmd_name)

    def resolve_command(self, ctx: click.Context, args: list[str]
                        ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as e:
            # click says "No such command"; name the command that was most likely meant.
            import difflib

            name = args[0] if args else ""
            known = self.list_commands(ctx)
            close = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.6)
            if close and name not in known:
                raise click.UsageError(f"{e.message} Did you mean '{close[0]}'?",
                                       e.ctx) from None
            raise

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> NoReturn:
        argv = list(sys.argv[1:] if args is None else args)
        if len(argv) > _MANY_ARGUMENTS:
            from continue_setup.check.workqueue import release_free_heap

            release_free_heap()  # the interpreter's freed copies of them, before click's own
        from continue_setup.report import Output

        depth = len(ACTIVE)  # a run inside a run (demo) keeps its own outputs
        out = Output(json_mode="--json" in argv, debug="--debug" in argv,
                     command=_command_in(argv))
        error: SetupError | None = None
        trace: str | None = None
        try:
            code = super().main(argv, prog_name or "continue-setup", complete_var,
                                standalone_mode=False, **extra)
        except click.exceptions.Exit as e:
            code = e.exit_code
        except click.exceptions.Abort:
            out.note("aborted; nothing was written")
            code = 130
        except click.ClickException as e:
            if out.json_mode:
                error = UsageError(e.format_message())
            else:
                e.show()
            code = ExitCode.USAGE
        except KeyboardInterrupt:
            out.note("interrupted")
            code = 130
        except Exception as e:  # an error for the user, an unreadable path, or a bug
            from continue_setup.cli.ending import error_of

            error, trace, code = error_of(e, argv)
        code = int(code or 0) if isinstance(code, int) else 0
        started = ACTIVE[depth:]
        del ACTIVE[depth:]
        # The command's own output knows its name and flags; the last one is the subcommand's.
        final = started[-1] if started else out
        if error is not None:
            final.error(error, trace)
        else:
            final.finish(code)
        sys.stdout.flush()
        sys.exit(code)


_MANY_ARGUMENTS = 1000  # file names; see release_free_heap


def _command_in(argv: list[str]) -> str:
    """Name the command an argv asks for, before click has parsed it (for usage errors)."""
    return next((a for a in argv if a in COMMAND_MODULES), "")


@click.group(cls=App, context_settings={"help_option_names": ["-h", "--help"],
                                        "max_content_width": 80})
@click.version_option(__version__, "-V", "--version", prog_name="continue-setup")
def cli() -> None:
    """Set up, check and smoke-test Continue (continue.dev) for the Langdock API."""


def output_options(func: F) -> F:
    """Add --json, --quiet, --debug to a command and hand it an ``out`` object."""

    @click.option("--json", "json_mode", is_flag=True,
                  help="Print one JSON document for scripts (see the README's Exit codes).")
    @click.option("-q", "--quiet", is_flag=True,
                  help="Print nothing on success; failures and --json still print.")
    @click.option("--debug", is_flag=True, help="Show tracebacks of errors (keys masked).")
    @functools.wraps(func)
    def wrapper(*args: Any, json_mode: bool, quiet: bool, debug: bool, **kwargs: Any) -> Any:
        from continue_setup.report import Output

        ctx = click.get_current_context()
        # A group's flags hold for its subcommands: ``templates --json show gpt``.
        parent = ACTIVE[-1] if ACTIVE and ctx.parent is not None and \
            ctx.parent.parent is not None else None
        if parent is not None:
            json_mode, quiet, debug = (json_mode or parent.json_mode, quiet or parent.quiet,
                                       debug or parent.debug)
        name = " ".join(ctx.command_path.split()[1:])
        out = Output(json_mode=json_mode, quiet=quiet, debug=debug, command=name, buffer=True)
        ACTIVE.append(out)
        return func(*args, out=out, **kwargs)
    return wrapper


def render_help() -> str:
    """Return the top-level help exactly as click prints it at the fast path's width."""
    with click.Context(cli, info_name="continue-setup", terminal_width=80,
                       **cli.context_settings) as ctx:
        return cli.get_help(ctx) + "\n"


def write_help() -> None:
    """Regenerate help.txt, the start-up fast path's copy of the top-level help."""
    from continue_setup.resources import HELP_FILE

    with open(HELP_FILE, "w", encoding="utf-8") as handle:
        handle.write(render_help())


def main() -> NoReturn:
    """Entry point of the ``continue-setup`` script."""
    cli.main()

