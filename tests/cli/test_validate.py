"""``continue-setup validate`` through the CLI: exit codes, output shapes, modes and secrets."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import GPT_CONFIG, KEY, SENTINEL


def write(path: Path, text: str | dict[str, Any], mode: int = 0o600) -> Path:
    """Write a config (text, or data as JSON) with ``mode``; return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text if isinstance(text, str) else json.dumps(text, indent=2), "utf-8")
    path.chmod(mode)
    return path


def with_warning() -> dict[str, Any]:
    """Return a valid config with one warning (a deprecated key)."""
    return {**GPT_CONFIG, "disableIndexing": True}


def with_error() -> dict[str, Any]:
    """Return a config with one error (a placeholder key) and one warning."""
    data = with_warning()
    data["models"] = [{**GPT_CONFIG["models"][0], "apiKey": "<YOUR_LANGDOCK_API_KEY>"}]
    return data


# --- exit codes -----------------------------------------------------------------------------


def test_valid_file_exits_0(run: Any, tmp_path: Path) -> None:
    """A config with nothing to report exits 0 and says it is valid."""
    path = write(tmp_path / "config.json", GPT_CONFIG)
    result = run("validate", str(path))
    assert result.exit_code == 0
    assert "valid" in result.stdout and "error" not in result.stdout


def test_warnings_exit_0_unless_strict(run: Any, tmp_path: Path) -> None:
    """Warnings alone exit 0; --strict makes them fail with 1."""
    path = write(tmp_path / "config.json", with_warning())
    assert run("validate", str(path)).exit_code == 0
    strict = run("validate", "--strict", "--json", str(path))
    assert strict.exit_code == 1
    report = json.loads(strict.stdout)
    assert report["valid"] is False and report["strict"] is True
    assert report["files"][0]["valid"] is False
    assert report["files"][0]["findings"][0]["severity"] == "warning"


def test_errors_exit_1(run: Any, tmp_path: Path) -> None:
    """Any error exits 1."""
    path = write(tmp_path / "config.json", with_error())
    assert run("validate", str(path)).exit_code == 1


def test_unreadable_file_exits_2_and_others_still_reported(run: Any, tmp_path: Path) -> None:
    """A missing file exits 2, appears as an 'unreadable' entry, and the other files are checked."""
    bad = write(tmp_path / "a" / "config.json", with_error())
    result = run("validate", "--json", str(tmp_path / "nope.json"), str(bad))
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    first, second = report["files"]
    assert first["path"].endswith("nope.json") and first["valid"] is False
    assert [f["code"] for f in first["findings"]] == ["unreadable"]
    assert "no such file" in first["findings"][0]["message"]
    assert {f["code"] for f in second["findings"]} == {"placeholder-key", "deprecated-key"}
    assert report["summary"]["unreadable"] == 1


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_unreadable_permissions_exit_2(run: Any, tmp_path: Path) -> None:
    """A file we may not read exits 2 with the reason (skipped as root, who reads anything)."""
    import os

    if os.geteuid() == 0:
        pytest.skip("root reads files whatever their mode")
    path = write(tmp_path / "config.json", GPT_CONFIG, mode=0o000)
    result = run("validate", str(path))
    assert result.exit_code == 2
    assert "Permission denied" in result.stdout


def test_bad_option_is_a_usage_error(run: Any) -> None:
    """An unknown option exits 2, as every usage error does."""
    assert run("validate", "--no-such-option").exit_code == 2


# --- JSON -----------------------------------------------------------------------------------


def test_json_shape(run: Any, tmp_path: Path) -> None:
    """--json prints the documented document: files, valid, and a summary by code."""
    one = write(tmp_path / "one" / "config.json", with_error())
    two = write(tmp_path / "two" / "config.yaml", "name: x\nversion: 1\nmodels: []\n")
    result = run("validate", "--json", str(one), str(two))
    report = json.loads(result.stdout)
    assert set(report) == {"schema_version", "command", "ok", "exit_code", "files", "valid",
                           "strict", "config_dir", "summary"}
    assert report["valid"] is False
    for entry in report["files"]:
        assert list(entry) == ["path", "format", "loaded_by_continue", "valid", "findings"]
        for finding in entry["findings"]:
            assert list(finding) == [
                "severity",
                "code",
                "pointer",
                "line",
                "column",
                "message",
                "hint",
            ]
    assert [f["format"] for f in report["files"]] == ["json", "yaml"]
    assert report["summary"] == {
        "files": 2,
        "valid": 0,
        "invalid": 2,
        "unreadable": 0,
        "errors": 3,
        "warnings": 1,
        "by_code": {
            "deprecated-key": 1,
            "no-chat-model": 1,
            "placeholder-key": 1,
            "schema-type": 1,
        },
    }


def test_json_lists_errors_before_warnings(run: Any, tmp_path: Path) -> None:
    """Within a file, errors come first, then warnings, each in file order."""
    path = write(tmp_path / "config.json", with_error())
    findings = json.loads(run("validate", "--json", str(path)).stdout)["files"][0]["findings"]
    assert [f["severity"] for f in findings] == ["error", "warning"]


