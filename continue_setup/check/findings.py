"""Findings: what is wrong, how badly, where, and what to do about it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NamedTuple

Severity = Literal["error", "warning"]


class Finding(NamedTuple):
    """One problem in a config, placed by JSON pointer and, where known, line and column.

    A named tuple: a run over a thousand configs makes and pickles thousands of these, and
    a frozen dataclass costs ~4x as much to build and ~1 ms to define at import.
    """

    severity: Severity
    code: str
    pointer: str
    message: str
    hint: str = ""
    line: int | None = None
    column: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()


@dataclass(eq=False, slots=True)  # mutable: compared by identity; slots: 10,000 of them
class FileReport:
    """Every finding for one file."""

    path: Path | None
    format: str
    loaded_by_continue: bool
    findings: list[Finding] = field(default_factory=list)

    @property
    def unreadable(self) -> bool:
        """Whether the file could not be read at all."""
        return any(f.code == "unreadable" for f in self.findings)

    def tally(self) -> tuple[int, int]:
        """Return how many errors and how many warnings the file has."""
        errors = sum(1 for f in self.findings if f.severity == "error")
        return errors, len(self.findings) - errors

    def valid(self, *, strict: bool = False) -> bool:
        if strict:
            return not self.findings  # every finding is an error or a warning
        return all(f.severity != "error" for f in self.findings)

    def sort(self) -> None:
        """Order findings errors first, then by position in the file."""
        self.findings.sort(
            key=lambda f: (f.severity != "error", f.line or 0, f.column or 0, f.pointer, f.code)
        )
