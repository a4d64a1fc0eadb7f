"""``continue-setup init`` through the real CLI, in a temporary home."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

import pytest

from continue_setup.config import jsonc, parsing
from tests.conftest import SENTINEL

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
INIT = ("init", "--yes", "--no-ping")
KEY_ENV = {"LANGDOCK_API_KEY": SENTINEL}


def load_json(path: Path) -> Any:
    return jsonc.parse(path.read_text()).value


def entries_by_provider(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    entries = list(data["models"])
    tab = data.get("tabAutocompleteModel")
    entries += tab if isinstance(tab, list) else [tab] if tab else []
    return {e["provider"]: e for e in entries}


def test_fresh_install_writes_the_three_entries(run: Any, config_dir: Path) -> None:
    """A first run writes config.json with GPT, Claude and Codestral, key inline, mode 0600."""
    result = run(*INIT, env=KEY_ENV)
    assert result.exit_code == 0, result.output
    path = config_dir / "config.json"
    data = load_json(path)
    by_provider = entries_by_provider(data)
    assert by_provider["openai"]["model"] == "gpt-5.2"
    assert by_provider["openai"]["apiBase"] == "https://api.langdock.com/openai/eu/v1"
    assert by_provider["anthropic"]["model"] == "claude-sonnet-4-6-default"
    assert by_provider["anthropic"]["apiBase"] == "https://api.langdock.com/anthropic/eu/v1"
    assert data["tabAutocompleteModel"]["provider"] == "mistral"
    assert data["tabAutocompleteModel"]["model"] == "codestral-2501"
    assert data["tabAutocompleteModel"]["apiBase"] == "https://api.langdock.com/mistral/eu/v1"
    assert all(e["apiKey"] == SENTINEL for e in by_provider.values())
    assert all(e["title"] for e in by_provider.values())
    if os.name != "nt":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "config.json" in result.stdout and "Continue will load" in result.stdout
    assert SENTINEL not in result.output


def test_second_run_is_byte_identical_and_makes_no_backup(run: Any, config_dir: Path) -> None:
    """Running init again changes nothing: same bytes, no backup, changed false."""
    assert run(*INIT, env=KEY_ENV).exit_code == 0
    before = (config_dir / "config.json").read_bytes()
    result = run(*INIT, "--json", env=KEY_ENV)
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["changed"] is False and payload["backup"] is None
    assert (config_dir / "config.json").read_bytes() == before
    assert not list(config_dir.glob("*.bak-*"))


def test_json_output_shape(run: Any, config_dir: Path) -> None:
    """--json prints one document with the documented keys and no key."""
    result = run(*INIT, "--json", env=KEY_ENV)
    payload = json.loads(result.stdout)
    for key in ("path", "format", "changed", "backup", "loaded_by_continue", "entries", "warnings"):
        assert key in payload
    assert payload["format"] == "json" and payload["changed"] is True
    assert payload["loaded_by_continue"] == str(config_dir / "config.json")
    roles = {e["role"] for e in payload["entries"]}
    assert roles == {"chat", "autocomplete"}
    for entry in payload["entries"]:
        assert set(entry) >= {"title", "provider", "model", "apiBase", "role"}
    assert SENTINEL not in result.output


MERGE_SOURCE = """\
// my Continue config
{
  "models": [
    {
      "title": "Local Llama", // runs on my laptop
      "provider": "ollama",
      "model": "llama3.1:8b"
    },
    {
      "title": "GPT-5.2",
      "provider": "openai",
      "model": "gpt-5.2",
      "apiKey": "<YOUR_LANGDOCK_API_KEY>",
      "apiBase": "https://api.langdock.com/openai/eu/v1",
      "requestOptions": {"timeout": 30},
    },
  ],
  /* context providers I use */
  "contextProviders": [{"name": "code"}, {"name": "diff"}],
  "customCommands": [{"name": "test", "prompt": "Write tests", "description": "tests"}],
  "someFutureKey": {"kept": true},
}
"""


def test_merge_keeps_the_users_models_comments_and_keys(run: Any, config_dir: Path) -> None:
    """Merging keeps the user's own model, comments and unknown keys, and updates ours in place."""
    config_dir.mkdir()
    path = config_dir / "config.json"
    path.write_text(MERGE_SOURCE)
    result = run(*INIT, env=KEY_ENV)
    assert result.exit_code == 0, result.output
    text = path.read_text()
    for comment in ("// my Continue config", "// runs on my laptop", "/* context providers"):
        assert comment in text
    data = load_json(path)
    titles = [m["title"] for m in data["models"]]
    assert titles[0] == "Local Llama"
    assert sum(1 for m in data["models"] if m["provider"] == "openai") == 1
    gpt = next(m for m in data["models"] if m["provider"] == "openai")
    assert gpt["apiKey"] == SENTINEL and gpt["requestOptions"] == {"timeout": 30}
    assert data["someFutureKey"] == {"kept": True}
    assert data["contextProviders"] == [{"name": "code"}, {"name": "diff"}]
    assert data["customCommands"][0]["name"] == "test"
    backups = list(config_dir.glob("config.json.bak-*"))
    assert len(backups) == 1 and backups[0].read_text() == MERGE_SOURCE


