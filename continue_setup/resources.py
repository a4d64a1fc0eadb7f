"""Find the bundled data folders: inside the installed package, or at the top of a checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

# The top-level help as click renders it at HELP_WIDTH, for the start-up fast path (``_start``).
HELP_FILE = Path(__file__).with_name("help.txt")
HELP_WIDTH = 80  # click's max_content_width for help.txt


@cache
def data_dir(name: str) -> Path:
    """Return the folder ``name`` (``schemas`` or ``templates``) shipped with the package."""
    package = Path(__file__).resolve().parent
    for candidate in (package / name, package.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the bundled {name}/ folder is missing from {package}")
