"""``doctor`` over tests/examples/broken/<case>/: the diagnosis codes, then --fix, then again."""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, SENTINEL, assert_continue_accepts, needs_continue_validator

CASES_DIR = ROOT / "tests" / "examples" / "broken"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if (p / "case.json").is_file())
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
IGNORED = (".continue-setup.lock",)


def _case(name: str) -> Any:
    """A case as a parameter; one that needs file modes other than 0600 skips on Windows."""
    modes = json.loads((CASES_DIR / name / "case.json").read_text())["modes"]
    if any(mode != "0600" for mode in modes.values()):
        return pytest.param(name, marks=posix_only)
    return name


PARAMS = [_case(name) for name in CASES]


def meta(case: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CASES_DIR / case / "case.json").read_text())
    return data


def install(case: str, config_dir: Path) -> None:
    """Copy the case's config dir into place with the modes case.json gives (else 0600)."""
    shutil.copytree(CASES_DIR / case / "config", config_dir)
    modes = meta(case)["modes"]
    for path in config_dir.iterdir():
        os.chmod(path, int(modes.get(path.name, "0600"), 8))


def files(directory: Path) -> dict[str, str]:
    """Return the config dir's files (backups and the lock left out) and their text."""
    return {p.name: p.read_text() for p in sorted(directory.iterdir())
            if p.name not in IGNORED and ".bak-" not in p.name}


def codes(payload: dict[str, Any]) -> set[str]:
    return {f["code"] for f in payload["files"]["problems"] + payload["validate"]["findings"]}


def fix_env(case: str) -> dict[str, str]:
    return {"LANGDOCK_API_KEY": SENTINEL} if meta(case)["key_from_env"] else {}


def fix_input(case: str) -> str | None:
    return SENTINEL + "\n" if meta(case).get("key_stdin") else None


@pytest.mark.parametrize("case", PARAMS)
def test_diagnosis_names_the_expected_codes(run: Any, config_dir: Path, case: str) -> None:
    """doctor --json reports the case's codes, plans fixes only for them, writes nothing."""
    install(case, config_dir)
    result = run("doctor", "--offline", "--json")
    payload = json.loads(result.stdout)
    assert codes(payload) == set(meta(case)["codes"]), meta(case)["description"]
    assert result.exit_code == meta(case)["exit_before"]
    assert payload["ping_skipped"] == "--offline"
    assert {f["code"] for f in payload["fixes"]} <= set(meta(case)["codes"])
    assert all(f["change"] and f["file"] for f in payload["fixes"])
    assert files(config_dir) == files(CASES_DIR / case / "config"), "diagnosis must not write"


@posix_only
@pytest.mark.parametrize("case", CASES)
def test_fix_writes_the_expected_files_and_backups(run: Any, config_dir: Path, case: str) -> None:
    """doctor --fix --yes leaves exactly the expected files, private, old ones backed up."""
    install(case, config_dir)
    before = files(config_dir)
    result = run("doctor", "--offline", "--fix", "--yes", *meta(case)["fix_args"],
                 env=fix_env(case), input=fix_input(case))
    assert result.exit_code == meta(case)["exit_after"], result.output
    expected = CASES_DIR / case / "expected"
    assert files(config_dir) == files(expected)
    for path in config_dir.iterdir():
        if path.name not in IGNORED:
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    backups = [p.name for p in config_dir.iterdir() if ".bak-" in p.name]
    changed = [name for name, text in before.items() if files(expected).get(name) != text]
    assert all(any(b.startswith(name + ".bak-") for b in backups) for name in changed)
    assert SENTINEL not in result.output
    assert "sk-ld-test-0000111122223333" not in result.output


@pytest.mark.parametrize("case", PARAMS)
def test_fix_twice_changes_nothing_and_reports_what_is_left(run: Any, config_dir: Path,
                                                             case: str) -> None:
    """A second --fix finds nothing to do; what remains is only what it said it could not fix."""
    install(case, config_dir)
    args = ("doctor", "--offline", "--fix", "--yes", "--json", *meta(case)["fix_args"])
    first = json.loads(run(*args, env=fix_env(case), input=fix_input(case)).stdout)
    after = files(config_dir)
    backups = sorted(p.name for p in config_dir.iterdir() if ".bak-" in p.name)
    second_run = run(*args, env=fix_env(case), input=fix_input(case))
    second = json.loads(second_run.stdout)
    assert files(config_dir) == after
    assert sorted(p.name for p in config_dir.iterdir() if ".bak-" in p.name) == backups
    assert second["fixes"] == [] and second["fix"]["applied"] is False
    assert len(second["unfixed"]) == meta(case)["unfixed"]
    left = [f for f in first["fix"]["after"]["findings"] if f["severity"] == "error"]
    assert bool(left) == (meta(case)["exit_after"] == 1)
    assert second_run.exit_code == meta(case)["exit_after"]


YAML_RESULTS = sorted(c for c in CASES if (CASES_DIR / c / "expected" / "config.yaml").exists())


@needs_continue_validator
@pytest.mark.parametrize("case", YAML_RESULTS)
def test_fixed_config_yaml_passes_continues_own_validator(case: str) -> None:
    """Every config.yaml that --fix produces is accepted by @continuedev/config-yaml."""
    path = CASES_DIR / case / "expected" / "config.yaml"
    assert_continue_accepts(path)
