"""Every command's --json shares one envelope, validated against the schema it ships with."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from continue_setup.fake.server import FakeServer
from continue_setup.resources import data_dir
from tests.fakeserver_fixtures import KEY
from tests.output_schemas import check_document

SCHEMAS = Path(data_dir("schemas")) / "output"
COMMANDS = ["backups", "doctor", "init", "migrate", "models", "ping", "remove",
            "restore", "rotate-key", "templates", "templates-show", "validate", "usage"]


def test_a_schema_ships_for_every_command() -> None:
    """schemas/output holds one schema per command (and one for usage errors), no more."""
    assert sorted(p.name.removesuffix(".schema.json") for p in SCHEMAS.glob("*.json")) == \
        sorted(COMMANDS)


def test_the_check_refuses_a_document_without_the_envelope() -> None:
    """The conftest hook would catch a command that printed its fields bare."""
    with pytest.raises(AssertionError):
        check_document(json.dumps({"command": "templates", "templates": []}), 0)
    with pytest.raises(AssertionError):  # ok disagreeing with the exit code
        check_document(json.dumps({"schema_version": 1, "command": "templates", "ok": True,
                                   "exit_code": 1, "templates": []}), 1)


def test_templates_show_honours_the_groups_json(run: Any) -> None:
    """``templates --json show gpt`` prints the rendered entry as JSON, in the envelope."""
    result = run("templates", "--json", "show", "gpt")
    document = json.loads(result.stdout)
    assert document["command"] == "templates show" and document["entry"]["provider"] == "openai"
    assert json.loads(run("templates", "show", "gpt", "--json").stdout)["entry"] == \
        document["entry"]


def test_a_usage_error_is_the_same_envelope(run: Any) -> None:
    """A bad option under --json is one document: ok false, exit 2, an error object."""
    result = run("ping", "--json", "--no-such-option")
    document = json.loads(result.stdout)
    assert result.exit_code == 2
    assert document["command"] == "ping" and document["error"]["code"] == "usage"


def test_init_after_a_failed_probe_lists_every_entry(run: Any, fake: FakeServer,
                                                     config_dir: Path) -> None:
    """No "(and N more)": the error carries each probed entry's verdict."""
    fake.keys = {"sk-ld-some-other-key"}
    result = run("init", "--yes", "--json", "--base-url", fake.url, "--config-dir",
                 str(config_dir), env={"LANGDOCK_API_KEY": KEY})
    document = json.loads(result.stdout)
    assert result.exit_code == 3 and document["command"] == "init"
    details = document["error"]["details"]
    assert len(details) == 3 and {d["category"] for d in details} == {"auth"}
    assert any("Claude" in d["title"] for d in details)


def test_ping_names_the_config_path(run: Any, fake: FakeServer, config_dir: Path) -> None:
    """ping says ``path`` for the config, as validate, init and migrate do."""
    run("init", "--yes", "--no-ping", "--base-url", fake.url, "--config-dir", str(config_dir),
        env={"LANGDOCK_API_KEY": KEY})
    result = run("ping", "--json", "--config-dir", str(config_dir))
    document = json.loads(result.stdout)
    assert document["path"].endswith("config.json") and "config" not in document
    assert document["exit_code"] == result.exit_code


@pytest.mark.parametrize("argv", [("templates", "--json"), ("backups", "--json"),
                                  ("validate", "--json", "missing.json")])
def test_simple_commands_validate(run: Any, argv: tuple[str, ...]) -> None:
    """Commands that need no server print a document their schema accepts (see conftest)."""
    result = run(*argv)
    assert json.loads(result.stdout)["command"] == argv[0]
