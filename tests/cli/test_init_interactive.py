"""The first-day flow at a terminal: prompts with defaults, a summary, a confirmation."""

from __future__ import annotations

import contextlib
import os
import select
import subprocess
import sys
import time
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

from continue_setup.cli.inputs import InitOptions, Prompter, build_settings
from continue_setup.setup.settings import Settings
from tests.conftest import SENTINEL

pty = pytest.importorskip("pty", reason="pseudo-terminals are POSIX only")


class ScriptedPrompter(Prompter):
    """Answers prompts from a script and records what was asked."""

    def __init__(self, answers: list[str], secret: str = SENTINEL) -> None:
        self.answers = answers
        self.secret_value = secret
        self.asked: list[str] = []

    def ask(self, text: str, default: str) -> str:
        self.asked.append(text)
        answer = self.answers.pop(0)
        return answer or default

    def secret(self, text: str) -> str:
        self.asked.append(text)
        return self.secret_value

    def confirm(self, text: str) -> bool:
        self.asked.append(text)
        return self.confirms.pop(0) if getattr(self, "confirms", None) else True

    def say(self, text: str) -> None:
        self.said = [*getattr(self, "said", []), text]


class Confirms(Prompter):
    """Answers confirmations from a list (``ask`` takes the default); records each question."""

    def __init__(self, *confirms: bool) -> None:
        self.confirms = list(confirms)
        self.asked: list[str] = []

    def ask(self, text: str, default: str) -> str:
        self.asked.append(text)
        return default

    def confirm(self, text: str) -> bool:
        self.asked.append(text)
        return self.confirms.pop(0)


def init_at_a_terminal(monkeypatch: pytest.MonkeyPatch, *confirms: bool) -> Confirms:
    """Make the in-process init believe it runs at a terminal, answering ``confirms``."""
    script = Confirms(*confirms)
    monkeypatch.setattr("continue_setup.cli.initflow.Prompter", lambda: script)
    terminal = types.SimpleNamespace(stdin=types.SimpleNamespace(isatty=lambda: True))
    monkeypatch.setattr("continue_setup.cli.initflow.sys", terminal)
    return script


class NoStdin:
    def read(self, size: int = -1) -> str:
        raise AssertionError("stdin must not be read")


def settings_at_a_terminal(
    prompter: ScriptedPrompter,
    options: InitOptions | None = None,
    env: dict[str, str] | None = None,
) -> Settings:
    """Build init's settings as at a terminal, answering with ``prompter`` (the key in the
    environment unless ``env`` says otherwise); stdin must not be read."""
    settings, _, _, _ = build_settings(
        options or InitOptions(),
        env={"LANGDOCK_API_KEY": SENTINEL} if env is None else env,
        stdin=NoStdin(),
        interactive=True,
        prompter=prompter,
    )
    return settings


def test_defaults_take_one_answer(config_dir: Path) -> None:
    """Pressing Enter at the one question gives region eu on the public API."""
    prompter = ScriptedPrompter([""])
    settings = settings_at_a_terminal(prompter)
    assert (settings.region, settings.base_url) == ("eu", "https://api.langdock.com")
    assert len(prompter.asked) == 1


def test_deployment_url_answer_asks_its_region(config_dir: Path) -> None:
    """Answering with a deployment URL asks for its region and uses both."""
    settings = settings_at_a_terminal(ScriptedPrompter(["https://acme.langdock.com/", "us"]))
    assert settings.base_url == "https://acme.langdock.com/api/public"
    assert settings.region == "us"


def test_missing_key_is_asked_hidden(config_dir: Path) -> None:
    """Without a key in the environment, a terminal user is asked for it (hidden input)."""
    prompter = ScriptedPrompter([""], secret="  sk-ld-typed-key-123  ")
    settings = settings_at_a_terminal(prompter, env={})
    assert settings.api_key.reveal() == "sk-ld-typed-key-123"
    assert any("hidden" in question for question in prompter.asked)


def test_options_given_means_no_questions(config_dir: Path) -> None:
    """With --region given, nothing about the region is asked."""
    prompter = ScriptedPrompter([])
    settings = settings_at_a_terminal(prompter, InitOptions(region="us"))
    assert settings.region == "us" and prompter.asked == []


def read_until(fd: int, needle: bytes, seen: bytearray, timeout: float = 30) -> None:
    """Read from the terminal until ``needle`` appears (bounded by ``timeout``)."""
    deadline = time.monotonic() + timeout
    while needle not in seen:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"timed out waiting for {needle!r}; got {bytes(seen)!r}")
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                chunk = b""
            if not chunk:
                raise AssertionError(f"terminal closed before {needle!r}; got {bytes(seen)!r}")
            seen.extend(chunk)


def drain(fd: int, seen: bytearray, timeout: float = 5) -> None:
    """Read what is left on the terminal after the program ended (bounded by ``timeout``)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if not ready:
            return
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            return
        if not chunk:
            return
        seen.extend(chunk)


@contextlib.contextmanager
def reaped(proc: subprocess.Popen[bytes], terminal: int) -> Iterator[None]:
    """Run the block; then kill ``proc`` if it still runs, and close its ``terminal``."""
    try:
        yield
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        os.close(terminal)


@contextlib.contextmanager
def init_on_a_terminal() -> Iterator[tuple[subprocess.Popen[bytes], int, bytearray]]:
    """Start ``init`` on a pseudo-terminal; yield the process, the terminal and its output."""
    master, slave = pty.openpty()
    env = dict(os.environ, LANGDOCK_API_KEY=SENTINEL, TERM="dumb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "continue_setup", "init", "--no-ping"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    try:
        yield proc, master, bytearray()
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)


def test_two_keystrokes_on_a_real_terminal(config_dir: Path) -> None:
    """At a terminal, Enter twice (region, confirmation) writes the config."""
    with init_on_a_terminal() as (proc, terminal, seen):
        read_until(terminal, b"[eu]:", seen)
        os.write(terminal, b"\r")
        read_until(terminal, b"Write it?", seen)
        assert b"About to write" in seen and b"codestral-2501" in seen
        os.write(terminal, b"\r")
        assert proc.wait(timeout=60) == 0
        drain(terminal, seen)
        assert b"Continue will load" in seen
    assert (config_dir / "config.json").exists()
    assert SENTINEL.encode() not in seen


def test_declining_writes_nothing(config_dir: Path) -> None:
    """Answering no at the confirmation writes nothing and exits 1, as doctor --fix does."""
    with init_on_a_terminal() as (proc, terminal, seen):
        read_until(terminal, b"[eu]:", seen)
        os.write(terminal, b"\r")
        read_until(terminal, b"Write it?", seen)
        os.write(terminal, b"n\r")
        assert proc.wait(timeout=60) == 1
    assert not (config_dir / "config.json").exists()
