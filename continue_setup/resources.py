"""Find the bundled data folders: inside the installed package, or at the top of a checkout.

Paths here are text: ``validate`` runs without loading ``pathlib`` (issue 18).
"""

from __future__ import annotations

import os
from functools import cache

_PACKAGE = os.path.dirname(os.path.abspath(__file__))
# The top-level help as click renders it at HELP_WIDTH, for the start-up fast path (``_start``).
HELP_FILE = os.path.join(_PACKAGE, "help.txt")
HELP_WIDTH = 80  # click's max_content_width for help.txt


@cache
def data_dir(name: str) -> str:
    """Return the folder ``name`` (``schemas`` or ``templates``) shipped with the package."""
    package = os.path.realpath(_PACKAGE)
    for candidate in (os.path.join(package, name),
                      os.path.join(os.path.dirname(package), name)):
        if os.path.isdir(candidate):
            return candidate
    raise FileNotFoundError(f"the bundled {name}/ folder is missing from {package}")
