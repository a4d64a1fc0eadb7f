"""One planned file write: what the file holds now and what it will hold."""

from __future__ import annotations

from pathlib import Path

from continue_setup.records import Record


class FileChange(Record):
    """One file ``init`` writes: its current text (None if new) and the text it will hold.

    Mutable (a fix may replace ``new``); its repr never shows the texts, which may hold keys.
    """

    __slots__ = ("new", "old", "path")
    _REPR = ("path",)

    def __init__(self, path: Path, old: str | None, new: str) -> None:
        self.path = path
        self.old = old
        self.new = new

    @property
    def changed(self) -> bool:
        return self.old != self.new
