"""``continue-setup doctor`` through the CLI: the report's order, ping, exit codes, refusals."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SENTINEL

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
LANGDOCK = "https://api.langdock.com"


def recipe(config_dir: Path, key: str = SENTINEL) -> Path:
    """Write Langdock's recipe as config.json (mode 0600) and return its path."""
    data = {
        "models": [
            {"title": "GPT", "provider": "openai", "model": "gpt-5.2", "apiKey": key,
             "apiBase": f"{LANGDOCK}/openai/eu/v1"},
            {"title": "Claude", "provider": "anthropic", "model": "claude-sonnet-4-6-default",
             "apiKey": key, "apiBase": f"{LANGDOCK}/anthropic/eu/v1"},
        ],
        "tabAutocompleteModel": {"title": "Codestral", "provider": "mistral",
                                 "model": "codestral-2501", "apiKey": key,
                                 "apiBase": f"{LANGDOCK}/mistral/eu/v1"},
    }
    config_dir.mkdir(parents=True, exist_ok=True)
    path = config_dir / "config.json"
    path.write_text(json.dumps(data, indent=2))
    os.chmod(path, 0o600)
    return path


def test_healthy_config_exits_zero_with_every_section_in_order(run: Any, config_dir: Path
                                                               ) -> None:
    """A correct recipe gives the six sections in the issue's order and exit 0."""
    recipe(config_dir)
    result = run("doctor", "--offline")
    assert result.exit_code == 0, result.output
    heads = ["1. Where Continue looks", "2. Which file Continue loads", "3. Secrets",
             "4. Validate", "5. Ping", "6. Fixes"]
    positions = [result.stdout.index(h) for h in heads]
    assert positions == sorted(positions)
    assert "skipped (--offline)" in result.stdout
    assert "Result: healthy" in result.stdout
    assert SENTINEL not in result.output


def test_location_explains_continue_global_dir_and_jetbrains(run: Any, config_dir: Path,
                                                             isolated_home: Path) -> None:
    """The report says CONTINUE_GLOBAL_DIR chose the dir and that JetBrains reads ~/.continue."""
    elsewhere = isolated_home.parent / "elsewhere"
    recipe(elsewhere)
    result = run("doctor", "--offline", "--json", env={"CONTINUE_GLOBAL_DIR": str(elsewhere)})
    location = json.loads(result.stdout)["location"]
    assert location["source"] == "CONTINUE_GLOBAL_DIR"
    assert location["config_dir"] == str(elsewhere)
    assert location["jetbrains_dir"] == str(isolated_home / ".continue")
    assert "JetBrains plugin ignores CONTINUE_GLOBAL_DIR" in location["note"]


def test_shadowed_config_json_is_listed_as_ignored(run: Any, config_dir: Path) -> None:
    """With a real config.yaml beside config.json, doctor names config.json as ignored."""
    recipe(config_dir)
    yaml = config_dir / "config.yaml"
    yaml.write_text("name: Mine\nversion: 1.0.0\nschema: v1\nmodels:\n  - name: Local\n"
                    "    provider: ollama\n    model: llama3\n")
    payload = json.loads(run("doctor", "--offline", "--json").stdout)
    assert payload["files"]["loaded"] == str(yaml)
    assert payload["files"]["ignored"][0]["path"] == str(config_dir / "config.json")
    assert "shadowed" in payload["files"]["ignored"][0]["reason"]


def test_secrets_section_names_references_without_values(run: Any, config_dir: Path) -> None:
    """Referenced secret names are listed with where they resolve; no value is printed."""
    config_dir.mkdir()
    (config_dir / "config.yaml").write_text(
        "name: L\nversion: 1.0.0\nschema: v1\nmodels:\n  - name: GPT\n    provider: openai\n"
        "    model: gpt-5.2\n    apiKey: ${{ secrets.LANGDOCK_API_KEY }}\n"
        f"    apiBase: {LANGDOCK}/openai/eu/v1\n")
    (config_dir / ".env").write_text(f"LANGDOCK_API_KEY={SENTINEL}\n")
    for path in config_dir.iterdir():
        os.chmod(path, 0o600)
    result = run("doctor", "--offline", "--json")
    secrets = json.loads(result.stdout)["secrets"]
    assert secrets["present"] is True and secrets["private"] is True
    assert secrets["names"] == [{"name": "LANGDOCK_API_KEY", "resolved": True,
                                 "resolved_in": ".env"}]
    assert SENTINEL not in result.output
    assert result.exit_code == 0


def test_no_config_at_all_is_an_error(run: Any, config_dir: Path) -> None:
    """An empty config dir means Continue has no models: exit 1 with advice to run init."""
    config_dir.mkdir()
    result = run("doctor", "--offline", "--json")
    payload = json.loads(result.stdout)
    assert result.exit_code == 1
    assert payload["files"]["problems"][0]["code"] == "no-config"


def test_fix_without_yes_off_a_terminal_refuses_and_writes_nothing(run: Any, config_dir: Path
                                                                   ) -> None:
    """--fix with no --yes and no terminal shows the diff, refuses (exit 2), writes nothing."""
    path = recipe(config_dir)
    data = json.loads(path.read_text())
    data["models"][0]["apiBase"] += "/chat/completions"
    path.write_text(json.dumps(data))
    before = path.read_text()
    result = run("doctor", "--offline", "--fix")
    assert result.exit_code == 2
    assert "pass --yes" in result.stderr
    assert "-" in result.stdout and "/chat/completions" in result.stdout  # the diff
    assert path.read_text() == before
    assert not [p for p in config_dir.iterdir() if ".bak-" in p.name]
    assert SENTINEL not in result.output


