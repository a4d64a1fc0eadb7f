"""The command line: ``app`` is the click application, the other modules its commands.

The package itself loads nothing, so the click-free path (``_quick``) can use its plain
parts (``inputs``, ``initflow``) without importing click. The application's names are
still reachable here (``from continue_setup.cli import cli``); they load ``app`` on first use.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from continue_setup.cli.app import (
        ACTIVE,
        COMMAND_MODULES,
        App,
        cli,
        main,
        output_options,
        render_help,
        write_help,
    )

__all__ = ["ACTIVE", "COMMAND_MODULES", "App", "cli", "main", "output_options", "render_help",
           "write_help"]
_FROM_APP = frozenset(__all__)


def __getattr__(name: str) -> object:
    """Load the click application when one of its names is asked for (PEP 562)."""
    if name not in _FROM_APP:  # a submodule not yet imported: let the import system find it
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from continue_setup.cli import app

    return getattr(app, name)

