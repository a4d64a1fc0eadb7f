"""init with an organisation settings file: defaults an admin sets once, options override."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from continue_setup.config import jsonc
from tests.cli.test_rollout import INIT
from tests.conftest import ROOT, SENTINEL

KEY_ENV = {"LANGDOCK_API_KEY": SENTINEL}
EXAMPLE = ROOT / "examples" / "org-settings.json"


def all_entries(data: dict[str, Any]) -> list[dict[str, Any]]:
    tab = data.get("tabAutocompleteModel")
    return [*data["models"], *(tab if isinstance(tab, list) else [tab] if tab else [])]


def test_the_example_settings_shape_every_entry(run: Any, config_dir: Path) -> None:
    """The example file sets the base URL, a pinned model, dotenv storage and requestOptions."""
    result = run(*INIT, "--org-settings", str(EXAMPLE), "--json", env=KEY_ENV)
    assert result.exit_code == 0, result.output
    data = jsonc.parse((config_dir / "config.json").read_text()).value
    entries = all_entries(data)
    assert len(entries) == 3
    for entry in entries:
        assert entry["apiBase"].startswith("https://acme.langdock.com/api/public/")
        assert entry["apiKey"] == "LANGDOCK_API_KEY"
        assert entry["requestOptions"]["caBundlePath"] == "/etc/ssl/certs/acme-root-ca.pem"
        assert entry["requestOptions"]["headers"] == {"X-Acme-Team": "platform"}
        assert entry["requestOptions"]["timeout"] == 120
    assert {e["model"] for e in entries} >= {"gpt-4.1"}
    assert f"LANGDOCK_API_KEY={SENTINEL}" in (config_dir / ".env").read_text()
    check = run(*INIT, "--org-settings", str(EXAMPLE), "--check", env=KEY_ENV)
    assert check.exit_code == 0, check.output


def test_options_override_the_settings_file(run: Any, config_dir: Path) -> None:
    """--region, --base-url, --model and --key-storage win over the file."""
    result = run(*INIT, "--org-settings", str(EXAMPLE), "--region", "us", "--base-url",
                 "https://other.langdock.com/api/public", "--model", "gpt=gpt-5.2",
                 "--key-storage", "inline", env=KEY_ENV)  # fmt: skip
    assert result.exit_code == 0, result.output
    data = jsonc.parse((config_dir / "config.json").read_text()).value
    gpt = data["models"][0]
    assert gpt["model"] == "gpt-5.2" and gpt["apiKey"] == SENTINEL
    assert gpt["apiBase"] == "https://other.langdock.com/api/public/openai/us/v1"
    assert not (config_dir / ".env").exists()


def test_the_environment_variable_names_the_file(run: Any, config_dir: Path) -> None:
    """CONTINUE_SETUP_ORG_SETTINGS is used when --org-settings is not given."""
    env = dict(KEY_ENV, CONTINUE_SETUP_ORG_SETTINGS=str(EXAMPLE))
    assert run(*INIT, env=env).exit_code == 0
    assert "acme.langdock.com" in (config_dir / "config.json").read_text()


def test_entries_and_template_dir_come_from_the_file(
    run: Any, config_dir: Path, tmp_path: Path
) -> None:
    """The file's entries choose the templates; its template_dir is relative to the file."""
    admin = tmp_path / "admin"
    (admin / "tmpl").mkdir(parents=True)
    gpt = json.loads((ROOT / "templates" / "gpt.json").read_text())
    gpt["title"] = "Acme GPT ({model})"
    (admin / "tmpl" / "gpt.json").write_text(json.dumps(gpt))
    settings = admin / "org.json"
    settings.write_text(json.dumps({"entries": ["gpt", "claude"], "template_dir": "tmpl",
                                    "models": {"codestral": "codestral-latest"}}))  # fmt: skip
    result = run(*INIT, "--org-settings", str(settings), env=KEY_ENV)
    assert result.exit_code == 0, result.output
    data = jsonc.parse((config_dir / "config.json").read_text()).value
    assert data["models"][0]["title"] == "Acme GPT (gpt-5.2)"
    assert "tabAutocompleteModel" not in data
    narrowed = run(*INIT, "--org-settings", str(settings), "--entries", "gpt", env=KEY_ENV)
    assert narrowed.exit_code == 0, narrowed.output


def test_a_malformed_file_is_exit_2_naming_file_and_place(
    run: Any, config_dir: Path, tmp_path: Path
) -> None:
    """A bad settings file stops init before anything is written, with file, line and pointer."""
    bad = tmp_path / "org.json"
    bad.write_text('{\n  "region": "eu",\n  "request_options": {"timeout": "soon"}\n}\n')
    result = run(*INIT, "--org-settings", str(bad), env=KEY_ENV)
    assert result.exit_code == 2
    assert f"{bad}:3:" in result.stderr and "/request_options/timeout" in result.stderr
    as_json = run(*INIT, "--org-settings", str(bad), "--json", env=KEY_ENV)
    error = json.loads(as_json.stdout)["error"]
    assert error["pointer"] == "/request_options/timeout" and error["line"] == 3
    assert not config_dir.exists()


def test_a_secret_header_is_written_but_never_shown(run: Any, tmp_path: Path) -> None:
    """An Authorization header from the file reaches the config but not the dry run's output."""
    settings = tmp_path / "org.json"
    token = "Bearer corp-gateway-token-0123456789"
    settings.write_text(json.dumps({"request_options": {"headers": {"Authorization": token}}}))
    result = run(*INIT, "--org-settings", str(settings), "--dry-run", env=KEY_ENV)
    assert result.exit_code == 0, result.output
    assert "Authorization" in result.stdout
    assert token not in result.output and SENTINEL not in result.output
