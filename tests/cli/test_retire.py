"""migrate can retire the old config.json; init says when a config.json's models stay hidden."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import SENTINEL
from tests.fakeserver_fixtures import langdock_config


def test_migrate_retire_json_leaves_no_warning_behind(run: Any, config_dir: Path) -> None:
    """After migrate --key-storage dotenv --retire-json, validate --strict passes: config.json,
    with its inline key, is a backup now, not a shadowed file nothing can clear."""
    config_dir.mkdir()
    (config_dir / "config.json").write_text(
        json.dumps(langdock_config("https://api.langdock.com", key=SENTINEL), indent=2))
    (config_dir / "config.json").chmod(0o600)
    result = run("migrate", "--key-storage", "dotenv", "--retire-json", "--json")
    assert result.exit_code == 0, result.output
    retired = json.loads(result.stdout)["retired"]
    assert retired and not (config_dir / "config.json").exists()
    assert SENTINEL in Path(retired).read_text(encoding="utf-8")
    strict = run("validate", "--strict")
    assert strict.exit_code == 0, strict.output
    assert SENTINEL not in result.output + strict.output


def test_migrate_without_retire_says_how_to_retire(run: Any, config_dir: Path) -> None:
    """Without --retire-json config.json stays, and migrate says how to retire it."""
    config_dir.mkdir()
    (config_dir / "config.json").write_text(
        json.dumps(langdock_config("https://api.langdock.com", key=SENTINEL)))
    result = run("migrate", "--key-storage", "dotenv")
    assert result.exit_code == 0, result.output
    assert (config_dir / "config.json").exists() and "--retire-json" in result.stderr


def test_init_into_config_yaml_names_the_models_config_json_hides(
        run: Any, config_dir: Path) -> None:
    """init writing config.yaml says config.json beside it holds models Continue ignores."""
    config_dir.mkdir()
    (config_dir / "config.json").write_text(json.dumps({"models": [
        {"title": "Local", "provider": "ollama", "model": "llama3.1:8b"}]}))
    (config_dir / "config.yaml").write_text("name: Mine\nversion: 1.0.0\nschema: v1\n")
    result = run("init", "--yes", "--no-ping", "--json", env={"LANGDOCK_API_KEY": SENTINEL})
    assert result.exit_code == 0, result.output
    warnings = json.loads(result.stdout)["warnings"]
    assert any("1 model(s) (Local)" in w and "ignores" in w for w in warnings), warnings


def test_retire_json_alone_beside_a_users_config_yaml(run: Any, config_dir: Path) -> None:
    """Beside a config.yaml of the user's, migrate --retire-json (no --force) moves only
    config.json aside and leaves config.yaml byte for byte; the dry run only says so."""
    config_dir.mkdir()
    (config_dir / "config.json").write_text(
        json.dumps(langdock_config("https://api.langdock.com", key=SENTINEL)))
    yaml_text = ("name: Mine\nversion: 1.0.0\nschema: v1\nmodels:\n  - name: Local\n"
                 "    provider: ollama\n    model: llama3\n")
    (config_dir / "config.yaml").write_text(yaml_text)
    converting = run("migrate")  # without --retire-json, a config.yaml of the user's is kept
    assert converting.exit_code == 2 and "already exists" in converting.stderr
    preview = run("migrate", "--retire-json", "--dry-run")
    assert preview.exit_code == 0, preview.output
    assert "would move" in preview.stdout and (config_dir / "config.json").exists()
    result = run("migrate", "--retire-json", "--json")
    assert result.exit_code == 0, result.output
    retired = json.loads(result.stdout)["retired"]
    assert retired and not (config_dir / "config.json").exists()
    assert SENTINEL in Path(retired).read_text(encoding="utf-8")
    assert (config_dir / "config.yaml").read_text() == yaml_text
    assert SENTINEL not in preview.output + result.output
