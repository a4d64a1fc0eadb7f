"""Tables that fit: at 80 and 120 columns no line is longer; piped, lines stay whole."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from continue_setup.fake.server import Behaviour, FakeServer
from tests.cli.test_init_interactive import drain, reaped
from tests.fakeserver_fixtures import KEY, langdock_config, write_config

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
WIDTHS = [80, 120]


def failing(fake: FakeServer) -> None:
    """Make Claude's key refused and Codestral unavailable: the longest hints Langdock gives."""
    fake.behaviours["claude-sonnet-4-6-default"] = Behaviour("unauthorized")
    fake.behaviours["mistral"] = Behaviour("model_unavailable")


def assert_fits(text: str, width: int) -> None:
    """No line of ``text`` takes more than ``width`` columns, and none holds a tab."""
    for line in ANSI.sub("", text).splitlines():
        assert len(line) <= width, f"{len(line)} > {width}: {line!r}"
        assert "\t" not in line


@pytest.mark.parametrize("width", WIDTHS)
def test_ping_fits_the_terminal(run: Any, fake: FakeServer, config_dir: Path,
                                width: int) -> None:
    """ping's table, messages and hints fit $COLUMNS; the hints are kept, under the rows."""
    failing(fake)
    write_config(config_dir, langdock_config(fake.url))
    result = run("ping", env={"COLUMNS": str(width)})
    assert result.exit_code == 3
    assert_fits(result.output, width)
    flat = " ".join(result.stdout.split())
    assert "'continue-setup init --entries gpt,claude' removes the entry" in flat
    assert "The provided API key is invalid." in flat


def test_ping_piped_keeps_each_row_on_one_line(run: Any, fake: FakeServer,
                                               config_dir: Path) -> None:
    """Without a terminal or $COLUMNS, each verdict is one line, its hint at its end."""
    failing(fake)
    write_config(config_dir, langdock_config(fake.url))
    result = run("ping")
    rows = [line for line in result.stdout.splitlines() if line.startswith("Claude")]
    assert len(rows) == 1 and "x-api-key on this route." in rows[0]
    assert "\t" not in result.stdout


@pytest.mark.parametrize("width", WIDTHS)
def test_doctor_fits_the_terminal(run: Any, fake: FakeServer, config_dir: Path,
                                  width: int) -> None:
    """doctor's sections, findings and ping verdicts fit $COLUMNS."""
    failing(fake)
    write_config(config_dir, langdock_config(fake.url))
    result = run("doctor", env={"COLUMNS": str(width)})
    assert "5. Ping" in result.stdout
    assert_fits(result.stdout, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_init_table_fits_when_all_pass(run: Any, fake: FakeServer, config_dir: Path,
                                       width: int) -> None:
    """init's smoke-test table and its summary of what it wrote, with their long titles and
    routes, fit the width."""
    result = run("init", "--yes", "--base-url", fake.url + "/api/public", "--config-dir",
                 str(config_dir), env={"LANGDOCK_API_KEY": KEY, "COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    assert "ENTRY" in result.stderr
    assert_fits(result.output, width)
    assert "/api/public/anthropic/eu/v1" in result.stdout  # moved under its row, not cut


pty = pytest.importorskip("pty", reason="pseudo-terminals are POSIX only")


@pytest.mark.parametrize("width", WIDTHS)
def test_ping_on_a_real_terminal_of_that_width(fake: FakeServer, config_dir: Path,
                                               width: int) -> None:
    """On a pseudo-terminal sized ``width`` (no $COLUMNS), no line is wrapped by it."""
    import fcntl
    import struct
    import termios

    failing(fake)
    write_config(config_dir, langdock_config(fake.url))
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, width, 0, 0))
    env = dict(os.environ, TERM="xterm")
    proc = subprocess.Popen([sys.executable, "-m", "continue_setup", "ping"],
                            stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, env=env,
                            close_fds=True)
    os.close(slave)
    seen = bytearray()
    with reaped(proc, master):
        assert proc.wait(timeout=60) == 3
        drain(master, seen)
    text = seen.decode().replace("\r", "")
    assert "ENTRY" in text and "removes the entry" in text
    final = text[text.index("ENTRY"):]  # the live area before it is redrawn in place
    assert_fits(final, width)


@pytest.mark.parametrize("columns", [80, 120])
def test_models_fits_the_terminal(run: Any, fake: FakeServer, columns: int,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """models' rows (an id, configured, what Continue knows) wrap under the row to fit."""
    monkeypatch.setenv("COLUMNS", str(columns))
    result = run("models", "--base-url", fake.url, env={"LANGDOCK_API_KEY": KEY})
    assert result.exit_code == 0, result.output
    assert "Continue alone" in result.stdout
    assert_fits(result.stdout, columns)
