"""init's prompts forgive: a wrong answer is asked again with the reason, never an exit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from continue_setup.cli.inputs import InitOptions, Prompter, read_secret
from continue_setup.errors import UsageError
from continue_setup.fake.server import FakeServer
from tests.cli.test_init_interactive import (
    ScriptedPrompter,
    drain,
    read_until,
    reaped,
    settings_at_a_terminal,
)
from tests.conftest import SENTINEL
from tests.fakeserver_fixtures import KEY

pty = pytest.importorskip("pty", reason="pseudo-terminals are POSIX only")


def said(prompter: ScriptedPrompter) -> str:
    """Everything the prompter was told, as one text."""
    return "\n".join(getattr(prompter, "said", []))


def test_an_unknown_region_is_asked_again(config_dir: Path) -> None:
    """'de' is explained (eu or us) and the question repeated; the next answer is used."""
    prompter = ScriptedPrompter(["de", "us"])
    settings = settings_at_a_terminal(prompter)
    assert settings.region == "us" and len(prompter.asked) == 2
    assert "'de'" in said(prompter) and "eu, us" in said(prompter)


def test_a_bare_host_is_completed_after_confirmation(config_dir: Path) -> None:
    """acme.langdock.com becomes https://acme.langdock.com/api/public once confirmed."""
    prompter = ScriptedPrompter(["acme.langdock.com", "us"])
    settings = settings_at_a_terminal(prompter)
    assert settings.base_url == "https://acme.langdock.com/api/public"
    assert settings.region == "us"
    assert "Use https://acme.langdock.com/api/public?" in prompter.asked


def test_a_declined_completion_asks_again(config_dir: Path) -> None:
    """Saying no to the completed URL asks the first question again."""
    prompter = ScriptedPrompter(["acme.langdock.com", "eu"])
    prompter.confirms = [False]  # type: ignore[attr-defined]
    settings = settings_at_a_terminal(prompter)
    assert (settings.region, settings.base_url) == ("eu", "https://api.langdock.com")


def test_a_plain_http_url_is_explained_and_asked_again(config_dir: Path) -> None:
    """http:// is refused with why (the key would travel unencrypted), never naming
    --base-url, and the question is asked again."""
    prompter = ScriptedPrompter(["http://acme.langdock.com/api/public",
                                 "https://acme.langdock.com/api/public", "eu"])
    settings = settings_at_a_terminal(prompter)
    assert settings.base_url == "https://acme.langdock.com/api/public"
    assert "unencrypted" in said(prompter) and "--base-url" not in said(prompter)


def test_a_deployment_region_is_a_choice(config_dir: Path) -> None:
    """The deployment's region is asked again until it is eu or us."""
    prompter = ScriptedPrompter(["https://acme.langdock.com/api/public", "germany", "eu"])
    settings = settings_at_a_terminal(prompter)
    assert settings.region == "eu" and "'germany'" in said(prompter)


def test_endless_mistakes_end_with_a_usage_error(config_dir: Path) -> None:
    """The questions are bounded: five wrong answers end with what to answer."""
    with pytest.raises(UsageError, match="region or deployment URL"):
        settings_at_a_terminal(ScriptedPrompter(["de"] * 5))


class TerminalStdin:
    """Standard input that is a terminal: it must be asked, never read."""

    def isatty(self) -> bool:
        return True

    def read(self, size: int = -1) -> str:
        raise AssertionError("a terminal's stdin must not be read as text: it would echo")


def test_api_key_stdin_at_a_terminal_prompts_hidden() -> None:
    """--api-key-stdin at a terminal asks with hidden input instead of reading echoed text."""
    prompter = ScriptedPrompter([], secret="sk-ld-typed-key-123")
    key = read_secret(InitOptions(api_key_stdin=True), env={}, stdin=TerminalStdin(),
                      interactive=False, prompter=prompter)
    assert key.reveal() == "sk-ld-typed-key-123"
    assert prompter.asked == ["Langdock API key (input hidden)"]


def init_at_a_terminal(fake: FakeServer, config_dir: Path) -> tuple[subprocess.Popen[bytes], int]:
    """Start an interactive init against ``fake`` on a pseudo-terminal, with no key given."""
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "LANGDOCK_API_KEY"}
    env["TERM"] = "dumb"
    proc = subprocess.Popen(
        [sys.executable, "-m", "continue_setup", "init", "--base-url", fake.url,
         "--config-dir", str(config_dir)],
        stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    return proc, master


def test_a_refused_key_is_asked_again_keeping_the_rest(fake: FakeServer,
                                                       config_dir: Path) -> None:
    """A 401 asks for the key again (hidden); the right key then writes the config."""
    fake.keys = {KEY}
    proc, terminal = init_at_a_terminal(fake, config_dir)
    seen = bytearray()
    with reaped(proc, terminal):
        read_until(terminal, b"(input hidden):", seen)
        os.write(terminal, SENTINEL.encode() + b"\r")
        read_until(terminal, b"refused this key (401)", seen)
        del seen[:seen.index(b"refused this key (401)")]  # the second prompt may follow
        read_until(terminal, b"(input hidden):", seen)
        os.write(terminal, KEY.encode() + b"\r")
        read_until(terminal, b"Write it?", seen)
        os.write(terminal, b"\r")
        assert proc.wait(timeout=60) == 0
        drain(terminal, seen)
    assert (config_dir / "config.json").exists()
    assert SENTINEL.encode() not in seen and KEY.encode() not in seen


def test_three_refused_keys_end_the_run_unwritten(fake: FakeServer, config_dir: Path) -> None:
    """After three refused keys, init stops with exit 3 and writes nothing."""
    fake.keys = {KEY}
    proc, terminal = init_at_a_terminal(fake, config_dir)
    seen = bytearray()
    with reaped(proc, terminal):
        for _ in range(3):
            read_until(terminal, b"(input hidden):", seen)
            del seen[:]
            os.write(terminal, SENTINEL.encode() + b"\r")
        assert proc.wait(timeout=60) == 3
        drain(terminal, seen)
    assert b"nothing written" in seen
    assert not (config_dir / "config.json").exists()
    assert SENTINEL.encode() not in seen


def test_the_real_prompter_says_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    """The reason for asking again goes to stderr, leaving stdout to the results."""
    Prompter().say("why")
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "why\n")


class SecretsInTurn(ScriptedPrompter):
    """Types a different secret at each hidden prompt."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__([])
        self.secrets = secrets

    def secret(self, text: str) -> str:
        self.asked.append(text)
        return self.secrets.pop(0)


def test_an_unusable_typed_key_is_asked_again(config_dir: Path) -> None:
    """A key with a space inside is explained and asked for again; the reason hides it."""
    prompter = SecretsInTurn(["sk-ld-broken key-123456", "sk-ld-typed-key-123"])
    key = read_secret(InitOptions(), env={}, stdin=TerminalStdin(), interactive=True,
                      prompter=prompter)
    assert key.reveal() == "sk-ld-typed-key-123" and len(prompter.asked) == 2
    assert said(prompter) and "broken" not in said(prompter)


def test_three_unusable_keys_end_with_the_reason(config_dir: Path) -> None:
    """The hidden question is bounded: the third unusable key ends the run with why."""
    prompter = SecretsInTurn([""] * 3)
    with pytest.raises(UsageError, match="the API key from the prompt"):
        read_secret(InitOptions(), env={}, stdin=TerminalStdin(), interactive=True,
                    prompter=prompter)
    assert len(prompter.asked) == 3