def test_fix_json_mode_is_one_document(run: Any, config_dir: Path) -> None:
    """doctor --fix --yes --json prints one JSON document with the fixes and the state after."""
    path = recipe(config_dir)
    data = json.loads(path.read_text())
    data["models"][1]["apiBase"] = f"{LANGDOCK}/anthropic/eu"
    path.write_text(json.dumps(data))
    result = run("doctor", "--offline", "--fix", "--yes", "--json")
    payload = json.loads(result.stdout)
    assert [f["code"] for f in payload["fixes"]] == ["langdock-missing-v1"]
    assert payload["fixes"][0]["pointer"] == "/models/1/apiBase"
    assert payload["fix"]["applied"] is True
    assert payload["fix"]["after"]["exit_code"] == 0
    assert result.exit_code == 0
    assert json.loads(path.read_text())["models"][1]["apiBase"] == f"{LANGDOCK}/anthropic/eu/v1"


@posix_only
def test_key_readable_by_others_is_found_and_fixed(run: Any, config_dir: Path) -> None:
    """A 0644 config.json holding a key is reported, and --fix makes it 0600 without rewriting."""
    path = recipe(config_dir)
    os.chmod(path, 0o644)
    before = path.read_bytes()
    diagnosis = json.loads(run("doctor", "--offline", "--json").stdout)
    assert "file-mode-open" in {f["code"] for f in diagnosis["validate"]["findings"]}
    result = run("doctor", "--offline", "--fix", "--yes")
    assert result.exit_code == 0, result.output
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert path.read_bytes() == before
    assert "chmod 600" in result.stdout


def test_fix_at_a_terminal_asks_and_declining_writes_nothing(run: Any, config_dir: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    """At a terminal --fix shows the masked diff and asks; answering no changes nothing."""
    from continue_setup.cli import doctor as doctor_cli
    from continue_setup.cli.inputs import Prompter

    path = recipe(config_dir)
    data = json.loads(path.read_text())
    data["models"][0]["apiBase"] += "/responses"
    path.write_text(json.dumps(data))
    before = path.read_text()
    asked: list[str] = []
    monkeypatch.setattr(doctor_cli, "is_terminal", lambda: True)
    monkeypatch.setattr(Prompter, "confirm", lambda self, text: asked.append(text) or False)
    result = run("doctor", "--offline", "--fix")
    assert asked == ["Apply these fixes?"]
    assert result.exit_code == 1 and "declined" in result.stderr  # as init's "Write it?"
    assert "+++" in result.stdout and "********" in result.stdout
    assert path.read_text() == before and SENTINEL not in result.output


def test_fix_at_a_terminal_applies_when_confirmed(run: Any, config_dir: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Answering yes applies the fix, keeps a backup and ends healthy."""
    from continue_setup.cli import doctor as doctor_cli
    from continue_setup.cli.inputs import Prompter

    path = recipe(config_dir)
    data = json.loads(path.read_text())
    data["models"][0]["apiBase"] += "/responses"
    path.write_text(json.dumps(data))
    monkeypatch.setattr(doctor_cli, "is_terminal", lambda: True)
    monkeypatch.setattr(Prompter, "confirm", lambda self, text: True)
    result = run("doctor", "--offline", "--fix")
    assert result.exit_code == 0, result.output
    assert json.loads(path.read_text())["models"][0]["apiBase"].endswith("/openai/eu/v1")
    assert [p for p in config_dir.iterdir() if p.name.startswith("config.json.bak-")]


def test_fix_json_without_yes_is_one_refusing_document(run: Any, config_dir: Path) -> None:
    """--fix --json without --yes prints one document saying why nothing was applied (exit 2)."""
    path = recipe(config_dir)
    data = json.loads(path.read_text())
    data["models"][0]["apiBase"] += "/chat/completions"
    path.write_text(json.dumps(data))
    result = run("doctor", "--offline", "--fix", "--json")
    payload = json.loads(result.stdout)
    assert result.exit_code == 2
    assert payload["fix"]["applied"] is False and "--yes" in payload["fix"]["refused"]
    assert payload["fixes"][0]["code"] == "apibase-endpoint-suffix"


def test_doctor_runs_as_a_real_process(run_process: Any, config_dir: Path) -> None:
    """python -m continue_setup doctor --offline --json works outside CliRunner."""
    recipe(config_dir)
    result = run_process("doctor", "--offline", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["files"]["loaded"] == str(config_dir / "config.json")
    assert SENTINEL not in result.stdout + result.stderr


def test_json_exit_code_is_the_runs_after_fixing(run: Any, config_dir: Path) -> None:
    """With fixes applied, the document's ok and exit_code describe the fixed state."""
    path = recipe(config_dir)
    data = json.loads(path.read_text())
    data["tabAutocompleteModel"]["apiBase"] = "https://api.langdock.com/mistral/us/v1"
    path.write_text(json.dumps(data))
    before = json.loads(run("doctor", "--offline", "--json").stdout)
    result = run("doctor", "--offline", "--json", "--fix", "--yes")
    after = json.loads(result.stdout)
    assert (before["ok"], before["exit_code"]) == (False, 1)
    assert (after["ok"], after["exit_code"], result.exit_code) == (True, 0, 0)
