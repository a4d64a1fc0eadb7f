"""Live progress: drawn on a terminal's stderr while probes run, never in scripts."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from continue_setup.fake.server import FakeServer
from tests.cli.test_init_interactive import drain, read_until, reaped
from tests.conftest import SENTINEL
from tests.fakeserver_fixtures import langdock_config, write_config

pty = pytest.importorskip("pty", reason="pseudo-terminals are POSIX only")

DELAY = 3.0  # seconds the fake waits before each answer: long enough to see progress


@pytest.fixture
def slow() -> Iterator[FakeServer]:
    """A fake Langdock that answers every call after DELAY seconds."""
    with FakeServer(delay=DELAY, stall_max=5.0) as server:
        yield server


def start(args: list[str], *, stderr_terminal: bool) -> tuple[subprocess.Popen[bytes], int]:
    """Start the CLI with stdout piped and stderr on a pseudo-terminal (or piped too)."""
    master, slave = pty.openpty()
    env = dict(os.environ, TERM="xterm", COLUMNS="100", LINES="40",
               LANGDOCK_API_KEY=SENTINEL)
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "continue_setup", *args], stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=slave if stderr_terminal else subprocess.PIPE,
        env=env, close_fds=True)
    os.close(slave)
    return proc, master


def test_ping_shows_each_probe_before_it_finishes(slow: FakeServer, config_dir: Path) -> None:
    """At a terminal, a spinner row per entry appears while the probes still wait on the
    server; the area is erased and the table goes to stdout once; the key never shows."""
    write_config(config_dir, langdock_config(slow.url, key=SENTINEL))
    proc, terminal = start(["ping"], stderr_terminal=True)
    with reaped(proc, terminal):
        seen = bytearray()
        began = time.monotonic()
        read_until(terminal, "probing…".encode(), seen, timeout=30)
        assert proc.poll() is None, "progress must show while the probes run"
        assert time.monotonic() - began < 30
        for title in (b"GPT", b"Claude", b"Codestral"):
            assert title in seen
        stdout, _ = proc.communicate(timeout=60)
        drain(terminal, seen)
    assert proc.returncode in (0, 3), stdout
    text = stdout.decode()
    assert text.count("ENTRY") == 1 and "Probing 3 entries" in text
    assert "\x1b" not in text  # stdout is a pipe: plain text
    assert b"\x1b[3F\x1b[J" in seen  # the three rows are erased at the end
    assert SENTINEL.encode() not in seen + stdout


@pytest.mark.parametrize("args", [["ping"], ["ping", "--json"], ["ping", "--quiet"]])
def test_nothing_on_stderr_in_scripts(fake: FakeServer, config_dir: Path,
                                      args: list[str]) -> None:
    """Piped, with --json or with --quiet, ping writes no progress to stderr."""
    write_config(config_dir, langdock_config(fake.url))
    proc, terminal = start(args, stderr_terminal="--json" in args or "--quiet" in args)
    with reaped(proc, terminal):
        stdout, stderr = proc.communicate(timeout=60)
        seen = bytearray()
        drain(terminal, seen, timeout=1)
    assert proc.returncode == 0, stdout
    assert not seen and not stderr
    assert stdout or "--quiet" in args  # quiet and all passed: silence


def test_doctor_prints_offline_sections_before_probing(slow: FakeServer,
                                                       config_dir: Path) -> None:
    """doctor shows where Continue looks, the file, secrets and validate while it probes."""
    write_config(config_dir, langdock_config(slow.url))
    master, slave = pty.openpty()
    env = dict(os.environ, TERM="xterm", COLUMNS="100")
    proc = subprocess.Popen([sys.executable, "-m", "continue_setup", "doctor"],
                            stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, env=env,
                            close_fds=True)
    os.close(slave)
    with reaped(proc, master):
        seen = bytearray()
        read_until(master, b"4. Validate", seen, timeout=30)
        read_until(master, "probing…".encode(), seen, timeout=30)
        assert proc.poll() is None, "offline sections and progress come before the verdicts"
        assert b"5. Ping" not in seen
        assert proc.wait(timeout=60) in (0, 3)
        drain(master, seen)
    assert seen.count(b"1. Where Continue looks") == 1
    assert b"5. Ping" in seen


def test_init_shows_its_probe_progress_at_a_terminal(slow: FakeServer, config_dir: Path) -> None:
    """init's smoke test before writing shows a row per entry while it waits on the server."""
    proc, terminal = start(["init", "--yes", "--base-url", slow.url, "--config-dir",
                            str(config_dir)], stderr_terminal=True)
    with reaped(proc, terminal):
        seen = bytearray()
        read_until(terminal, "probing…".encode(), seen, timeout=30)
        assert proc.poll() is None and not (config_dir / "config.json").exists()
        proc.communicate(timeout=60)
        drain(terminal, seen)
    assert proc.returncode == 0
    assert (config_dir / "config.json").exists()
