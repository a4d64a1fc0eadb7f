"""``rotate-key`` replaces the key wherever init stored it, probes it first, and checks fleets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from continue_setup.fake.server import FakeServer
from tests.conftest import SENTINEL

NEW = "sk-ld-rotated-9876543210fedcba"


def init(run: Any, fake: FakeServer, *args: str) -> None:
    """Set up against the fake gateway with the sentinel key, without probing."""
    result = run("init", "--yes", "--no-ping", "--base-url", fake.url, *args,
                 env={"LANGDOCK_API_KEY": SENTINEL})
    assert result.exit_code == 0, result.output


def rotate(run: Any, *args: str, key: str = NEW) -> Any:
    """Run rotate-key with ``key`` from the environment."""
    return run("rotate-key", "--yes", *args, env={"LANGDOCK_API_KEY": key})


def test_rotate_replaces_every_inline_key_and_keeps_the_old_only_in_the_backup(
        run: Any, fake: FakeServer, config_dir: Path) -> None:
    """Inline keys of our entries change; the user's entry keeps its own; re-run changes nothing."""
    config_dir.mkdir()
    mine = {"title": "Mine", "provider": "openai", "model": "gpt-4o", "apiKey": "sk-mine-1234567",
            "apiBase": "https://example.com/v1"}
    (config_dir / "config.json").write_text(json.dumps({"models": [mine]}), encoding="utf-8")
    init(run, fake)
    result = rotate(run, "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["changed"] is True and len(payload["places"]) == 3
    text = (config_dir / "config.json").read_text(encoding="utf-8")
    assert text.count(NEW) == 3 and SENTINEL not in text and "sk-mine-1234567" in text
    backups = [p.read_text(encoding="utf-8") for p in config_dir.glob("config.json.bak-*")]
    assert any(SENTINEL in b for b in backups)
    assert SENTINEL not in result.output and NEW not in result.output
    assert {r.headers.get("authorization", r.headers.get("x-api-key", ""))[-len(NEW):]
            for r in fake.recorded() if r.method == "POST"} == {NEW}  # probed with the new key
    again = rotate(run, "--json")
    assert again.exit_code == 0 and json.loads(again.stdout)["changed"] is False
    assert len(list(config_dir.glob("config.json.bak-*"))) == len(backups)


def test_rotate_replaces_the_key_in_dotenv(run: Any, fake: FakeServer, config_dir: Path) -> None:
    """With the key in .env, the .env changes and config.yaml (a reference) does not."""
    init(run, fake, "--format", "yaml")
    config_before = (config_dir / "config.yaml").read_bytes()
    result = rotate(run, "--no-ping")
    assert result.exit_code == 0, result.output
    assert f"LANGDOCK_API_KEY={NEW}" in (config_dir / ".env").read_text(encoding="utf-8")
    assert (config_dir / "config.yaml").read_bytes() == config_before
    assert "key changed" in result.stdout and NEW not in result.output


def test_check_exits_1_while_another_key_is_stored_without_showing_either(
        run: Any, fake: FakeServer, config_dir: Path) -> None:
    """--check: 1 and the places while the old key is stored, 0 after rotating; keys hidden."""
    init(run, fake, "--key-storage", "dotenv")
    before = sorted((p.name, p.read_bytes()) for p in config_dir.iterdir())
    stale = rotate(run, "--check", "--json")
    assert stale.exit_code == 1
    assert json.loads(stale.stdout)["places"][0]["differs"] is True
    assert sorted((p.name, p.read_bytes()) for p in config_dir.iterdir()) == before
    dry = rotate(run, "--dry-run")
    assert dry.exit_code == 0 and "would replace" in dry.stdout
    assert sorted((p.name, p.read_bytes()) for p in config_dir.iterdir()) == before
    same = rotate(run, "--check", key=SENTINEL)
    assert same.exit_code == 0
    assert rotate(run, "--no-ping").exit_code == 0
    assert rotate(run, "--check").exit_code == 0
    for output in (stale.output, same.output, dry.output):
        assert SENTINEL not in output and NEW not in output


def test_a_refused_new_key_is_not_written(run: Any, fake: FakeServer, config_dir: Path) -> None:
    """The new key fails the smoke test: exit 3, nothing written, unless told to write anyway."""
    init(run, fake)
    before = (config_dir / "config.json").read_bytes()
    fake.keys = {SENTINEL}
    refused = rotate(run)
    assert refused.exit_code == 3, refused.output
    assert (config_dir / "config.json").read_bytes() == before
    written = rotate(run, "--write-even-if-probe-fails")
    assert written.exit_code == 0, written.output
    assert NEW in (config_dir / "config.json").read_text(encoding="utf-8")


def test_nothing_to_rotate_and_no_key_on_the_command_line(run: Any, config_dir: Path) -> None:
    """No stored key: exit 2 with what to do. A key given as an option is refused, unechoed."""
    missing = rotate(run)
    assert missing.exit_code == 2 and "init" in missing.stderr
    on_argv = run("rotate-key", f"--api-key={NEW}")
    assert on_argv.exit_code == 2 and NEW not in on_argv.output
    assert "never given on the command line" in on_argv.stderr
