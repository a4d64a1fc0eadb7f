"""doctor reports every source Continue reads: block folders, config.ts, the workspace, cn."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SENTINEL

CONFIG_YAML = (
    "name: Main\nversion: 1.0.0\nschema: v1\nmodels:\n  - name: GPT\n    provider: openai\n"
    "    model: gpt-5.2\n    apiBase: https://api.langdock.com/openai/eu/v1\n"
    "    apiKey: ${{ secrets.LANGDOCK_API_KEY }}\n"
)
CONFIG_JSON = json.dumps({"models": [{
    "title": "GPT", "provider": "openai", "model": "gpt-5.2", "apiKey": SENTINEL,
    "apiBase": "https://api.langdock.com/openai/eu/v1"}]})


def put(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` (mode 0600), making its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


def doctor(run: Any, **env: str) -> tuple[int, dict[str, Any]]:
    """Run doctor --offline --json; return its exit code and report."""
    result = run("doctor", "--offline", "--json", env=env or None)
    return result.exit_code, json.loads(result.stdout)


def test_a_bad_prompt_file_is_one_error_in_doctor_and_validate(
        run: Any, config_dir: Path) -> None:
    """A broken prompt block stops Continue loading: doctor and validate DIR both name it."""
    put(config_dir / "config.yaml", CONFIG_YAML)
    put(config_dir / ".env", f"LANGDOCK_API_KEY={SENTINEL}\n")
    put(config_dir / "rules" / "style.yaml", "name: Style\nversion: 1.0.0\nrules:\n  - Be brief\n")
    bad = put(config_dir / "prompts" / "review.md", "---\nname: [oops\n---\nReview this.\n")
    code, report = doctor(run)
    assert code == 1
    kinds = {s["path"]: s["kind"] for s in report["files"]["sources"]}
    assert kinds[str(bad)] == "block" and kinds[str(config_dir / "rules" / "style.yaml")] == "block"
    assert any(p["code"] == "parse-error" and str(bad) in p["message"]
               for p in report["files"]["problems"])
    validated = json.loads(run("validate", "--json", str(config_dir)).stdout)
    by_path = {f["path"]: [x["code"] for x in f["findings"]] for f in validated["files"]}
    assert by_path[str(bad)] == ["parse-error"]
    assert by_path[str(config_dir / "rules" / "style.yaml")] == []


def test_block_secrets_resolve_from_the_continue_dir(run: Any, config_dir: Path) -> None:
    """A model block takes ${{ secrets.X }} from ~/.continue/.env, not from models/.env."""
    put(config_dir / "config.yaml", CONFIG_YAML)
    put(config_dir / ".env", f"LANGDOCK_API_KEY={SENTINEL}\n")
    put(config_dir / "models" / "claude.yaml", CONFIG_YAML.replace("Main", "Claude block"))
    result = run("validate", "--json", str(config_dir))
    assert result.exit_code == 0, result.stdout


def test_config_ts_beside_config_json_is_a_warning(run: Any, config_dir: Path) -> None:
    """config.ts applies on the config.json path: a warning; beside config.yaml only listed."""
    put(config_dir / "config.json", CONFIG_JSON)
    put(config_dir / "config.ts", "export function modifyConfig(c) { return c; }\n")
    code, report = doctor(run)
    assert code == 0
    assert [p["severity"] for p in report["files"]["problems"]
            if p["code"] == "config-ts"] == ["warning"]
    (config_dir / "config.json").unlink()
    put(config_dir / "config.yaml", CONFIG_YAML)
    put(config_dir / ".env", f"LANGDOCK_API_KEY={SENTINEL}\n")
    code, report = doctor(run)
    assert not [p for p in report["files"]["problems"] if p["code"] == "config-ts"]
    assert "config.ts" in {s["kind"] for s in report["files"]["sources"]}


def test_workspace_continue_folder_and_env_are_reported(
        run: Any, config_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Inside a project, its .continue/ blocks and .env files are listed as sources."""
    put(config_dir / "config.yaml", CONFIG_YAML)
    put(config_dir / ".env", f"LANGDOCK_API_KEY={SENTINEL}\n")
    project = tmp_path / "project"
    put(project / ".continue" / "rules" / "team.yaml",
        "name: Team\nversion: 1.0.0\nrules:\n  - Use tabs\n")
    put(project / ".env", "OTHER=1\n")
    (project / "src").mkdir()
    monkeypatch.chdir(project / "src")
    code, report = doctor(run)
    assert code == 0, report
    sources = {(s["kind"], s["path"]) for s in report["files"]["sources"]}
    assert ("workspace", str(project / ".continue")) in sources
    assert ("block", str(project / ".continue" / "rules" / "team.yaml")) in sources
    assert ("workspace .env", str(project / ".env")) in sources


@pytest.mark.skipif(os.name != "posix", reason="an executable script stands in for cn")
def test_cn_on_path_with_a_config_json_setup_offers_migrate(
        run: Any, config_dir: Path, tmp_path: Path) -> None:
    """cn reads only config.yaml: with config.json, doctor warns and names migrate."""
    bin_dir = tmp_path / "bin"
    cn = put(bin_dir / "cn", "#!/bin/sh\nexit 0\n")
    cn.chmod(0o755)
    put(config_dir / "config.json", CONFIG_JSON)
    code, report = doctor(run, PATH=str(bin_dir))
    warning = [p for p in report["files"]["problems"] if p["code"] == "cn-ignores-json"]
    assert code == 0 and warning and "migrate" in warning[0]["hint"]
    code, report = doctor(run, PATH=str(tmp_path / "empty"))
    assert not [p for p in report["files"]["problems"] if p["code"] == "cn-ignores-json"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX's search; Windows uses shutil's")
def test_cn_is_found_where_shutil_which_finds_it(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The search for cn answers as shutil.which on every kind of PATH: a plain file or a
    folder named cn is passed over, the first runnable one wins, an empty entry is the
    working directory, and no PATH at all means the system's default."""
    import shutil

    from continue_setup.repair.sources import which

    plain = put(tmp_path / "plain" / "cn", "not runnable")
    (tmp_path / "folder" / "cn").mkdir(parents=True)
    first = put(tmp_path / "first" / "cn", "#!/bin/sh\n")
    second = put(tmp_path / "second" / "cn", "#!/bin/sh\n")
    for runnable in (first, second):
        runnable.chmod(0o755)
    monkeypatch.chdir(tmp_path / "second")
    folders = [str(plain.parent), str(tmp_path / "folder"), str(tmp_path / "missing"),
               str(first.parent), str(second.parent)]
    for path in (os.pathsep.join(folders), os.pathsep.join(folders[:3]),
                 os.pathsep.join([*folders[:3], ""]), "", os.pathsep,
                 os.pathsep.join([str(first.parent)] * 2)):
        assert which("cn", path) == shutil.which("cn", path=path), path
    assert which(str(first), "") == shutil.which(str(first), path="") == str(first)
    monkeypatch.setenv("PATH", os.pathsep.join(folders[3:]))
    assert which("cn", None) == shutil.which("cn") == str(first)
    monkeypatch.delenv("PATH")
    assert which("cn", None) == shutil.which("cn")
