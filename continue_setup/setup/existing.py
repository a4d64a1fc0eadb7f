"""The config ``init`` updates, as it stands: read once, fast, and round-trip only to write."""

from __future__ import annotations

from pathlib import Path

from continue_setup.config import parsing
from continue_setup.errors import ConfigParseError

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from continue_setup.config.parsing import Format


def read_existing(
    path: Path, fmt: Format, force: bool, *, fast: bool = True
) -> tuple[parsing.Document, str | None, list[str]]:
    """Return the current document, the file's text (None if there is no file), and notes.

    YAML is read by the fast reader (same data and positions as ruamel), line by line where
    the file is as plain as the ones init writes; the round-trip tree (``round_trip``) is
    loaded only if something is to be written. So an unchanged re-run parses once, without
    importing a YAML library. ``fast=False``: ruamel reads it (and keeps the tree).
    """
    if not (path.exists() or path.is_symlink()):
        return parsing.new_document(fmt, path), None, []
    text = parsing.read_text(path)
    from continue_setup.config import fastyaml  # only for a file to read (not a fresh init)

    try:
        doc = fastyaml.load_yaml(text, path, by_lines=True) if fmt == "yaml" and fast else (
            parsing.parse_text(text, fmt, path))
        return doc, text, []
    except ConfigParseError as e:
        if not force:
            e.hint = (e.hint + " " if e.hint else "") + (
                "Fix the file, or run with --force to replace it (the original is kept as a "
                "backup)."
            )
            raise
        return (
            parsing.new_document(fmt, path),
            text,
            [
                f"{path} could not be parsed ({e.message}); it is replaced, and kept as a backup"
            ],
        )


def round_trip(doc: parsing.Document, text: str, path: Path) -> parsing.Document:
    """Return ``doc`` with ruamel's round-trip tree (it keeps comments when rendering),
    parsing ``text`` again if ``doc`` was read fast."""
    from continue_setup.config.fastyaml import FastYamlDocument

    return parsing.parse_text(text, "yaml", path) if isinstance(doc, FastYamlDocument) else doc