def test_users_own_autocomplete_model_is_kept(run: Any, config_dir: Path) -> None:
    """An existing non-Langdock autocomplete model stays, after ours."""
    config_dir.mkdir()
    path = config_dir / "config.json"
    own = {"title": "Qwen", "provider": "ollama", "model": "qwen2.5-coder:1.5b-base"}
    path.write_text(json.dumps({"models": [], "tabAutocompleteModel": own}))
    assert run(*INIT, env=KEY_ENV).exit_code == 0
    tab = load_json(path)["tabAutocompleteModel"]
    assert isinstance(tab, list) and tab[0]["provider"] == "mistral" and tab[1] == own
    assert run(*INIT, env=KEY_ENV).exit_code == 0
    assert load_json(path)["tabAutocompleteModel"] == tab


def test_existing_yaml_is_updated_with_key_in_dotenv(run: Any, config_dir: Path) -> None:
    """With config.yaml present, init updates it, keeps comments, and stores the key in .env."""
    config_dir.mkdir()
    path = config_dir / "config.yaml"
    path.write_text(
        "# team config\nname: Mine\nversion: 0.0.1\nschema: v1\nmodels:\n"
        "  - name: Local  # mine\n    provider: ollama\n    model: llama3\n"
    )
    result = run(*INIT, env=KEY_ENV)
    assert result.exit_code == 0, result.output
    text = path.read_text()
    assert "# team config" in text and "# mine" in text
    assert SENTINEL not in text
    data = parsing.parse_text(text, "yaml").data
    assert data["name"] == "Mine"
    assert data["models"][0]["name"] == "Local"
    codestral = next(m for m in data["models"] if m["provider"] == "mistral")
    assert codestral["roles"] == ["autocomplete"]
    assert all(
        m["apiKey"] == "${{ secrets.LANGDOCK_API_KEY }}"
        for m in data["models"]
        if m["provider"] != "ollama"
    )
    dotenv = config_dir / ".env"
    assert dotenv.read_text() == f"LANGDOCK_API_KEY={SENTINEL}\n"
    if os.name != "nt":
        assert stat.S_IMODE(dotenv.stat().st_mode) == 0o600
    assert not (config_dir / "config.json").exists()
    assert "config.yaml" in result.stdout


def test_dotenv_keeps_other_variables(run: Any, config_dir: Path) -> None:
    """Writing the key to .env keeps the variables already there."""
    config_dir.mkdir()
    (config_dir / ".env").write_text("OTHER_TOKEN=abc\n")
    assert run(*INIT, "--format", "yaml", env=KEY_ENV).exit_code == 0
    assert (config_dir / ".env").read_text() == f"OTHER_TOKEN=abc\nLANGDOCK_API_KEY={SENTINEL}\n"


def test_json_with_dotenv_uses_continues_env_mechanism(run: Any, config_dir: Path) -> None:
    """config.json with --key-storage dotenv names the variable in "env" and holds no key."""
    assert run(*INIT, "--key-storage", "dotenv", env=KEY_ENV).exit_code == 0
    text = (config_dir / "config.json").read_text()
    assert SENTINEL not in text
    data = jsonc.parse(text).value
    assert data["env"] == ["LANGDOCK_API_KEY"]
    assert all(e["apiKey"] == "LANGDOCK_API_KEY" for e in entries_by_provider(data).values())
    assert SENTINEL in (config_dir / ".env").read_text()


def test_malformed_json_is_left_untouched(run: Any, config_dir: Path) -> None:
    """A config.json that cannot be parsed is not touched: exit 1 with the line of the error."""
    config_dir.mkdir()
    path = config_dir / "config.json"
    broken = '{\n  "models": [\n    {"title": "x",}\n    {"title": "y"}\n  ]\n}\n'
    path.write_text(broken)
    result = run(*INIT, env=KEY_ENV)
    assert result.exit_code == 1
    assert path.read_text() == broken
    assert "config.json:4:5" in result.stderr
    assert "--force" in result.stderr
    assert not list(config_dir.glob("*.bak-*"))


