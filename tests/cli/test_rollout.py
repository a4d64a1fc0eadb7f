"""Admin rollout through the real CLI: --check, exact idempotency, --quiet."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from continue_setup.setup.writer import LOCK_NAME
from tests.conftest import SENTINEL

# Probing the endpoints is not what these tests are about.
NO_PING = ("--no-ping",)
INIT = ("init", "--yes", *NO_PING)
KEY_ENV = {"LANGDOCK_API_KEY": SENTINEL}
OTHER_KEY = "sk-ld-OTHER-fedcba9876543210"


def snapshot(directory: Path) -> dict[str, tuple[int, int, bytes | None]]:
    """Return every path under ``directory`` (itself included) with its mtime, size and bytes."""
    paths = [directory, *sorted(directory.rglob("*"))]
    return {
        str(p.relative_to(directory)): (
            p.stat().st_mtime_ns,
            p.stat().st_size,
            p.read_bytes() if p.is_file() else None,
        )
        for p in paths
    }


def test_check_on_a_fresh_machine_reports_changes_and_writes_nothing(
    run: Any, config_dir: Path
) -> None:
    """--check with no config exits 1, lists the file and entries, and creates no directory."""
    result = run(*INIT, "--check", "--json", env=KEY_ENV)
    assert result.exit_code == 1, result.output
    payload = json.loads(result.stdout)
    assert payload["ok"] is False and payload["changed"] is True
    assert payload["path"] == str(config_dir / "config.json") and payload["format"] == "json"
    files = [d for d in payload["differences"] if d["kind"] == "file"]
    assert files == [
        {
            "kind": "file",
            "path": str(config_dir / "config.json"),
            "role": "config",
            "action": "create",
        }
    ]
    entries = [d for d in payload["differences"] if d["kind"] == "entry"]
    assert {e["action"] for e in entries} == {"added"} and len(entries) == 3
    assert not config_dir.exists()
    assert SENTINEL not in result.output


def test_check_after_init_is_exit_0_with_no_differences(run: Any, config_dir: Path) -> None:
    """Once init has run, --check exits 0 and reports no differences, in JSON and in text."""
    assert run(*INIT, env=KEY_ENV).exit_code == 0
    before = snapshot(config_dir)
    result = run(*INIT, "--check", "--json", env=KEY_ENV)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["ok"] is True and payload["changed"] is False
    assert payload["differences"] == []
    text = run(*INIT, "--check", env=KEY_ENV)
    assert text.exit_code == 0 and "up to date" in text.stdout
    assert snapshot(config_dir) == before


def test_check_ignores_the_users_own_additions(run: Any, config_dir: Path) -> None:
    """A model of the user's own and an extra field on our entry do not make --check fail."""
    assert run(*INIT, env=KEY_ENV).exit_code == 0
    path = config_dir / "config.json"
    data = json.loads(path.read_text())
    data["models"].append({"title": "Local", "provider": "ollama", "model": "llama3.1:8b"})
    data["models"][0]["contextLength"] = 64000
    data["contextProviders"] = [{"name": "code"}]
    path.write_text(json.dumps(data, indent=2))
    result = run(*INIT, "--check", env=KEY_ENV)
    assert result.exit_code == 0, result.output


def test_check_names_changed_fields_and_masks_both_keys(run: Any, config_dir: Path) -> None:
    """A new key and model id show up as changed fields; neither key value is printed."""
    assert run(*INIT, "--model", "gpt=gpt-4.1", env={"LANGDOCK_API_KEY": OTHER_KEY}).exit_code == 0
    before = snapshot(config_dir)
    result = run(*INIT, "--check", "--json", env=KEY_ENV)
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    entries = {d["pointer"]: d for d in payload["differences"] if d["kind"] == "entry"}
    gpt = {f["field"]: f for f in entries["/models/0"]["fields"]}
    assert gpt["model"] == {"field": "model", "current": "gpt-4.1", "expected": "gpt-5.2"}
    assert gpt["apiKey"] == {"field": "apiKey", "current": "********", "expected": "********"}
    assert [f["field"] for f in entries["/tabAutocompleteModel"]["fields"]] == ["apiKey"]
    assert all(d["action"] == "updated" for d in entries.values())
    text = run(*INIT, "--check", env=KEY_ENV)
    assert text.exit_code == 1 and "apiKey" in text.stdout
    for output in (result.output, text.output):
        assert SENTINEL not in output and OTHER_KEY not in output
    assert snapshot(config_dir) == before


def test_check_lists_the_dotenv_file_that_would_change(run: Any, config_dir: Path) -> None:
    """With the key in .env, a new key makes --check report .env and nothing else."""
    assert run(*INIT, "--format", "yaml", env={"LANGDOCK_API_KEY": OTHER_KEY}).exit_code == 0
    result = run(*INIT, "--check", "--json", env=KEY_ENV)
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["format"] == "yaml"
    assert payload["differences"] == [
        {"kind": "file", "path": str(config_dir / ".env"), "role": "dotenv", "action": "update"}
    ]
    assert SENTINEL not in result.output and OTHER_KEY not in result.output


