"""init proposes the workspace's current models: the newest catalogue model it lists."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from continue_setup.cli.initflow import _current_models
from continue_setup.cli.inputs import Prompter
from continue_setup.config import jsonc
from continue_setup.config.keys import Secret
from continue_setup.config.paths import ConfigDir
from continue_setup.fake.server import Behaviour, FakeServer
from continue_setup.probe.current import Choice, chosen_models
from continue_setup.setup.settings import Settings
from continue_setup.setup.templates import load_templates
from tests.fakeserver_fixtures import KEY


def init(run: Any, fake: FakeServer, config_dir: Path, *args: str) -> Any:
    """Run init --yes against the fake server into ``config_dir``."""
    return run("init", "--yes", "--base-url", fake.url, "--config-dir", str(config_dir), *args,
               env={"LANGDOCK_API_KEY": KEY})


def models_of(config_dir: Path) -> dict[str, str]:
    """Return provider -> model of the written config.json."""
    data = jsonc.parse((config_dir / "config.json").read_text()).value
    entries = [*data["models"], data["tabAutocompleteModel"]]
    return {e["provider"]: e["model"] for e in entries}


def test_yes_takes_the_newest_listed_catalogue_model(run: Any, fake: FakeServer,
                                                     config_dir: Path) -> None:
    """With gpt-5.6 and claude-sonnet-5 listed, --yes writes them, with their metadata."""
    fake.models["openai"] = ["gpt-4.1", "gpt-5.6", "gpt-5.2", "gpt-9-unknown"]
    fake.models["anthropic"] = ["claude-sonnet-4-6-default", "claude-sonnet-5"]
    result = init(run, fake, config_dir)
    assert result.exit_code == 0, result.output
    assert models_of(config_dir) == {"openai": "gpt-5.6", "anthropic": "claude-sonnet-5",
                                     "mistral": "codestral-2501"}
    assert "gpt: gpt-5.6, the newest catalogue model the workspace lists" in result.output
    data = jsonc.parse((config_dir / "config.json").read_text()).value
    assert data["models"][0]["contextLength"] == 400000
    listed = {r.path for r in fake.recorded("models")}
    assert listed == {"/openai/eu/v1/models", "/anthropic/eu/v1/models"}


def test_unchanged_rerun_stays_off_the_network_and_keeps_the_model(
        run: Any, fake: FakeServer, config_dir: Path) -> None:
    """A second run reads no list while nothing would change; a changed one re-picks."""
    fake.models["openai"] = ["gpt-5.6"]
    assert init(run, fake, config_dir).exit_code == 0
    sent = len(fake.recorded())
    assert init(run, fake, config_dir).exit_code == 0  # template default differs: re-pick
    assert models_of(config_dir)["openai"] == "gpt-5.6"
    assert all(r.kind == "models" for r in list(fake.recorded())[sent:])


def test_pinned_models_are_not_replaced(run: Any, fake: FakeServer, config_dir: Path) -> None:
    """--model gpt=gpt-5.2 wins over a newer listed model the workspace lists."""
    fake.models["openai"] = ["gpt-5.6", "gpt-5.2"]
    result = init(run, fake, config_dir, "--model", "gpt=gpt-5.2")
    assert result.exit_code == 0, result.output
    assert models_of(config_dir)["openai"] == "gpt-5.2"


def test_unavailable_list_falls_back_to_the_template_and_says_so(
        run: Any, fake: FakeServer, config_dir: Path) -> None:
    """A failing models endpoint keeps the template default, with a note naming why."""
    fake.behaviours["models"] = Behaviour("server_error")
    result = init(run, fake, config_dir, "--json")
    assert result.exit_code == 0, result.output
    warnings = json.loads(result.stdout)["warnings"]
    assert any("model list is unavailable (server_error)" in w and "gpt-5.2" in w
               for w in warnings)
    assert models_of(config_dir)["openai"] == "gpt-5.2"


class Answers(Prompter):
    """Answers each question from a list, recording the questions."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []

    def ask(self, text: str, default: str) -> str:
        self.asked.append(text)
        return self.answers.pop(0) or default


def test_at_a_terminal_the_choice_lists_the_default_first(fake: FakeServer,
                                                          tmp_path: Path) -> None:
    """The question offers the listed catalogue models, newest first; the answer is taken."""
    fake.models["openai"] = ["gpt-4.1", "gpt-5.2"]
    fake.models["anthropic"] = ["claude-sonnet-4-6-default"]
    settings = Settings(api_key=Secret(KEY), base_url=fake.url, entries=("gpt", "claude"))
    answers = Answers("gpt-4.1")
    chosen, notes, planned = _current_models(settings, ConfigDir(tmp_path / "c", "argument"),
                                             load_templates(), True, answers, None)
    assert planned is None  # planned for the template default, not for the chosen model
    assert answers.asked == ["Model for gpt (gpt-5.2, gpt-4.1)"]  # one option: no question
    assert chosen.models == {"gpt": "gpt-4.1"}
    assert notes == ["gpt: gpt-4.1, chosen from the workspace's list (template default: "
                     "gpt-5.2)"]


def test_chosen_models_only_overrides_what_differs() -> None:
    """The preferred id equal to the template's default adds no override and no note."""
    same = Choice("gpt", "openai", ("gpt-5.2", "gpt-4.1"), "gpt-5.2")
    assert chosen_models([same], {}) == ({}, [])
