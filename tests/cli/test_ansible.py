"""The Ansible example, run for real against localhost in a temporary home."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from continue_setup.config import jsonc
from tests.cli.test_rollout import NO_PING
from tests.conftest import ROOT, SENTINEL

PLAYBOOK = ROOT / "examples" / "ansible" / "playbook.yml"
BIN = Path(sys.executable).parent
ANSIBLE_PLAYBOOK = BIN / "ansible-playbook"
pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="Ansible controllers run on POSIX"),
    pytest.mark.skipif(not ANSIBLE_PLAYBOOK.exists(), reason="ansible-core is not installed"),
]
NETWORK_TROUBLE = re.compile(
    r"(No matching distribution|Could not find a version|Failed to establish|"
    r"Temporary failure in name resolution|Network is unreachable|ProxyError|"
    r"Could not fetch URL|Max retries exceeded)"
)


@dataclass
class Play:
    """One ansible-playbook run: its exit code, output and recap counters."""

    returncode: int
    output: str

    def recap(self, name: str) -> int:
        match = re.search(rf"localhost\s*:.*\b{name}=(\d+)", self.output)
        assert match, self.output
        return int(match.group(1))


def play(tmp_path: Path, home: Path, *extra: str, install: bool = False) -> Play:
    """Run the example playbook on localhost with Ansible's own files kept under tmp_path."""
    ansible = tmp_path / "ansible"
    env = {
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(home),
        "LC_ALL": "C.UTF-8",
        "ANSIBLE_HOME": str(ansible),
        "ANSIBLE_LOCAL_TEMP": str(ansible / "tmp"),
        "ANSIBLE_REMOTE_TEMP": str(ansible / "remote-tmp"),
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "NO_PROXY": "127.0.0.1,localhost",
    }
    if install:  # pip may need a proxy or a mirror to reach the package index
        for name in ("HTTPS_PROXY", "HTTP_PROXY", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL"):
            for variant in (name, name.lower()):
                if variant in os.environ:
                    env[variant] = os.environ[variant]
    args = [
        str(ANSIBLE_PLAYBOOK), "-i", "localhost,", "-c", "local", str(PLAYBOOK),
        "-e", f"continue_config_dir={home / '.continue'}",
        "-e", f"langdock_api_key={SENTINEL}",
        "-e", f"continue_setup_install={'true' if install else 'false'}",
        *(("-e", "continue_setup_ping=false") if NO_PING else ()),
        *extra,
    ]  # fmt: skip
    proc = subprocess.run(args, capture_output=True, text=True, env=env, timeout=600,
                          check=False, cwd=tmp_path)  # fmt: skip
    return Play(proc.returncode, proc.stdout + proc.stderr)


def test_playbook_applies_once_then_reports_no_change(tmp_path: Path, isolated_home: Path) -> None:
    """First run changes, second and verbose runs do not; the files are right; no key is shown."""
    first = play(tmp_path, isolated_home)
    assert first.returncode == 0, first.output
    assert first.recap("changed") == 1 and first.recap("failed") == 0
    path = isolated_home / ".continue" / "config.json"
    data = jsonc.parse(path.read_text()).value
    assert [m["provider"] for m in data["models"]] == ["openai", "anthropic"]
    assert data["tabAutocompleteModel"]["provider"] == "mistral"
    assert all(m["apiKey"] == SENTINEL for m in [*data["models"], data["tabAutocompleteModel"]])
    before = path.read_bytes()
    second = play(tmp_path, isolated_home)
    assert second.returncode == 0, second.output
    assert second.recap("changed") == 0
    verbose = play(tmp_path, isolated_home, "-v")
    assert verbose.returncode == 0 and verbose.recap("changed") == 0
    assert path.read_bytes() == before
    assert not list(path.parent.glob("*.bak-*"))
    for run in (first, second, verbose):
        assert SENTINEL not in run.output
    assert '"changed": false' in second.output  # the JSON report is shown, keyless


def test_check_mode_reports_changed_and_writes_nothing(tmp_path: Path, isolated_home: Path) -> None:
    """--check on a fresh home reports a change and creates nothing; after a run, no change."""
    checked = play(tmp_path, isolated_home, "--check")
    assert checked.returncode == 0, checked.output
    assert checked.recap("changed") == 1
    assert not (isolated_home / ".continue").exists()
    assert play(tmp_path, isolated_home).recap("changed") == 1
    again = play(tmp_path, isolated_home, "--check", "-v")
    assert again.returncode == 0 and again.recap("changed") == 0
    assert SENTINEL not in checked.output + again.output


def test_a_refusal_fails_the_host_with_the_reason(tmp_path: Path, isolated_home: Path) -> None:
    """A bad region fails the play with continue-setup's message, and writes nothing."""
    failed = play(tmp_path, isolated_home, "-e", "langdock_region=mars")
    assert failed.returncode != 0 and failed.recap("failed") == 1
    assert "'mars' is not one of 'eu', 'us'" in failed.output
    assert not (isolated_home / ".continue").exists()
    assert SENTINEL not in failed.output


@pytest.mark.slow
def test_playbook_installs_the_tool_into_a_virtualenv(tmp_path: Path, isolated_home: Path) -> None:
    """With install on, pip puts continue-setup into a virtualenv, which then writes the config."""
    venv = tmp_path / "venv"
    installed = play(tmp_path, isolated_home, "-e", f"continue_setup_venv={venv}", install=True)
    if installed.returncode != 0 and NETWORK_TROUBLE.search(installed.output):
        pytest.skip("pip cannot reach the package index from here")
    assert installed.returncode == 0, installed.output
    assert (venv / "bin" / "continue-setup").exists()
    assert (isolated_home / ".continue" / "config.json").exists()
    again = play(tmp_path, isolated_home, "-e", f"continue_setup_venv={venv}", install=True)
    assert again.returncode == 0 and again.recap("changed") == 0
    assert SENTINEL not in installed.output + again.output
