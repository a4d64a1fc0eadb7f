"""Syntax ``doctor --fix`` can repair: JSON5 in a config.json that Continue reads as JSONC."""

from __future__ import annotations

from pathlib import Path

from continue_setup.config import parsing
from continue_setup.config.json5fix import to_jsonc
from continue_setup.repair.fixes import Fix
from continue_setup.setup.filechange import FileChange


def json5_fix(path: Path | None, changes: list[FileChange], fixes: list[Fix]
              ) -> parsing.Document | None:
    """Plan the JSON5-to-JSONC rewrite of ``path`` into ``changes`` and ``fixes``; return the
    rewritten document, or None when the file is not JSON or the rewrite is not safe."""
    if path is None or path.suffix != ".json":
        return None
    text = parsing.read_text(path)
    new = to_jsonc(text)
    if new is None:
        return None
    changes.append(FileChange(path, text, new))
    fixes.append(Fix("parse-error", "", "JSON5 syntax rewritten as JSONC (keys and strings in "
                     "double quotes); comments and layout kept", str(path)))
    return parsing.parse_text(new, "json", path)
