"""Findings: what is wrong, how badly, where, and what to do about it."""

from __future__ import annotations

from continue_setup.records import NamedTuple

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any, Literal

    from continue_setup.config.paths import StrPath
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


class FileReport:
    """Every finding for one file (mutable, so compared by identity)."""

    __slots__ = ("findings", "format", "loaded_by_continue", "path")  # 10,000 of them

    def __init__(self, path: StrPath | None, format: str, loaded_by_continue: bool,
                 findings: list[Finding] | None = None) -> None:
        self.path = path
        self.format = format
        self.loaded_by_continue = loaded_by_continue
        self.findings: list[Finding] = [] if findings is None else findings

    def __repr__(self) -> str:
        return (f"FileReport(path={self.path!r}, format={self.format!r}, "
                f"loaded_by_continue={self.loaded_by_continue!r}, findings={self.findings!r})")

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
