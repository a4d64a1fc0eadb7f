"""One planned file write: what the file holds now and what it will hold."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class FileChange:
    """One file ``init`` writes: its current text (None if new) and the text it will hold."""

    path: Path
    old: str | None
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new
