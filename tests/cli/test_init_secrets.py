"""The key never leaks from init: not on success, not in errors, not with --debug."""

from __future__ import annotations

import stat
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SENTINEL

INIT = ("init", "--yes", "--no-ping")
KEY_ENV = {"LANGDOCK_API_KEY": SENTINEL}


def files_holding(root: Path, needle: str) -> list[Path]:
    """Return every file under ``root`` whose bytes contain ``needle``."""
    return [p for p in root.rglob("*") if p.is_file() and needle.encode() in p.read_bytes()]


def prepare(config_dir: Path, case: str) -> None:
    if case == "malformed":
        config_dir.mkdir()
        (config_dir / "config.json").write_text('{"models": [ {"apiKey": "' + SENTINEL + '",')
    elif case == "yaml-exists":
        config_dir.mkdir()
        (config_dir / "config.yaml").write_text("name: a\nversion: 1.0.0\nmodels: []\n")
    elif case == "existing":
        config_dir.mkdir()
        (config_dir / "config.json").write_text(
            '{"models": [{"title": "Old", "provider": '
            '"openai", "model": "gpt-4o", "apiKey": '
            '"sk-old-key-0000", "apiBase": '
            '"https://api.langdock.com/openai/eu/v1"}]}'
        )


CASES = [
    ("success", (), "none"),
    ("success-json", ("--json",), "none"),
    ("dry-run", ("--dry-run",), "none"),
    ("diff", ("--diff",), "existing"),
    ("diff-json", ("--diff", "--json"), "existing"),
    ("yaml-dotenv", ("--format", "yaml"), "none"),
    ("bad-region", ("--region", "mars"), "none"),
    ("bad-url", ("--base-url", "http://evil.example"), "none"),
    ("malformed", (), "malformed"),
    ("malformed-debug", ("--debug",), "malformed"),
    ("malformed-json", ("--json",), "malformed"),
    ("json-over-yaml", ("--format", "json"), "yaml-exists"),
    ("bad-entry-debug", ("--entries", "nope", "--debug"), "none"),
]


@pytest.mark.parametrize(("name", "args", "setup"), CASES, ids=[c[0] for c in CASES])
def test_sentinel_never_printed(
    run: Any, config_dir: Path, name: str, args: tuple[str, ...], setup: str
) -> None:
    """Whatever happens, the key is in no output, and only in files meant to hold it (0600)."""
    prepare(config_dir, setup)
    result = run(*INIT, *args, env=KEY_ENV)
    assert SENTINEL not in result.stdout
    assert SENTINEL not in result.stderr
    if config_dir.exists():
        allowed = {config_dir / "config.json", config_dir / ".env"}
        if setup == "malformed":
            allowed |= set(config_dir.glob("config.json*"))  # the user's own file held it
        for path in files_holding(config_dir, SENTINEL):
            assert path in allowed, path
            assert SENTINEL not in path.name
            if sys.platform != "win32" and setup != "malformed":
                assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_old_inline_key_masked_in_diff(run: Any, config_dir: Path) -> None:
    """A key already in the config (the old one) is masked in --diff too."""
    prepare(config_dir, "existing")
    result = run(*INIT, "--diff", env=KEY_ENV)
    assert "sk-old-key-0000" not in result.stdout
    assert '-      "apiKey": "********"' in result.stdout or "sk-old" not in result.stdout


def test_traceback_with_debug_is_masked(
    run: Any, config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even an unexpected crash shown with --debug masks the key in the traceback."""
    from continue_setup.setup import plan

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"exploded while holding {SENTINEL}")

    monkeypatch.setattr(plan, "plan_init", boom)
    result = run(*INIT, "--debug", env=KEY_ENV)
    assert result.exit_code == 70
    assert "Traceback" in result.stderr and "RuntimeError" in result.stderr
    assert SENTINEL not in result.output
    plain = run(*INIT, env=KEY_ENV)
    assert "Traceback" not in plain.stderr and "internal error" in plain.stderr
