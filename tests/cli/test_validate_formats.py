"""``validate`` for repositories: standard input, GitHub annotations, SARIF, pre-commit."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from continue_setup.check.rules import CODES
from tests.conftest import GPT_CONFIG, ROOT, SENTINEL

ANNOTATION = re.compile(
    r"^::(error|warning) file=([^,]*),line=(\d+),col=(\d+),title=([^:]+)::(.*)$")


def with_errors(key: str = SENTINEL) -> dict[str, Any]:
    """Return a config whose GPT entry has the endpoint appended and a twin titled alike."""
    entry = {**GPT_CONFIG["models"][0], "apiKey": key}
    broken = {**entry, "apiBase": entry["apiBase"] + "/chat/completions"}
    return {"models": [broken, entry]}


def write(path: Path, data: Any) -> Path:
    """Write ``data`` as indented JSON to ``path``, private."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    path.chmod(0o600)
    return path


# --- standard input -------------------------------------------------------------------------


def test_stdin_json_is_checked_like_a_file(run: Any) -> None:
    """'-' reads the config from standard input; a valid one exits 0 and is named <stdin>."""
    result = run("validate", "-", "--json", input=json.dumps(GPT_CONFIG))
    assert result.exit_code == 0, result.output
    (report,) = json.loads(result.stdout)["files"]
    assert report["path"] == "<stdin>" and report["format"] == "json" and report["valid"]


def test_stdin_yaml_is_found_when_jsonc_fails(run: Any) -> None:
    """Without a hint the text is tried as JSONC, then as YAML; YAML findings carry lines."""
    text = "name: demo\nversion: 1.0.0\nschema: v1\nmodels:\n  - provider: openai\n"
    result = run("validate", "-", "--json", input=text)
    (report,) = json.loads(result.stdout)["files"]
    assert report["format"] == "yaml"
    assert {f["code"] for f in report["findings"]} >= {"title-missing"}
    assert all(f["line"] for f in report["findings"])


def test_stdin_filename_and_format_choose_the_parser(run: Any) -> None:
    """--stdin-filename names the findings and picks YAML; --format json refuses YAML text."""
    text = ("name: demo\nversion: 1.0.0\nschema: v1\nmodels:\n  - name: Local\n"
            "    provider: ollama\n    model: llama3\n    roles: [chat]\n")
    named = run("validate", "-", "--stdin-filename", "team/config.yaml", input=text)
    assert named.exit_code == 0, named.output
    assert f"{Path('team/config.yaml')} (yaml)" in named.stdout
    forced = run("validate", "-", "--format", "json", "--json", input=text)
    assert forced.exit_code == 1
    assert json.loads(forced.stdout)["files"][0]["findings"][0]["code"] == "parse-error"


def test_stdin_is_bounded(run: Any) -> None:
    """More than 10 MiB on standard input is refused (exit 2) without parsing it."""
    result = run("validate", "-", input="#" * (10 * 1024 * 1024 + 1))
    assert result.exit_code == 2
    assert "more than 10 MiB" in result.stderr


def test_stdin_options_are_checked(run: Any, tmp_path: Path) -> None:
    """'-' goes alone; --stdin-filename and --format without '-' are usage errors."""
    path = write(tmp_path / "config.json", GPT_CONFIG)
    assert run("validate", "-", str(path), input="{}").exit_code == 2
    alone = run("validate", str(path), "--stdin-filename", "x.json")
    assert alone.exit_code == 2 and "standard input" in alone.stderr


def test_stdin_secrets_never_show(run: Any) -> None:
    """A key in piped text stays masked in every output format, even when it cannot parse."""
    for fmt in ("text", "json", "github", "sarif"):
        good = run("validate", "-", "--output-format", fmt, input=json.dumps(with_errors()))
        bad = run("validate", "-", "--output-format", fmt,
                  input='{"models": [{"apiKey": "' + SENTINEL + '", }}')
        assert good.exit_code == bad.exit_code == 1
        assert SENTINEL not in good.output + bad.output


# --- output formats -------------------------------------------------------------------------


def test_output_format_json_is_the_json_flag(run: Any, tmp_path: Path) -> None:
    """--output-format json prints the same document as --json."""
    path = write(tmp_path / "config.json", with_errors())
    assert (run("validate", "--output-format", "json", str(path)).stdout
            == run("validate", "--json", str(path)).stdout)


