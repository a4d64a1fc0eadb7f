"""The package as users get it: the installed wheel, shell completion, Continue's own validator."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, SENTINEL, assert_continue_accepts, needs_continue_validator


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the project's wheel once per test session."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("continue_setup-*.whl")
    return built


@pytest.mark.slow
def test_wheel_ships_schemas_and_templates(wheel: Path) -> None:
    """schemas/ and templates/ are inside the wheel, under the package."""
    names = zipfile.ZipFile(wheel).namelist()
    for expected in (
        "continue_setup/schemas/config-json.schema.json",
        "continue_setup/schemas/config-yaml.schema.json",
        "continue_setup/templates/gpt.json",
        "continue_setup/templates/claude.json",
        "continue_setup/templates/codestral.json",
    ):
        assert expected in names


@pytest.mark.slow
def test_installed_wheel_runs_init_dry_run(wheel: Path, tmp_path: Path) -> None:
    """The wheel, installed in a fresh virtualenv, runs init --dry-run outside the checkout."""
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run(
        [str(bindir / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    home = tmp_path / "user"
    home.mkdir()
    env = {
        "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(home),
        "USERPROFILE": str(home),
        "LANGDOCK_API_KEY": SENTINEL,
    }
    proc = subprocess.run(
        ["continue-setup", "init", "--yes", "--dry-run", "--format", "yaml"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "provider: mistral" in proc.stdout and "roles:" in proc.stdout
    assert SENTINEL not in proc.stdout + proc.stderr
    assert not (home / ".continue").exists()
    located = subprocess.run(
        [
            str(bindir / "python"),
            "-c",
            "from continue_setup.resources import data_dir; print(data_dir('schemas'))",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        check=True,
    )
    assert str(env_dir) in located.stdout


def test_version_and_help(run: Any) -> None:
    """--version prints the version; --help lists the commands."""
    from continue_setup import __version__

    assert run("--version").stdout.strip().endswith(__version__)
    help_text = run("--help").stdout
    for command in ("init", "templates"):
        assert command in help_text


def test_python_dash_m(run_process: Any) -> None:
    """python -m continue_setup is the same program."""
    result = run_process("--help")
    assert result.exit_code == 0 and "Usage:" in result.stdout


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_shell_completion_script(run_process: Any, shell: str) -> None:
    """click's completion mechanism emits a script for each supported shell."""
    result = run_process(env={"_CONTINUE_SETUP_COMPLETE": f"{shell}_source"})
    assert result.exit_code == 0
    assert "_CONTINUE_SETUP_COMPLETE" in result.stdout


def test_completion_offers_commands_and_options(run_process: Any) -> None:
    """Completing 'continue-setup in' offers init; completing init's options offers --region."""

    def bash_completes(words: str) -> str:
        env = {
            "_CONTINUE_SETUP_COMPLETE": "bash_complete",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - 1),
        }
        return str(run_process(env=env).stdout)

    assert "init" in bash_completes("continue-setup in")
    assert "--region" in bash_completes("continue-setup init --reg")


@needs_continue_validator
@pytest.mark.parametrize(
    "args",
    [
        (),
        ("--region", "us"),
        ("--key-storage", "inline"),
        ("--base-url", "https://acme.langdock.com/api/public"),
    ],
)
def test_generated_yaml_passes_continues_own_validator(
    run: Any, config_dir: Path, args: tuple[str, ...]
) -> None:
    """The config.yaml init writes is accepted by @continuedev/config-yaml (exit 0)."""
    result = run(
        "init", "--yes", "--no-ping", "--format", "yaml", *args,
        env={"LANGDOCK_API_KEY": SENTINEL},
    )
    assert result.exit_code == 0, result.output
    assert_continue_accepts(config_dir / "config.yaml", timeout=120)


@needs_continue_validator
def test_merged_yaml_passes_continues_own_validator(run: Any, config_dir: Path) -> None:
    """A user's config.yaml merged with ours still passes Continue's validator."""
    config_dir.mkdir()
    (config_dir / "config.yaml").write_text(
        "# mine\nname: Mine\nversion: 0.0.1\nschema: v1\nmodels:\n  - name: Local\n"
        "    provider: ollama\n    model: llama3\ncontext:\n  - provider: code\n"
    )
    assert run("init", "--yes", "--no-ping", env={"LANGDOCK_API_KEY": SENTINEL}).exit_code == 0
    assert_continue_accepts(config_dir / "config.yaml", timeout=120)
