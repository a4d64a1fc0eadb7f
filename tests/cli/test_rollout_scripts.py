"""The Intune and Jamf examples: they parse, and they hand the key over safely."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"
SCRIPTS = [EXAMPLES / "intune" / "detect.ps1", EXAMPLES / "intune" / "remediate.ps1",
           EXAMPLES / "jamf" / "continue-setup.sh"]  # fmt: skip


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_scripts_never_put_the_key_on_a_command_line(script: Path) -> None:
    """No example passes the key as an argument; each uses stdin, a file or the environment."""
    text = script.read_text()
    assert not re.search(r"--api-key(?![-\w])", text)
    assert re.search(r"--api-key-stdin|--api-key-file|LANGDOCK_API_KEY", text)


def test_intune_scripts_call_check_and_init() -> None:
    """Detection runs init --check; remediation runs init --yes --quiet --json."""
    detect = (EXAMPLES / "intune" / "detect.ps1").read_text()
    remediate = (EXAMPLES / "intune" / "remediate.ps1").read_text()
    assert "'--check'" in detect and "exit $code" in detect
    assert "@('init', '--yes', '--quiet', '--json')" in remediate and "exit $code" in remediate


@pytest.mark.skipif(shutil.which("sh") is None or sys.platform == "win32",
                    reason="needs a POSIX shell (Jamf runs it on macOS)")
def test_jamf_script_parses_and_refuses_an_empty_key() -> None:
    """The Jamf script is valid sh and stops with exit 2 when parameter 4 is empty."""
    script = EXAMPLES / "jamf" / "continue-setup.sh"
    assert subprocess.run(["sh", "-n", str(script)], check=False).returncode == 0
    proc = subprocess.run(["sh", str(script), "/", "mac", "bob", ""], capture_output=True,
                          text=True, check=False, timeout=30)  # fmt: skip
    assert proc.returncode == 2 and "parameter 4" in proc.stderr
