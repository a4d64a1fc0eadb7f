"""No Codestral in the workspace (today's Langdock): init, ping and doctor give one verdict."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from continue_setup.config import jsonc
from continue_setup.fake.server import Behaviour, FakeServer
from tests.cli.test_init_interactive import init_at_a_terminal
from tests.fakeserver_fixtures import KEY

ENV = {"LANGDOCK_API_KEY": KEY}


def test_init_ping_and_doctor_agree(run: Any, fake: FakeServer, config_dir: Path) -> None:
    """Working chat and no Codestral: all three exit 0 and report autocomplete unavailable."""
    fake.behaviours["mistral"] = Behaviour("model_unavailable")
    init = run("init", "--yes", "--json", "--base-url", fake.url, env=ENV)
    assert init.exit_code == 0, init.output
    assert any("autocomplete unavailable" in w for w in json.loads(init.stdout)["warnings"])
    ping = run("ping", "--json")
    assert ping.exit_code == 0, ping.output
    payload = json.loads(ping.stdout)
    assert payload["ok"] is True
    assert payload["autocomplete_unavailable"] == ["Langdock Codestral (codestral-2501)"]
    doctor = run("doctor")
    assert doctor.exit_code == 0, doctor.output
    assert "autocomplete unavailable" in doctor.stdout
    assert KEY not in init.output + ping.output + doctor.output


def test_a_failing_chat_entry_still_fails_everywhere(run: Any, fake: FakeServer,
                                                      config_dir: Path) -> None:
    """The policy covers autocomplete only: a chat model the workspace lacks is exit 3."""
    fake.behaviours["mistral"] = Behaviour("model_unavailable")
    assert run("init", "--yes", "--base-url", fake.url, env=ENV).exit_code == 0
    fake.behaviours["claude-sonnet-4-6-default"] = Behaviour("model_unavailable")
    assert run("ping").exit_code == 3
    assert run("doctor").exit_code == 3


def test_entries_without_codestral_removes_the_entry_init_wrote(run: Any,
                                                               config_dir: Path) -> None:
    """--entries gpt,claude takes out init's Codestral entry, never the user's own one."""
    args = ("init", "--yes", "--no-ping")
    assert run(*args, env=ENV).exit_code == 0
    path = config_dir / "config.json"
    data = jsonc.parse(path.read_text()).value
    mine = {"title": "My autocomplete", "provider": "ollama", "model": "qwen2.5-coder"}
    data["tabAutocompleteModel"] = [data["tabAutocompleteModel"], mine]
    path.write_text(json.dumps(data))
    result = run(*args, "--entries", "gpt,claude", env=ENV)
    assert result.exit_code == 0, result.output
    assert "removed Langdock Codestral (codestral-2501)" in result.stderr
    assert jsonc.parse(path.read_text()).value["tabAutocompleteModel"] == [mine]
    assert run(*args, "--entries", "gpt,claude", env=ENV).stderr.count("removed") == 0



@pytest.mark.parametrize(("keep", "has_codestral"), [(True, True), (False, False)])
def test_at_a_terminal_init_asks_whether_to_keep_codestral(
        run: Any, fake: FakeServer, config_dir: Path, monkeypatch: pytest.MonkeyPatch,
        keep: bool, has_codestral: bool) -> None:
    """The answer decides whether the unavailable Codestral entry is written."""
    fake.behaviours["mistral"] = Behaviour("model_unavailable")
    script = init_at_a_terminal(monkeypatch, keep, True)  # keep Codestral?, write it?
    result = run("init", "--base-url", fake.url, env=ENV)
    assert result.exit_code == 0, result.output
    assert any("Codestral is not available" in q for q in script.asked)
    data = jsonc.parse((config_dir / "config.json").read_text()).value
    assert ("tabAutocompleteModel" in data) is has_codestral