def test_json5_syntax_is_named(run: Any, config_dir: Path) -> None:
    """JSON5-only syntax is refused as such, with its position."""
    config_dir.mkdir()
    (config_dir / "config.json").write_text("{\n  models: []\n}\n")
    result = run(*INIT, env=KEY_ENV)
    assert result.exit_code == 1
    assert "config.json:2:3" in result.stderr and "JSON5" in result.stderr


def test_force_replaces_malformed_json_after_backup(run: Any, config_dir: Path) -> None:
    """With --force a broken config is replaced, and the original kept in a backup."""
    config_dir.mkdir()
    path = config_dir / "config.json"
    path.write_text("{ not json")
    result = run(*INIT, "--force", env=KEY_ENV)
    assert result.exit_code == 0, result.output
    assert load_json(path)["models"]
    backups = list(config_dir.glob("config.json.bak-*"))
    assert len(backups) == 1 and backups[0].read_text() == "{ not json"


def test_foreign_json_is_refused_without_force(run: Any, config_dir: Path) -> None:
    """A JSON file that is not an object is not a Continue config: refused, untouched."""
    config_dir.mkdir()
    path = config_dir / "config.json"
    path.write_text("[1, 2, 3]\n")
    result = run(*INIT, env=KEY_ENV)
    assert result.exit_code == 1 and path.read_text() == "[1, 2, 3]\n"
    assert run(*INIT, "--force", env=KEY_ENV).exit_code == 0
    assert list(config_dir.glob("config.json.bak-*"))


def test_models_that_is_not_a_list_is_refused(run: Any, config_dir: Path) -> None:
    """models written as an object is reported with its place, not overwritten."""
    config_dir.mkdir()
    path = config_dir / "config.json"
    path.write_text('{\n  "models": {"title": "x"}\n}\n')
    result = run(*INIT, env=KEY_ENV)
    assert result.exit_code == 1
    assert "config.json:2:3" in result.stderr and "/models" in result.stderr


@posix_only
def test_symlinked_config_stays_a_symlink(run: Any, config_dir: Path, tmp_path: Path) -> None:
    """A config managed by a dotfile manager stays a symlink; its target gets the update."""
    config_dir.mkdir()
    real = tmp_path / "dotfiles" / "continue.json"
    real.parent.mkdir()
    real.write_text('{"models": []}\n')
    link = config_dir / "config.json"
    link.symlink_to(real)
    assert run(*INIT, env=KEY_ENV).exit_code == 0
    assert link.is_symlink() and Path(os.readlink(link)) == real
    assert len(load_json(real)["models"]) == 2


def test_region_us_keeps_codestral_on_eu(run: Any, config_dir: Path) -> None:
    """With --region us, chat goes to us, Codestral stays on eu, and the output says so."""
    result = run(*INIT, "--region", "us", env=KEY_ENV)
    assert result.exit_code == 0
    data = load_json(config_dir / "config.json")
    by_provider = entries_by_provider(data)
    assert by_provider["openai"]["apiBase"].endswith("/openai/us/v1")
    assert by_provider["anthropic"]["apiBase"].endswith("/anthropic/us/v1")
    assert by_provider["mistral"]["apiBase"].endswith("/mistral/eu/v1")
    assert "eu" in result.stderr and "codestral" in result.stderr.lower()


def test_dedicated_base_url_with_trailing_slash(run: Any, config_dir: Path) -> None:
    """A deployment URL with trailing slashes gives clean apiBases, no '//'."""
    result = run(*INIT, "--base-url", "https://acme.langdock.com/api/public//", env=KEY_ENV)
    assert result.exit_code == 0
    for entry in entries_by_provider(load_json(config_dir / "config.json")).values():
        assert entry["apiBase"].startswith("https://acme.langdock.com/api/public/")
        assert "//" not in entry["apiBase"].split("://", 1)[1]


def test_switching_to_a_deployment_updates_entries_in_place(run: Any, config_dir: Path) -> None:
    """Moving from the public API to a deployment updates our entries, never duplicates them."""
    assert run(*INIT, env=KEY_ENV).exit_code == 0
    assert (
        run(*INIT, "--base-url", "https://acme.langdock.com/api/public", env=KEY_ENV).exit_code == 0
    )
    data = load_json(config_dir / "config.json")
    assert len(data["models"]) == 2
    assert all("acme" in e["apiBase"] for e in entries_by_provider(data).values())