def test_check_lists_a_config_yaml_that_would_be_moved_aside(run: Any, config_dir: Path) -> None:
    """--format json --force --check reports config.yaml moved aside, and leaves it there."""
    assert run(*INIT, "--format", "yaml", env=KEY_ENV).exit_code == 0
    result = run(*INIT, "--format", "json", "--force", "--check", "--json", env=KEY_ENV)
    assert result.exit_code == 1, result.output
    roles = {d["role"]: d for d in json.loads(result.stdout)["differences"] if d["kind"] == "file"}
    assert roles["moved_aside"]["path"] == str(config_dir / "config.yaml")
    assert roles["config"]["action"] == "create"
    assert (config_dir / "config.yaml").exists() and not (config_dir / "config.json").exists()


def test_check_refuses_dry_run_and_bad_input_with_exit_2(run: Any, config_dir: Path) -> None:
    """--check with --dry-run, or without a key, is a usage error (exit 2), never a prompt."""
    assert run(*INIT, "--check", "--dry-run", env=KEY_ENV).exit_code == 2
    missing = run("init", *NO_PING, "--check")
    assert missing.exit_code == 2 and "LANGDOCK_API_KEY" in missing.stderr
    assert not config_dir.exists()


def test_check_through_a_subprocess_gives_the_exit_codes(run_process: Any) -> None:
    """As a detection script would run it: exit 1 before init, exit 0 after."""
    assert run_process(*INIT, "--check", "--quiet", env=KEY_ENV).exit_code == 1
    assert run_process(*INIT, "--quiet", env=KEY_ENV).exit_code == 0
    after = run_process(*INIT, "--check", "--quiet", env=KEY_ENV)
    assert after.exit_code == 0 and after.output == ""


def test_unchanged_run_touches_no_file(run: Any, config_dir: Path) -> None:
    """A second run keeps every mtime; the lock file made by the first run is the only extra."""
    assert run(*INIT, "--format", "yaml", env=KEY_ENV).exit_code == 0
    names = sorted(p.name for p in config_dir.iterdir())
    assert names == sorted([".continue-setup.lock", ".env", "config.yaml"])
    before = snapshot(config_dir)
    result = run(*INIT, "--json", env=KEY_ENV)
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["changed"] is False and payload["backup"] is None
    assert payload["dotenv"]["changed"] is False
    assert snapshot(config_dir) == before


def test_quiet_prints_nothing_on_success(run: Any, config_dir: Path) -> None:
    """--quiet prints nothing for a first run, a second run, or a run with warnings."""
    for args in ((), (), ("--region", "us")):
        result = run(*INIT, "--quiet", *args, env=KEY_ENV)
        assert result.exit_code == 0
        assert result.stdout == "" and result.stderr == ""
    assert (config_dir / "config.json").exists()


def test_quiet_still_prints_errors(run: Any, config_dir: Path) -> None:
    """--quiet does not hide a refusal: the error goes to stderr with exit 2."""
    result = run(*INIT, "--quiet", "--region", "mars", env=KEY_ENV)
    assert result.exit_code == 2
    assert result.stdout == "" and "'mars' is not one of 'eu', 'us'" in result.stderr
    missing = run(*INIT, "-q")
    assert missing.exit_code == 2 and "no Langdock API key" in missing.stderr


def test_quiet_json_prints_only_the_document(run: Any) -> None:
    """--quiet --json prints the JSON document and nothing on stderr, even with warnings."""
    result = run(*INIT, "--quiet", "--json", "--region", "us", env=KEY_ENV)
    assert result.exit_code == 0 and result.stderr == ""
    assert json.loads(result.stdout)["warnings"]


@pytest.mark.skipif(os.name == "nt", reason="POSIX lock file")
def test_lock_file_is_private_and_kept(run: Any, config_dir: Path) -> None:
    """The lock file is created once, empty and mode 0600, and left for later runs."""
    assert run(*INIT, env=KEY_ENV).exit_code == 0
    lock = config_dir / LOCK_NAME
    assert lock.stat().st_size == 0 and lock.stat().st_mode & 0o077 == 0


def test_check_on_an_unparseable_config_is_exit_1_and_leaves_it(run: Any, config_dir: Path) -> None:
    """A config.json that cannot be parsed fails --check (exit 1) with its line; it is untouched."""
    config_dir.mkdir()
    path = config_dir / "config.json"
    path.write_text('{\n  "models": [\n    {"title": "x",,}\n  ]\n}\n')
    before = snapshot(config_dir)
    result = run(*INIT, "--check", "--json", env=KEY_ENV)
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["ok"] is False and payload["error"]["line"] == 3
    assert snapshot(config_dir) == before


def test_check_of_a_forced_replacement_lists_the_file_as_replaced(
    run: Any, config_dir: Path
) -> None:
    """--force --check on an unparseable config says it would be replaced, and writes nothing."""
    config_dir.mkdir()
    (config_dir / "config.json").write_text("{ not json")
    result = run(*INIT, "--force", "--check", "--json", env=KEY_ENV)
    assert result.exit_code == 1, result.output
    files = [d for d in json.loads(result.stdout)["differences"] if d["kind"] == "file"]
    assert files[0]["action"] == "replace (unparseable)"
    assert (config_dir / "config.json").read_text() == "{ not json"
