"""The one place that prints: text for people, one JSON document for scripts, secrets masked."""

from __future__ import annotations

import json
import os
import sys

from continue_setup.config import redact
from continue_setup.errors import SetupError

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import IO, Any

    from continue_setup.config.paths import StrPath

SCHEMA_VERSION = 1  # of every command's --json document; raised when a field changes meaning

_STYLES = {
    "error": "31;1",
    "warning": "33",
    "ok": "32",
    "dim": "2",
    "bold": "1",
    "added": "32",
    "removed": "31",
    "header": "36",
}


def wants_color(stream: IO[str]) -> bool:
    """Colour only on a terminal, never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return _is_terminal(stream) and os.environ.get("TERM") != "dumb"


def _is_terminal(stream: IO[str]) -> bool:
    return hasattr(stream, "isatty") and stream.isatty()


def display_path(path: StrPath | None) -> str:
    """Show a path with the home directory as ``~`` where that is shorter."""
    if path is None:
        return ""
    text = str(path)
    home = os.path.expanduser("~")
    if home not in ("~", "/") and (text == home or text.startswith(home + os.sep)):
        return "~" + text[len(home) :]
    return text


class Output:
    """Where a command's words go, and in which form."""

    def __init__(
        self,
        *,
        json_mode: bool = False,
        quiet: bool = False,
        debug: bool = False,
        color: bool | None = None,
        stdout: IO[str] | None = None,
        stderr: IO[str] | None = None,
        command: str = "",
        buffer: bool = False,
    ) -> None:
        self.json_mode = json_mode
        self.command = command
        # Buffered: the JSON document waits for the run's final exit code (``finish``).
        self.buffer = buffer
        self.payload: dict[str, Any] | None = None
        self.quiet = quiet
        self.debug = debug
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self.color = wants_color(self.stdout) if color is None else color

    def style(self, text: str, kind: str) -> str:
        if not self.color or kind not in _STYLES:
            return text
        return f"\x1b[{_STYLES[kind]}m{text}\x1b[0m"

    def line(self, text: str = "") -> None:
        """Print a line for people on stdout (not in --json or --quiet mode)."""
        if self.json_mode or self.quiet:
            return
        self.stdout.write(redact.redact(text) + "\n")

    def note(self, text: str) -> None:
        """Print a remark on stderr (not in --quiet mode)."""
        if self.quiet:
            return
        self.stderr.write(redact.redact(text) + "\n")

    def warn(self, text: str) -> None:
        if self.json_mode:
            return
        self.note(f"{self.style('warning:', 'warning')} {text}")

    def raw(self, text: str) -> None:
        """Print a document (a config, a diff) as it is, masked; shown even with --quiet."""
        self.stdout.write(redact.redact(text))
        if text and not text.endswith("\n"):
            self.stdout.write("\n")

    def json(self, payload: dict[str, Any]) -> None:
        """Hand over the run's one JSON document (its own fields; ``finish`` adds the envelope).

        Buffered outputs print it once the exit code is final; others print it now.
        """
        if self.buffer:
            self.payload = payload
            return
        code = payload.get("exit_code", 0 if payload.get("ok", True) else 1)
        self._print_json(self.envelope(payload, int(code)))

    def envelope(self, payload: dict[str, Any], code: int) -> dict[str, Any]:
        """Return ``payload`` inside the envelope every command's JSON shares."""
        head = {"schema_version": SCHEMA_VERSION, "command": self.command, "ok": code == 0,
                "exit_code": code}
        return {**head, **{k: v for k, v in payload.items() if k not in head}}

    def finish(self, code: int) -> None:
        """Print the buffered JSON document with the run's final exit code (``--json`` only)."""
        if self.json_mode and self.buffer:
            self._print_json(self.envelope(self.payload or {}, code))
            self.payload = None

    def _print_json(self, document: dict[str, Any]) -> None:
        """Print one JSON document.

        Indented at a terminal; one line for scripts, which json's C encoder writes ~10x
        faster than the indented form (it shows on a thousand files' results).
        """
        indent = 2 if _is_terminal(self.stdout) else None
        from continue_setup.report import jsonstream

        if jsonstream.has_items(document):  # a list too large to hold as one text
            if indent is None:
                jsonstream.write_streamed(self.stdout, document)
                self.stdout.flush()
                return
            document = jsonstream.materialized(document)
        text = json.dumps(document, indent=indent, ensure_ascii=False, default=str)
        self.stdout.write(redact.redact(text) + "\n")
        self.stdout.flush()

    def error(self, error: SetupError, traceback_text: str | None = None) -> None:
        """Report a refusal: where, what, what to do; the traceback only with --debug."""
        if traceback_text and self.debug:
            self.stderr.write(redact.redact(traceback_text))
        if self.json_mode:
            self.payload = None  # the error is the run's document
            self._print_json(self.envelope({"error": error_dict(error)}, int(error.exit_code)))
            return
        where = error.where()
        head = f"{self.style('error:', 'error')} "
        message = error.message
        if where and error.path and error.path in message and error.line is None:
            where = ""
        text = head + (f"{where}: " if where else "") + message
        if error.hint:
            text += f"\n  {self.style('hint:', 'dim')} {error.hint}"
        self.stderr.write(redact.redact(text) + "\n")


def error_dict(error: SetupError) -> dict[str, Any]:
    """Return the JSON form of an error."""
    return {
        "code": error.code,
        "message": error.message,
        "hint": error.hint,
        "path": error.path,
        "pointer": error.pointer,
        "line": error.line,
        "column": error.column,
        "details": list(error.details),
    }