def test_model_override_and_entry_choice(run: Any, config_dir: Path) -> None:
    """--entries and --model choose the entries and their model ids."""
    result = run(*INIT, "--entries", "gpt,codestral", "--model", "gpt=gpt-4.1", env=KEY_ENV)
    assert result.exit_code == 0, result.output
    data = load_json(config_dir / "config.json")
    assert [m["model"] for m in data["models"]] == ["gpt-4.1"]
    assert data["tabAutocompleteModel"]["model"] == "codestral-2501"
    run(*INIT, "--entries", "gpt,codestral", "--model", "gpt=gpt-5.2", env=KEY_ENV)
    assert [m["model"] for m in load_json(config_dir / "config.json")["models"]] == ["gpt-5.2"]


def test_key_from_stdin_and_file(run: Any, config_dir: Path, tmp_path: Path) -> None:
    """The key can come from stdin or a file; its trailing newline is stripped."""
    assert run(*INIT, "--api-key-stdin", input=SENTINEL + "\n").exit_code == 0
    assert (
        entries_by_provider(load_json(config_dir / "config.json"))["openai"]["apiKey"] == SENTINEL
    )
    key_file = tmp_path / "key.txt"
    key_file.write_text("sk-ld-other-key-456\n")
    assert run(*INIT, "--api-key-file", str(key_file)).exit_code == 0
    data = load_json(config_dir / "config.json")
    assert entries_by_provider(data)["openai"]["apiKey"] == "sk-ld-other-key-456"


def test_key_with_quote_and_backslash_keeps_files_valid(run: Any, config_dir: Path) -> None:
    """A key with a quote or backslash is stored exactly, without breaking JSON or YAML."""
    key = "sk-\"odd\\key'1"
    assert run(*INIT, "--api-key-stdin", input=key).exit_code == 0
    assert entries_by_provider(load_json(config_dir / "config.json"))["openai"]["apiKey"] == key
    yaml_dir = config_dir.parent / "yaml-dir"
    result = run(
        *INIT,
        "--api-key-stdin",
        "--format",
        "yaml",
        "--key-storage",
        "inline",
        "--config-dir",
        str(yaml_dir),
        input=key,
    )
    assert result.exit_code == 0, result.output
    data = parsing.load(yaml_dir / "config.yaml").data
    assert data["models"][0]["apiKey"] == key


@pytest.mark.parametrize(
    ("args", "env", "input", "fragment"),
    [
        ((), {}, None, "LANGDOCK_API_KEY"),
        (("--api-key-stdin",), {}, "   \n", "empty"),
        (("--api-key-stdin",), {}, "sk-ld abc", "whitespace"),
        (("--api-key-stdin",), {}, "sk-ld-ключ", "non-ASCII"),
        (("--region", "asia"), KEY_ENV, None, "'eu', 'us'"),
        (("--base-url", "http://acme.langdock.com"), KEY_ENV, None, "plain http"),
        (("--entries", "gpt,llama"), KEY_ENV, None, "unknown entry 'llama'"),
        (("--model", "gpt"), KEY_ENV, None, "NAME=MODEL_ID"),
        (("--model", "claude=x", "--entries", "gpt"), KEY_ENV, None, "not included"),
        (("--api-key", SENTINEL), {}, None, "never given on the command line"),
    ],
)
def test_bad_input_is_exit_2_and_writes_nothing(
    run: Any,
    config_dir: Path,
    args: tuple[str, ...],
    env: dict[str, str],
    input: str | None,
    fragment: str,
) -> None:
    """Every bad input is refused with exit 2, a message saying what to do, and no file."""
    result = run(*INIT, *args, env=env, input=input)
    assert result.exit_code == 2, result.output
    assert fragment in result.stderr
    assert not (config_dir / "config.json").exists()
    assert SENTINEL not in result.output


def test_missing_key_names_all_three_ways(run: Any) -> None:
    """Without a key and without a terminal, init names every way to give one."""
    result = run(*INIT)
    assert result.exit_code == 2
    for way in ("LANGDOCK_API_KEY", "--api-key-stdin", "--api-key-file"):
        assert way in result.stderr


def test_json_format_refused_while_yaml_exists(run: Any, config_dir: Path) -> None:
    """--format json with a config.yaml present is refused: Continue would ignore config.json."""
    config_dir.mkdir()
    (config_dir / "config.yaml").write_text("name: a\nversion: 1.0.0\nmodels: []\n")
    result = run(*INIT, "--format", "json", env=KEY_ENV)
    assert result.exit_code == 2
    assert "ignored" in result.stderr and "--force" in result.stderr
    assert not (config_dir / "config.json").exists()


