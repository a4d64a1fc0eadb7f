"""Live progress on a terminal's stderr while probes run: a spinner per entry, then its verdict.

Hand-written rather than ``rich``: the display is a few lines redrawn with ANSI cursor
moves, while importing rich.live, rich.table and rich.progress took 45-90 ms here
(``python -X importtime``), this module ~2 ms. Scripts never see it:
``live_progress`` returns None unless stderr is a terminal and the run is neither --json nor
--quiet. The area is erased when the probes end, so the final table prints once, as piped.
"""

from __future__ import annotations

import os
import threading

from continue_setup.config import redact
from continue_setup.report import Output, _is_terminal, wants_color

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import IO

    from continue_setup.probe.probes import ProbeResult

_FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
_TICK = 0.08  # seconds between spinner frames
_OK = {"ok"}
_WARN = {"model_unavailable", "rate_limited"}


def live_progress(out: Output) -> Progress | None:
    """Return a progress display for ``out``'s stderr, or None where nobody watches."""
    if out.json_mode or out.quiet or not _is_terminal(out.stderr):
        return None
    return Progress(out.stderr)


class Progress:
    """A probe listener that draws one line per entry on a terminal, in a stable order."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.color = wants_color(stream)
        self.titles: list[str] = []
        self.states: list[str] = []
        self.results: dict[int, ProbeResult] = {}
        self.note = ""
        self.frame = 0
        self.drawn = 0
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None

    # --- the Listener protocol of probe.probes -----------------------------------------

    def started(self, titles: list[str]) -> None:
        """Show a spinner for every entry at once, then keep it turning."""
        with self.lock:
            self.titles = list(titles)
            self.states = ["probing…"] * len(titles)
            self.results = {}
            self.stop.clear()
            self._draw()
        self.thread = threading.Thread(target=self._spin, name="progress", daemon=True)
        self.thread.start()

    def finished(self, index: int, result: ProbeResult) -> None:
        """Turn entry ``index``'s spinner into its verdict."""
        with self.lock:
            self.results[index] = result
            self._draw()

    def waiting(self, index: int | None, text: str) -> None:
        """Say why an entry (or the whole run, for None) is waiting."""
        with self.lock:
            if index is None:
                self.note = text
            elif 0 <= index < len(self.states):
                self.states[index] = text
            self._draw()

    def ended(self) -> None:
        """Stop the spinner and erase the area, leaving the terminal as it was."""
        self.stop.set()
        if self.thread is not None:
            self.thread.join(timeout=1)
            self.thread = None
        with self.lock:
            self._erase()
            self.stream.flush()

    # --- drawing -------------------------------------------------------------------------

    def _spin(self) -> None:
        while not self.stop.wait(_TICK):
            with self.lock:
                self.frame += 1
                self._draw()

    def _paint(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color else text

    def _row(self, index: int, width: int) -> str:
        title = self.titles[index]
        result = self.results.get(index)
        if result is None:
            mark = self._paint(_FRAMES[self.frame % len(_FRAMES)], "36")
            tail = self.states[index]
        else:
            code = "32" if result.category in _OK else "33" if result.category in _WARN else "31"
            mark = self._paint("✓" if result.category in _OK else "✗", code)
            status = "-" if result.status is None else str(result.status)
            ms = "" if result.latency_ms is None else f"  {result.latency_ms} ms"
            tail = f"{status}{ms}  {result.category}"
        return f"  {mark} " + fit(f"{title}  {tail}", width - 4)

    def _lines(self) -> list[str]:
        size = _size(self.stream)
        width = max(size.columns, 20)
        lines = [fit(f"  {self.note}", width)] if self.note else []
        done = len(self.results)
        if len(self.titles) + len(lines) >= size.lines:  # taller than the screen: one line
            spinner = _FRAMES[self.frame % len(_FRAMES)]
            failed = sum(1 for r in self.results.values() if r.category not in _OK | _WARN)
            return [*lines, fit(f"  {spinner} probing: {done} of {len(self.titles)} done"
                                f" ({failed} failed)", width)]
        return [*lines, *(self._row(i, width) for i in range(len(self.titles)))]

    def _draw(self) -> None:
        lines = self._lines()
        text = f"\x1b[{self.drawn}F" if self.drawn else "\r"
        text += "".join(f"\x1b[K{line}\n" for line in lines) + "\x1b[J"
        self.stream.write(redact.redact(text))
        self.stream.flush()
        self.drawn = len(lines)

    def _erase(self) -> None:
        if self.drawn:
            self.stream.write(f"\x1b[{self.drawn}F\x1b[J")
            self.drawn = 0


def _size(stream: IO[str]) -> os.terminal_size:
    """Return the size of the terminal ``stream`` draws on ($COLUMNS and $LINES win)."""
    try:
        size = os.get_terminal_size(stream.fileno())
    except (AttributeError, OSError, ValueError):  # not a real descriptor (tests)
        import shutil  # only a live display at a terminal asks (shutil loads bz2 and lzma)

        return shutil.get_terminal_size()
    columns, lines = os.environ.get("COLUMNS", ""), os.environ.get("LINES", "")
    # A terminal that never said its size reports 0: take the usual 80 by 24.
    return os.terminal_size((int(columns) if columns.isdigit() else size.columns or 80,
                             int(lines) if lines.isdigit() else size.lines or 24))


def fit(text: str, width: int) -> str:
    """Shorten ``text`` to ``width`` characters, ending with … when cut."""
    if width <= 0:
        return ""
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"
