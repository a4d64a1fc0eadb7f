"""One diagnosis, one severity: validate, doctor, ping and init agree on the same config."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from continue_setup.fake.server import FakeServer
from tests.fakeserver_fixtures import KEY

DEFAULT_YAML = "name: Main Config\nversion: 1.0.0\nschema: v1\nmodels: []\n"
EDITED_EMPTY_YAML = DEFAULT_YAML + "rules:\n  - Answer briefly.\n"
AUTOCOMPLETE_ONLY = (
    "name: Team\nversion: 1.0.0\nschema: v1\nmodels:\n  - name: Codestral\n"
    "    provider: mistral\n    model: codestral-2501\n"
    "    apiBase: https://api.langdock.com/mistral/eu/v1\n"
    "    apiKey: ${{ secrets.LANGDOCK_API_KEY }}\n    roles: [autocomplete]\n"
)


def working_json(base: str) -> str:
    """Return a config.json with one chat model at ``base``."""
    entry = {"title": "GPT", "provider": "openai", "model": "gpt-4o", "apiKey": KEY,
             "apiBase": f"{base}/openai/eu/v1"}
    return json.dumps({"models": [entry]})


def write(path: Path, text: str, mode: int = 0o600) -> None:
    """Write ``text`` to ``path`` (parents made) with ``mode``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)


def verdicts(run: Any, config_dir: Path) -> dict[str, tuple[int, dict[str, str]]]:
    """Run validate, doctor and ping on ``config_dir``; return each exit code and code->severity."""
    found: dict[str, tuple[int, dict[str, str]]] = {}
    result = run("validate", "--json", "--config-dir", str(config_dir))
    codes = {f["code"]: f["severity"] for r in json.loads(result.stdout)["files"]
             for f in r["findings"]}
    found["validate"] = (result.exit_code, codes)
    result = run("doctor", "--offline", "--json", "--config-dir", str(config_dir))
    report = json.loads(result.stdout)
    codes = {f["code"]: f["severity"]
             for f in report["files"]["problems"] + report["validate"]["findings"]}
    found["doctor"] = (result.exit_code, codes)
    result = run("ping", "--json", "--timeout", "5", "--config-dir", str(config_dir))
    codes = {f["code"]: f["severity"] for f in json.loads(result.stdout).get("findings", [])}
    found["ping"] = (result.exit_code, codes)
    return found


@pytest.mark.parametrize(("yaml_text", "code"), [
    (DEFAULT_YAML, "default-config"),
    (EDITED_EMPTY_YAML, "no-chat-model"),
])
def test_config_yaml_without_models_beside_working_json_is_one_error_everywhere(
        run: Any, fake: FakeServer, config_dir: Path, yaml_text: str, code: str) -> None:
    """config.yaml with models: [] hides a working config.json: every command says error, exit 1."""
    write(config_dir / "config.json", working_json(fake.url))
    write(config_dir / "config.yaml", yaml_text)
    for command, (exit_code, codes) in verdicts(run, config_dir).items():
        assert exit_code == 1, command
        assert codes.get(code) == "error", (command, codes)
    assert fake.recorded() == []  # nothing to probe: the loaded file has no model


def test_autocomplete_only_config_is_an_error_in_all_four(
        run: Any, fake: FakeServer, config_dir: Path) -> None:
    """Only an autocomplete model: validate, doctor and ping say no-chat-model; init refuses it."""
    write(config_dir / "config.yaml", AUTOCOMPLETE_ONLY.replace(
        "https://api.langdock.com", fake.url))
    write(config_dir / ".env", f"LANGDOCK_API_KEY={KEY}\n")
    for command, (exit_code, codes) in verdicts(run, config_dir).items():
        assert exit_code == 1, command
        assert codes.get("no-chat-model") == "error", (command, codes)
    empty = config_dir.parent / "empty"
    result = run("init", "--yes", "--no-ping", "--entries", "codestral", "--config-dir",
                 str(empty), env={"LANGDOCK_API_KEY": KEY})
    assert result.exit_code == 1
    assert "no-chat-model" in result.stderr and not empty.joinpath("config.json").exists()


def test_a_working_config_is_healthy_everywhere(
        run: Any, fake: FakeServer, config_dir: Path) -> None:
    """The control case: a config.json with a chat model passes all three checks."""
    write(config_dir / "config.json", working_json(fake.url))
    for command, (exit_code, codes) in verdicts(run, config_dir).items():
        assert exit_code == 0, (command, codes)
        assert "no-chat-model" not in codes and "default-config" not in codes


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX only")
def test_chmod_is_offered_only_for_a_file_that_holds_a_secret(
        run: Any, config_dir: Path) -> None:
    """A world-readable config.yaml with only a reference: no file-mode finding, no chmod fix."""
    yaml_text = AUTOCOMPLETE_ONLY.replace("roles: [autocomplete]", "roles: [chat]")
    write(config_dir / "config.yaml", yaml_text, mode=0o644)
    write(config_dir / ".env", f"LANGDOCK_API_KEY={KEY}\n")
    report = json.loads(run("doctor", "--offline", "--json").stdout)
    assert not [f for f in report["fixes"] if f["code"] == "file-mode-open"]
    validated = json.loads(run("validate", "--json").stdout)
    assert "file-mode-open" not in {f["code"] for r in validated["files"] for f in r["findings"]}
    # The same file holding the key itself: both name it, and doctor offers the chmod.
    write(config_dir / "config.yaml", yaml_text.replace("${{ secrets.LANGDOCK_API_KEY }}", KEY),
          mode=0o644)
    report = json.loads(run("doctor", "--offline", "--json").stdout)
    assert [f for f in report["fixes"] if f["code"] == "file-mode-open"]
    validated = json.loads(run("validate", "--json").stdout)
    assert "file-mode-open" in {f["code"] for r in validated["files"] for f in r["findings"]}
