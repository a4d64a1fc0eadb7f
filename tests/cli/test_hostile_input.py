"""Hostile files end in a clear error with a place, within a memory and time bound.

Each command runs as a real subprocess under a 1 GiB address-space limit and a timeout, so
a regression fails the test instead of hanging it or eating the machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from continue_setup.config import bounds

resource = pytest.importorskip("resource", reason="memory limits need the POSIX resource module")
POSIX_ONLY = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and /dev/zero are POSIX")
KEY = "sk-hostile-SENTINEL-0123456789abcdef"
MEMORY_LIMIT = 1024 * 1024 * 1024
COMMANDS = (
    ("validate",),
    ("init", "--yes", "--dry-run"),
    ("doctor", "--offline"),
    ("ping",),
)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def bounded(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a subprocess with 1 GiB of address space and a timeout."""
    env = dict(os.environ, LANGDOCK_API_KEY=KEY)
    return subprocess.run(
        [sys.executable, "-m", "continue_setup", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
        preexec_fn=_limit_memory,  # the parent runs no threads of its own here
    )


def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


HEADER = "name: a\nversion: 1.0.0\nschema: v1\n"
# (file name, text, where the error is) for texts that must be parse errors
PARSE_ERRORS = {
    "billion-laughs": ("config.yaml", billion_laughs(), "6:8"),
    "deep-json": ("config.json", '{"x": ' + "[" * 900 + "]" * 900 + "}", "1:106"),
    "deep-yaml": ("config.yaml", HEADER + "x: " + "[" * 900 + "]" * 900 + "\n", "4:103"),
    "huge-int-json": ("config.json", '{"models": [], "x": ' + "7" * 5000 + "}", "1:21"),
    "huge-int-yaml": ("config.yaml", HEADER + "x: " + "7" * 5000 + "\n", "4:4"),
}


@pytest.mark.parametrize("case", sorted(PARSE_ERRORS))
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_hostile_configs_are_parse_errors_with_a_place(
    config_dir: Path, case: str, command: tuple[str, ...]
) -> None:
    """Alias bombs, deep nesting and huge numbers are parse errors (exit 1) at file:line:col,
    in every command that reads the config, within 1 GiB: never exit 70, never a hang."""
    name, text, place = PARSE_ERRORS[case]
    config_dir.mkdir()
    (config_dir / name).write_text(text)
    result = bounded(*command)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "cannot parse" in output and "internal error" not in output
    if command[0] == "validate":
        assert f":{place}: error" in output  # path:line:col: severity, as compilers print
    elif command[0] != "doctor":
        assert f"{config_dir / name}:{place}:" in output
    assert KEY not in output


def test_the_alias_limit_names_the_alias_that_crosses_it(config_dir: Path) -> None:
    """The alias-bomb error points at the alias where expansion passed the limit."""
    config_dir.mkdir()
    (config_dir / "config.yaml").write_text(billion_laughs())
    result = bounded("validate", "--json")
    assert result.returncode == 1
    assert f"more than {bounds.MAX_ALIAS_EXPANSION:,} values" in result.stdout


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("config.yaml", HEADER + "# " + "x" * 1_000_000 + "\nmodels: []\n"),
        ("config.yaml", HEADER + "# comment\n" * 100_000 + "models: []\n"),
        ("config.yaml", HEADER + "models: []\n" + "".join(f"k{i}: v{i}\n" for i in range(10_000))),
        ("config.json", '{"models": [], "x": "' + "y" * 7_500_000 + '"}'),
        ("config.json", '{"models": [] /* ' + "y" * 7_500_000 + " */}"),
    ],
    ids=["long-comment", "many-comment-lines", "many-entries", "huge-string", "huge-comment"],
)
def test_large_but_legal_configs_stay_within_bounds(config_dir: Path, name: str, text: str) -> None:
    """Long comments, many entries and huge strings are read within 1 GiB and a minute."""
    config_dir.mkdir()
    (config_dir / name).write_text(text)
    result = bounded("init", "--yes", "--dry-run", timeout=120)
    assert result.returncode == 0, result.stderr
    assert "internal error" not in result.stderr


@POSIX_ONLY
@pytest.mark.parametrize("target", ["fifo", "/dev/zero"])
@pytest.mark.parametrize("which", ["config.json", ".env"])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_fifos_and_devices_are_refused_not_read(
    config_dir: Path, tmp_path: Path, target: str, which: str, command: tuple[str, ...]
) -> None:
    """A config or .env linked to a FIFO or /dev/zero is refused (exit 2) naming the file and
    what it is, at once: nothing hangs, nothing reads until memory runs out."""
    config_dir.mkdir()
    if which == ".env":
        # A chat model, so that every command gets as far as the .env (none stops at
        # "no chat model" first).
        (config_dir / "config.yaml").write_text(
            HEADER + "models:\n  - name: GPT\n    provider: openai\n    model: gpt-5.2\n"
            "    apiBase: https://api.langdock.com/openai/eu/v1\n"
            "    apiKey: ${{ secrets.LANGDOCK_API_KEY }}\n")
    if target == "fifo":
        os.mkfifo(tmp_path / "pipe")
        (config_dir / which).symlink_to(tmp_path / "pipe")
        kind = "FIFO"
    else:
        (config_dir / which).symlink_to(target)
        kind = "character device"
    result = bounded(*command, timeout=30)
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert kind in output and which in output and "not a regular file" in output