def test_github_annotations_place_each_finding(
        run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One ::error/::warning command per finding, file relative to the checkout, hint below."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "dotfiles" / ".continue" / "config.json", with_errors())
    result = run("validate", "--output-format", "github", "dotfiles")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    parsed = [ANNOTATION.match(line) for line in lines]
    assert all(parsed), lines
    found = {(m[1], m[2], m[5]) for m in parsed if m}
    assert ("error", "dotfiles/.continue/config.json", "apibase-endpoint-suffix") in found
    assert ("warning", "dotfiles/.continue/config.json", "duplicate-title") in found
    suffix = next(m for m in parsed if m and m[5] == "apibase-endpoint-suffix")
    assert (int(suffix[3]), int(suffix[4])) == (8, 7)  # the apiBase key of the first entry
    assert "%0Ahint: " in suffix[6] and "\n" not in suffix[6]


def test_github_annotation_escapes_what_would_end_the_command() -> None:
    """Commas and colons in the file name, and line breaks in the message, are encoded."""
    from continue_setup.check.findings import Finding
    from continue_setup.report.annotations import annotation

    text = annotation("a,b:c.json", Finding("error", "x", "/p", "50% bad\nreally", "do", 1, 2))
    assert text == ("::error file=a%2Cb%3Ac.json,line=1,col=2,title=x"
                    "::/p: 50%25 bad%0Areally%0Ahint: do")


def check_sarif(log: dict[str, Any]) -> None:
    """Assert the essentials of SARIF 2.1.0 that code-scanning tools read."""
    assert log["version"] == "2.1.0"
    assert isinstance(log["runs"], list) and len(log["runs"]) == 1
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "continue-setup" and driver["version"]
    ids = [rule["id"] for rule in driver["rules"]]
    assert len(ids) == len(set(ids))
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    for result in log["runs"][0]["results"]:
        assert result["level"] in ("error", "warning", "note")
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"]
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uri"]
        assert physical["region"]["startLine"] >= 1


def test_sarif_holds_the_catalogue_and_placed_results(
        run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One run; every code of the catalogue a rule; results with rule, level and location."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "cfg" / "config.json", with_errors())
    write(tmp_path / "cfg" / "other" / "config.json", {"models": [{"title": "x"}]})
    result = run("validate", "--output-format", "sarif", "cfg")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    check_sarif(log)
    ids = {rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    assert set(CODES) - {"schema-*"} <= ids and "schema-required" in ids
    results = log["runs"][0]["results"]
    suffix = next(r for r in results if r["ruleId"] == "apibase-endpoint-suffix")
    assert suffix["level"] == "error"
    location = suffix["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "cfg/config.json", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 8, "startColumn": 7}
    assert any(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
               == "cfg/other/config.json" for r in results)


def test_sarif_of_a_valid_config_has_no_results(run: Any, tmp_path: Path) -> None:
    """A clean run is still a complete SARIF log, with an empty result list."""
    path = write(tmp_path / "config.json", GPT_CONFIG)
    result = run("validate", "--output-format", "sarif", str(path))
    assert result.exit_code == 0
    log = json.loads(result.stdout)
    check_sarif(log)
    assert log["runs"][0]["results"] == []


# --- .continuerc.json and pre-commit --------------------------------------------------------


def test_a_continuerc_may_leave_the_models_to_config_json(run: Any, tmp_path: Path) -> None:
    """A workspace .continuerc.json is merged onto config.json: no models list needed."""
    rc = write(tmp_path / ".continuerc.json", {"mergeBehavior": "merge", "models": []})
    bare = write(tmp_path / "team.continuerc.json", {"allowAnonymousTelemetry": False})
    assert run("validate", "--strict", str(rc)).exit_code == 0
    result = run("validate", "--json", str(bare))
    codes = {f["code"] for f in json.loads(result.stdout)["files"][0]["findings"]}
    assert "models-missing" not in codes and "schema-required" not in codes
    assert run("validate", str(write(tmp_path / "config.json", {}))).exit_code == 1


def hook() -> dict[str, Any]:
    """Return the one hook of .pre-commit-hooks.yaml."""
    from ruamel.yaml import YAML

    (only,) = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    return dict(only)


def test_pre_commit_hook_runs_validate_on_continue_configs() -> None:
    """The hook runs validate (python) and picks Continue's config names, not every JSON."""
    spec = hook()
    assert spec["id"] == "continue-setup-validate"
    assert spec["language"] == "python" and spec["entry"] == "continue-setup validate"
    files = re.compile(spec["files"])  # pre-commit matches with Python's re.search
    for path in (".continue/config.json", "home/alice/.continue/config.yaml",
                 "continue-configs/team-a/config.yml", ".continuerc.json",
                 "app/team.continuerc.json", ".continue/models/gpt.yaml",
                 ".continue/assistants/main.yml"):
        assert files.search(path), path
    for path in ("config.json", "src/config.json", "package.json", ".continue/rules/style.md",
                 ".continue/index/globalContext.json"):
        assert not files.search(path), path


def test_the_hook_entry_is_an_installed_script() -> None:
    """The hook's entry names the console script pyproject.toml installs."""
    from importlib.metadata import entry_points  # tomllib is 3.11+; the install knows too

    scripts = {e.name for e in entry_points(group="console_scripts")}
    assert hook()["entry"].split()[0] in scripts
    assert os.path.exists(ROOT / ".pre-commit-hooks.yaml")