# --- text -----------------------------------------------------------------------------------


def test_text_groups_by_file(run: Any, tmp_path: Path) -> None:
    """The text report names each file, then each finding as ``path:line:col: severity code
    message (at pointer)`` (clickable in an editor's terminal), its hint on the next line."""
    one = write(tmp_path / "one" / "config.json", with_error())
    two = write(tmp_path / "two" / "config.json", GPT_CONFIG)
    out = run("validate", str(one), str(two)).stdout
    lines = out.splitlines()
    assert lines[0].startswith("✗ ") and str(one) in lines[0] and "1 error, 1 warning" in lines[0]
    assert lines[1].strip().startswith(f"{one}:7:")
    assert ": error placeholder-key the apiKey is a placeholder" in lines[1]
    assert lines[1].endswith("(at /models/0/apiKey)")
    assert lines[2].startswith("      hint: ")
    assert out.index("placeholder-key") < out.index("deprecated-key") < out.index(str(two))
    assert "2 files: 1 valid, 1 invalid (1 error, 1 warning)" in out


def test_colour_only_when_asked_and_never_with_no_color(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FORCE_COLOR colours the report; NO_COLOR wins over it."""
    path = write(tmp_path / "config.json", with_error())
    assert "\x1b[" not in run("validate", str(path)).stdout
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[31;1m" in run("validate", str(path)).stdout
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run("validate", str(path)).stdout


def test_quiet_prints_nothing_on_success_and_errors_on_failure(run: Any, tmp_path: Path) -> None:
    """-q is silent for a valid file and shows only errors for an invalid one."""
    good = write(tmp_path / "good" / "config.json", with_warning())
    bad = write(tmp_path / "bad" / "config.json", with_error())
    assert run("validate", "-q", str(good)).stdout == ""
    out = run("validate", "-q", str(good), str(bad)).stdout
    assert str(good) not in out
    assert "placeholder-key" in out and "deprecated-key" not in out


# --- which files ----------------------------------------------------------------------------


def test_no_path_checks_the_file_continue_loads(run: Any, config_dir: Path) -> None:
    """With no path, validate checks Continue's config.yaml (it wins over config.json)."""
    write(config_dir / "config.json", GPT_CONFIG)
    write(config_dir / "config.yaml", "name: x\nversion: '1'\nmodels: []\n")
    result = run("validate")
    assert result.exit_code == 1  # an untouched default has no chat model: an error
    assert result.stdout.startswith("Continue loads ~/.continue/config.yaml")
    assert "CONTINUE_GLOBAL_DIR" in result.stdout
    assert "default-config" in result.stdout and "config.json" in result.stdout
    report = json.loads(run("validate", "--json").stdout)
    assert [f["loaded_by_continue"] for f in report["files"]] == [True]
    assert report["config_dir"] == str(config_dir)


def test_no_path_and_no_config_exits_2(run: Any, config_dir: Path) -> None:
    """With no path and nothing in Continue's directory, validate says so and exits 2."""
    result = run("validate")
    assert result.exit_code == 2
    assert "no config.yaml or config.json" in result.stderr and "init" in result.stderr


def test_explicit_path_knows_whether_continue_loads_it(run: Any, config_dir: Path) -> None:
    """loaded_by_continue is true only for the file Continue loads from its directory."""
    loaded = write(config_dir / "config.json", GPT_CONFIG)
    other = write(config_dir.parent / "copy" / "config.json", GPT_CONFIG)
    report = json.loads(run("validate", "--json", str(loaded), str(other)).stdout)
    assert [f["loaded_by_continue"] for f in report["files"]] == [True, False]


def test_directories_are_walked(run: Any, tmp_path: Path) -> None:
    """A directory expands to the configs under it, skipping hidden files and tool folders."""
    root = tmp_path / "fleet"
    write(root / "host-a" / ".continue" / "config.json", GPT_CONFIG)
    write(root / "host-b" / ".continue" / "config.yaml", "name: x\nversion: '1'\n")
    write(root / "host-c.json", with_error())
    write(root / "host-a" / ".continue" / ".continuerc.json", "{}")
    write(root / "host-a" / ".continue" / "index" / "globalContext.json", "{}")
    write(root / "node_modules" / "pkg" / "package.json", "{}")
    write(root / "notes.txt", "not a config")
    result = run("validate", "--json", str(root))
    names = [
        Path(f["path"]).relative_to(root).as_posix() for f in json.loads(result.stdout)["files"]
    ]
    assert names == ["host-c.json", "host-a/.continue/config.json", "host-b/.continue/config.yaml"]
    assert result.exit_code == 1


def test_empty_directory_exits_2(run: Any, tmp_path: Path) -> None:
    """A directory with no config files is a usage error."""
    (tmp_path / "empty").mkdir()
    result = run("validate", str(tmp_path / "empty"))
    assert result.exit_code == 2
    assert "no config files" in result.stderr


def test_config_dir_option_names_the_env_file(run: Any, tmp_path: Path) -> None:
    """--config-dir makes secrets resolve from that directory's .env, not the file's own."""
    config = write(
        tmp_path / "configs" / "config.yaml",
        "name: x\nversion: '1'\nmodels:\n  - name: GPT\n    provider: openai\n    model: gpt-5.2\n"
        "    apiBase: https://api.langdock.com/openai/eu/v1\n"
        "    apiKey: ${{ secrets.LANGDOCK_API_KEY }}\n",
    )
    write(tmp_path / "secrets" / ".env", f"LANGDOCK_API_KEY={KEY}\n")
    assert run("validate", str(config)).exit_code == 1
    result = run("validate", "--config-dir", str(tmp_path / "secrets"), str(config))
    assert result.exit_code == 0, result.stdout


# --- the key is never echoed ----------------------------------------------------------------

LEAKY_JSON = {
    "models": [
        {
            "title": "GPT",
            "provider": "openai",
            "model": "gpt-5.2",
            "apiKey": SENTINEL,
            "apiBase": "https://api.langdock.com/openai/eu/v1/chat/completions",
            "contextLength": "big",
            "apiType": "other",
            "requestOptions": {"headers": {"Authorization": f"Bearer {SENTINEL}"}, "timeout": -1},
        },
        {"provider": "opneai", "model": 5, "apiKey": SENTINEL},
    ],
    "tabAutocompleteModel": {"title": "x", "provider": "openai", "model": "y", "apiKey": SENTINEL},
}
LEAKY_YAML = f"""name: leak
version: 1.0
models:
  - name: GPT
    provider: openai
    model: gpt-5.2
    apiKey: {SENTINEL}
    roles: [chat, tab]
    colour: blue
    requestOptions:
      verifySsl: "no"
      headers:
        x-api-key: {SENTINEL}
  - apiKey: {SENTINEL}
"""
BROKEN = {
    "missing-colon.json": '{"models": [{"apiKey" "' + SENTINEL + '"}]}',
    "unquoted.json": '{"models": [{"apiKey": ' + SENTINEL.replace("-", "_") + "}]}",
    "broken.yaml": f"name: x\nmodels:\n  - apiKey: {SENTINEL}\n   bad: [\n",
    "duplicate.yaml": f"name: x\napiKey: {SENTINEL}\napiKey: {SENTINEL}x\n",
}


@pytest.mark.parametrize("mode", ["text", "json", "strict-text"])
def test_key_never_echoed(run: Any, tmp_path: Path, mode: str) -> None:
    """No output shows the key: not in messages, schema errors on its entry, or parse errors."""
    paths = [
        write(tmp_path / "json" / "config.json", LEAKY_JSON, mode=0o644),
        write(tmp_path / "yaml" / "config.yaml", LEAKY_YAML, mode=0o644),
    ]
    paths += [write(tmp_path / "broken" / name, text) for name, text in BROKEN.items()]
    args = {"text": [], "json": ["--json"], "strict-text": ["--strict", "--debug"]}[mode]
    result = run("validate", *args, *map(str, paths))
    assert result.exit_code == 1
    assert SENTINEL not in result.output
    assert SENTINEL.replace("-", "_") not in result.output
    assert SENTINEL[:16] not in result.output
    codes = result.stdout
    for code in (
        "schema-type",
        "schema-enum",
        "apibase-endpoint-suffix",
        "unknown-provider",
        "parse-error",
        "unknown-key",
        "title-missing",
    ):
        assert code in codes


def test_secret_from_env_file_never_echoed(run: Any, tmp_path: Path) -> None:
    """A key that resolves from .env is masked too, even when a rule is about it."""
    write(tmp_path / ".env", f"LANGDOCK_API_KEY='{SENTINEL} x'\n")
    path = write(
        tmp_path / "config.yaml",
        "name: x\nversion: '1'\nmodels:\n  - name: GPT\n    provider: openai\n    model: g\n"
        "    apiBase: https://api.langdock.com/openai/eu/v1\n"
        "    apiKey: ${{ secrets.LANGDOCK_API_KEY }}\n",
    )
    for args in ([], ["--json"]):
        result = run("validate", *args, str(path))
        assert "key-whitespace" in result.stdout
        assert SENTINEL not in result.output


# --- as a program ---------------------------------------------------------------------------


def test_runs_as_a_subprocess(run_process: Any, tmp_path: Path) -> None:
    """python -m continue_setup validate --json works end to end in a real process."""
    path = write(tmp_path / "config.json", with_error())
    result = run_process("validate", "--json", str(path))
    assert result.exit_code == 1
    assert json.loads(result.stdout)["summary"]["by_code"] == {
        "deprecated-key": 1,
        "placeholder-key": 1,
    }


def test_help_names_the_command(run: Any) -> None:
    """validate --help explains PATHS and the options."""
    result = run("validate", "--help")
    assert result.exit_code == 0
    for word in ("PATHS", "--config-dir", "--strict", "--json"):
        assert word in result.stdout


def test_importing_the_cli_loads_no_heavy_library() -> None:
    """Importing the command line imports neither jsonschema, ruamel, pydantic nor httpx."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import continue_setup.cli.validate"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    for heavy in ("jsonschema", "ruamel", "pydantic", "httpx"):
        assert f" {heavy}\n" not in proc.stderr and f" {heavy}." not in proc.stderr
