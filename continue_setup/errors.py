"""The error hierarchy: every refusal carries the exit code it ends the run with."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import IntEnum

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any


class ExitCode(IntEnum):
    """Exit codes shared by every command."""

    OK = 0
    INVALID = 1  # the config is invalid or a check failed
    USAGE = 2  # usage error or bad input; nothing was written
    PROBE = 3  # an endpoint smoke test failed
    INTERNAL = 70  # a bug in continue-setup (EX_SOFTWARE)


class SetupError(Exception):
    """Base class: a message for a person, where it happened, and what to do."""

    exit_code: ExitCode = ExitCode.USAGE
    code: str = "error"

    def __init__(
        self,
        message: str,
        *,
        hint: str = "",
        path: str | None = None,
        pointer: str | None = None,
        line: int | None = None,
        column: int | None = None,
        details: Sequence[Mapping[str, Any]] = (),
    ) -> None:
        super().__init__(message)
        # Every item behind a summary message ("... for X"), complete, for --json.
        self.details = [dict(d) for d in details]
        self.message = message
        self.hint = hint
        self.path = path
        self.pointer = pointer
        self.line = line
        self.column = column

    def where(self) -> str:
        """Return ``file:line:column (pointer)`` for whatever parts are known."""
        place = self.path or ""
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        if self.pointer is not None:
            place += f" ({self.pointer or '/'})"
        return place.strip()


class UsageError(SetupError):
    """Bad options or input: nothing was written."""

    code = "usage"


class InputError(SetupError):
    """An input file (template, settings, key file) cannot be used."""

    code = "input"


class ConfigParseError(SetupError):
    """An existing Continue config cannot be parsed the way Continue parses it."""

    exit_code = ExitCode.INVALID
    code = "parse"


class ConfigInvalidError(SetupError):
    """A config we were about to write, or were asked to check, fails validation."""

    exit_code = ExitCode.INVALID
    code = "invalid"


class WriteError(SetupError):
    """A file could not be written; what was there is unchanged."""

    code = "write"


class UnsafePathError(WriteError):
    """A path under another user's home leads out of it (a planted link): refused."""

    code = "unsafe-path"


class ChangedMeanwhileError(WriteError):
    """A file changed between reading it and writing it; nothing was written over it."""

    code = "changed"


class ProbeFailedError(SetupError):
    """An endpoint smoke test failed, so nothing was written."""

    exit_code = ExitCode.PROBE
    code = "probe"