def test_json_format_with_force_moves_yaml_aside(run: Any, config_dir: Path) -> None:
    """--format json --force moves config.yaml to a backup so config.json loads."""
    config_dir.mkdir()
    (config_dir / "config.yaml").write_text("name: a\nversion: 1.0.0\nmodels: []\n")
    result = run(*INIT, "--format", "json", "--force", "--json", env=KEY_ENV)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert not (config_dir / "config.yaml").exists()
    assert list(config_dir.glob("config.yaml.bak-*"))
    assert payload["loaded_by_continue"] == str(config_dir / "config.json")


def test_dry_run_prints_masked_file_and_writes_nothing(run: Any, config_dir: Path) -> None:
    """--dry-run prints the would-be file with the key masked and writes nothing."""
    result = run(*INIT, "--dry-run", env=KEY_ENV)
    assert result.exit_code == 0
    assert '"tabAutocompleteModel"' in result.stdout and "********" in result.stdout
    assert SENTINEL not in result.output
    assert not config_dir.exists()


def test_diff_is_masked(run: Any, config_dir: Path) -> None:
    """--diff shows a unified diff against the current file, key masked, nothing written."""
    config_dir.mkdir()
    path = config_dir / "config.json"
    path.write_text('{"models": []}\n')
    result = run(*INIT, "--diff", env=KEY_ENV)
    assert result.exit_code == 0
    assert result.stdout.startswith("---") and "+++" in result.stdout
    assert '+      "apiKey": "********"' in result.stdout
    assert SENTINEL not in result.output
    assert path.read_text() == '{"models": []}\n'


def test_broken_template_dir_names_the_file(run: Any, tmp_path: Path) -> None:
    """A broken organisation template is a clear error naming the file and the field."""
    org = tmp_path / "org"
    org.mkdir()
    (org / "gpt.json").write_text(
        json.dumps(
            {
                "name": "gpt",
                "description": "x",
                "title": "T",
                "provider": "openai",
                "model": "m",
                "route": "openai",
                "role": "chat",
                "regions": ["eu"],
                "colour": "red",
            }
        )
    )
    result = run(*INIT, "--template-dir", str(org), env=KEY_ENV)
    assert result.exit_code == 2
    assert "gpt.json" in result.stderr and "colour" in result.stderr


def test_organisation_template_replaces_and_adds(
    run: Any, config_dir: Path, tmp_path: Path
) -> None:
    """--template-dir replaces a bundled template and adds a new one."""
    org = tmp_path / "org"
    org.mkdir()
    base = {
        "description": "d",
        "provider": "openai",
        "route": "openai",
        "role": "chat",
        "regions": ["eu", "us"],
    }
    (org / "gpt.json").write_text(
        json.dumps({**base, "name": "gpt", "title": "Team GPT", "model": "gpt-4.1"})
    )
    (org / "mini.json").write_text(
        json.dumps(
            {
                **base,
                "name": "mini",
                "title": "Mini ({model})",
                "model": "gpt-5-mini",
                "fields": {"contextLength": 200000},
            }
        )
    )
    result = run(*INIT, "--template-dir", str(org), env=KEY_ENV)
    assert result.exit_code == 0, result.output
    models = load_json(config_dir / "config.json")["models"]
    assert [m["title"] for m in models] == [
        "Team GPT",
        "Langdock Claude (claude-sonnet-4-6-default)",
        "Mini (gpt-5-mini)",
    ]
    assert models[2]["contextLength"] == 200000


def test_config_dir_option_and_relative_global_dir(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--config-dir wins; a relative CONTINUE_GLOBAL_DIR is taken from the current directory."""
    target = tmp_path / "elsewhere"
    assert run(*INIT, "--config-dir", str(target), env=KEY_ENV).exit_code == 0
    assert (target / "config.json").exists()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONTINUE_GLOBAL_DIR", "rel/continue")
    assert run(*INIT, env=KEY_ENV).exit_code == 0
    assert (tmp_path / "rel" / "continue" / "config.json").exists()


def test_subprocess_run_matches(run_process: Any, config_dir: Path) -> None:
    """python -m continue_setup init works as a real process, key never printed."""
    result = run_process(*INIT, "--json", env=KEY_ENV)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["changed"] is True
    assert (config_dir / "config.json").exists()
    assert SENTINEL not in result.output
