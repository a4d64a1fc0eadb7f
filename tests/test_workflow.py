"""The CI workflow runs the suite on Linux, macOS and Windows with every supported Python."""

from __future__ import annotations

from typing import Any

from tests.conftest import ROOT


def workflow() -> dict[str, Any]:
    """Return .github/workflows/ci.yml as data."""
    from ruamel.yaml import YAML

    data: dict[str, Any] = YAML(typ="safe").load(
        (ROOT / ".github" / "workflows" / "ci.yml").read_text("utf-8"))
    return data


def test_the_matrix_covers_three_systems_and_every_supported_python() -> None:
    """ubuntu, macos and windows, each with Python 3.10 to 3.13 (requires-python >=3.10)."""
    matrix = workflow()["jobs"]["test"]["strategy"]["matrix"]
    assert {os_name.split("-")[0] for os_name in matrix["os"]} == {"ubuntu", "macos", "windows"}
    assert matrix["python"] == ["3.10", "3.11", "3.12", "3.13"]
    assert 'requires-python = ">=3.10"' in (ROOT / "pyproject.toml").read_text("utf-8")


def test_the_job_installs_the_test_extra_then_runs_pytest() -> None:
    """The steps install the package with its test extra, then run pytest."""
    runs = [step.get("run", "") for step in workflow()["jobs"]["test"]["steps"]]
    install = next(i for i, run in enumerate(runs) if "pip install -e" in run)
    assert '".[test]"' in runs[install]
    assert any("pytest" in run for run in runs[install + 1:])
