"""A run's listener (the terminal's progress) hears every step, in order, against the fake."""

from __future__ import annotations

import io
import re

import pytest

from continue_setup.fake.server import Behaviour, FakeServer
from continue_setup.probe.probes import Options, ProbeResult, ping
from continue_setup.report.progress import Progress
from tests.probe.test_probes_http import recipe, target


class Recorder:
    """Records what a run tells its listener."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []

    def started(self, titles: list[str]) -> None:
        self.calls.append(("started", titles))

    def finished(self, index: int, result: ProbeResult) -> None:
        self.calls.append(("finished", (index, result.category)))

    def waiting(self, index: int | None, text: str) -> None:
        self.calls.append(("waiting", (index, text)))

    def ended(self) -> None:
        self.calls.append(("ended", None))


def test_listener_hears_start_each_verdict_and_end(fake: FakeServer) -> None:
    """started (every title, in order) comes first, one finished per probe, ended last."""
    recorder = Recorder()
    report = ping(recipe(fake), Options(timeout=5), listener=recorder)
    assert recorder.calls[0] == ("started", ["gpt5", "gpt4", "claude", "codestral"])
    assert recorder.calls[-1] == ("ended", None)
    finished = sorted(v for k, v in recorder.calls if k == "finished")  # type: ignore[type-var]
    assert finished == [(i, r.category) for i, r in enumerate(report.results)]


def test_retries_and_jitter_are_announced(fake: FakeServer) -> None:
    """A 429 retried with backoff, and the fleet jitter, each tell the listener why it waits."""
    fake.behaviours["chat"] = Behaviour("rate_limited", retry_after="0", times=1)
    recorder = Recorder()
    ping([target(fake)], Options(timeout=5, retries=1, jitter=0.01), listener=recorder)
    waits = [v for k, v in recorder.calls if k == "waiting"]
    assert waits[0][0] is None and "--jitter" in str(waits[0][1])  # type: ignore[index]
    assert waits[1] == (None, "")  # the jitter's note is cleared when probing starts
    assert waits[2][0] == 0 and "rate_limited, retry 1 of 1" in str(waits[2][1])  # type: ignore[index]


class Terminal(io.StringIO):
    """A StringIO that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_progress_draws_rows_then_erases_them(fake: FakeServer) -> None:
    """The display draws a spinner row per entry, then verdicts, then erases its area."""
    screen = Terminal()
    ping(recipe(fake), Options(timeout=5), listener=Progress(screen))
    text = screen.getvalue()
    assert text.index("probing…") < text.index("✓")
    assert all(title in text for title in ("gpt5", "gpt4", "claude", "codestral"))
    assert text.endswith("\x1b[4F\x1b[J")


def test_more_entries_than_lines_draw_one_summary_line(
        fake: FakeServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a terminal shorter than the list, one line counts the verdicts instead."""
    monkeypatch.setenv("LINES", "3")
    screen = Terminal()
    ping(recipe(fake), Options(timeout=5), listener=Progress(screen))
    text = screen.getvalue()
    assert "probing: 0 of 4 done" in text and "probing: 4 of 4 done" in text
    assert "probing…" not in text and text.endswith("\x1b[1F\x1b[J")


def test_progress_lines_fit_a_narrow_terminal(fake: FakeServer,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Each drawn line is cut with … to the terminal's width."""
    monkeypatch.setenv("COLUMNS", "24")
    screen = Terminal()
    ping([target(fake, title="a very long entry title indeed")], Options(timeout=5),
         listener=Progress(screen))
    drawn = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "\n", screen.getvalue())
    assert "…" in drawn
    assert all(len(line) <= 24 for line in drawn.splitlines())
