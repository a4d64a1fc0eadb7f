"""What differs between two versions of a config or .env, named by place, never by value.

``backups`` and ``restore`` say what a backup would change without showing a key: JSON
pointers for configs (``/models/0/apiKey``), variable names for a .env.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from continue_setup.config import parsing
from continue_setup.config.keys import parse_dotenv
from continue_setup.config.paths import DOTENV_NAME
from continue_setup.config.reading import CONFIG_MAX_BYTES, read_capped
from continue_setup.errors import ConfigParseError, InputError
from continue_setup.setup.backups import Backup, managed_backups

MAX_PLACES = 20  # a summary, not a diff: past this, "and N more"


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _walk(old: Any, new: Any, pointer: str, out: list[str]) -> None:
    """Append the pointers where ``old`` and ``new`` differ, as deep as both are alike."""
    if type(old) is not type(new):
        out.append(pointer or "/")
    elif isinstance(old, dict):
        for key in dict.fromkeys([*old, *new]):
            if key not in old or key not in new:
                out.append(f"{pointer}/{_escape(str(key))}")
            else:
                _walk(old[key], new[key], f"{pointer}/{_escape(str(key))}", out)
    elif isinstance(old, list):
        if len(old) != len(new):
            out.append(pointer or "/")
        else:
            for index, (a, b) in enumerate(zip(old, new, strict=True)):
                _walk(a, b, f"{pointer}/{index}", out)
    elif old != new:
        out.append(pointer or "/")


def changed_places(old: str, new: str, path: Path) -> list[str] | None:
    """Return where ``new`` differs from ``old`` (pointers, or .env names); None if either
    cannot be parsed (then only a line count can be said)."""
    if path.name == DOTENV_NAME or path.name.startswith(DOTENV_NAME + ".bak-"):
        a, b = parse_dotenv(old), parse_dotenv(new)
        return [name for name in dict.fromkeys([*a, *b]) if a.get(name) != b.get(name)]
    fmt = parsing.format_from_name(path) or parsing.guess_format(None, new)
    try:
        a_data = parsing.parse_text(old, fmt, path).data
        b_data = parsing.parse_text(new, fmt, path).data
    except ConfigParseError:
        return None
    places: list[str] = []
    _walk(a_data, b_data, "", places)
    return places


def lines_changed(old: str, new: str) -> int:
    """Count the lines a unified diff from ``old`` to ``new`` adds or removes."""
    diff = difflib.unified_diff(old.splitlines(), new.splitlines(), n=0, lineterm="")
    return sum(1 for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---"))


@dataclass(frozen=True)
class Comparison:
    """How a backup differs from the file it would replace (no values, ever)."""

    backup: Backup
    current_exists: bool
    identical: bool
    places: list[str] | None  # None: unparseable, see lines
    lines: int

    def to_dict(self) -> dict[str, Any]:
        b = self.backup
        return {"name": b.path.name, "path": str(b.path), "file": str(b.original),
                "time": b.when.isoformat(sep=" "), "size": b.size,
                "identical_to_current": self.identical,
                "changed": None if self.places is None else self.places[:MAX_PLACES],
                "more_changed": 0 if self.places is None
                else max(0, len(self.places) - MAX_PLACES),
                "lines_changed": self.lines}


def _text(path: Path) -> str | None:
    try:
        data = read_capped(path, limit=CONFIG_MAX_BYTES, what="file")[0]
    except (OSError, InputError):  # a FIFO, a device or a huge file: nothing to compare
        return None
    return data.decode("utf-8", errors="replace")


def compare(backup: Backup) -> Comparison:
    """Compare ``backup`` with the current file: what restoring it would change."""
    old = _text(backup.original)
    new = _text(backup.path) or ""
    current = old or ""
    places = changed_places(current, new, backup.original) if old is not None else None
    return Comparison(backup, old is not None, old == new, places, lines_changed(current, new))


def inventory(directory: Path) -> dict[Path, list[Comparison]]:
    """Return every managed file's backups, newest first, each compared with the file."""
    return {path: [compare(b) for b in reversed(found)]
            for path, found in managed_backups(directory).items()}
