"""Options several writing commands share."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from continue_setup.cli.inputs import ORG_SETTINGS_ENV

# Declining a confirmation ends every command with exit 1 (nothing was done: the answer was
# no), apart from usage errors (2) and interrupts (130).
DECLINED = "declined at the prompt"
DEFAULT_KEEP = 10  # setup.backups.DEFAULT_KEEP, repeated so --help imports nothing heavy


def keep_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add --keep N: how many backups of each file to keep after writing."""
    return click.option(
        "--keep", type=click.IntRange(min=1), default=DEFAULT_KEEP, show_default=True,
        metavar="N", help="Keep the newest N backups of each file; delete older ones.",
    )(func)


def _refuse(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        from continue_setup.config import redact
        from continue_setup.errors import UsageError

        redact.register(value)
        raise UsageError(
            "the key is never given on the command line, where other users and shell history "
            "can see it",
            hint="Set LANGDOCK_API_KEY, or use --api-key-stdin or --api-key-file.",
        )


def refuse_key_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add a hidden --api-key that refuses, saying how to give the key instead."""
    return click.option("--api-key", hidden=True, expose_value=False, callback=_refuse)(func)


# --- one grammar: an option shared by several commands is defined once, here -------------

REGIONS = ("eu", "us")


def template_names(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Complete template (entry) names, after the last comma of a list like ``gpt,cl``."""
    from click.shell_completion import CompletionItem

    from continue_setup.setup.templates import load_templates

    head, _, tail = incomplete.rpartition(",")
    prefix = f"{head}," if head else ""
    return [CompletionItem(prefix + name) for name in load_templates(None)
            if name.startswith(tail)]


SHARED: dict[str, dict[str, Any]] = {
    "--yes": {"is_flag": True, "help": "Never prompt: go ahead without asking, and fail where "
              "an answer is needed."},
    "--dry-run": {"is_flag": True, "help": "Show what would change; write nothing."},
    "--diff": {"is_flag": True, "help": "Print a diff of what would change; write nothing."},
    "--api-key-stdin": {"is_flag": True, "help": "Read the key from standard input."},
    "--api-key-file": {"type": click.Path(dir_okay=False, path_type=Path), "metavar": "FILE",
                       "help": "Read the key from this file."},
    "--timeout": {"type": click.FloatRange(min=0.1, max=600), "default": 15.0,
                  "show_default": True, "metavar": "SECONDS",
                  "help": "Time each call may take in total: connect, send, answer."},
    "--region": {"type": click.Choice(REGIONS), "metavar": "REGION",
                 "help": "Langdock region: eu or us [default: the config's, else eu]."},
    "--base-url": {"metavar": "URL", "help": "Dedicated deployment, e.g. "
                   "https://acme.langdock.com/api/public [default: the config's, else the "
                   "public API]."},
    "--template-dir": {"type": click.Path(file_okay=False, path_type=Path), "metavar": "DIR",
                       "help": "Also read the *.json templates of this directory (they add "
                       "to or replace the built-in ones)."},
    "--org-settings": {"type": click.Path(dir_okay=False, path_type=Path), "metavar": "FILE",
                       "envvar": ORG_SETTINGS_ENV, "show_envvar": True,
                       "help": "Organisation settings file (JSON): defaults that options "
                       "given here override."},
    "--tools": {"is_flag": True, "help": "Offer one tiny function tool, as Continue's Agent "
                "mode does, and require the model to accept it (else tools_unsupported)."},
}
_SHORT = {"--yes": "-y"}


def shared(name: str, **overrides: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Add the shared option ``name``, with the one type, metavar and help it has everywhere."""
    decls = [d for d in (_SHORT.get(name), name) if d]
    if "dest" in overrides:
        decls.append(overrides.pop("dest"))
    return click.option(*decls, **{**SHARED[name], **overrides})

