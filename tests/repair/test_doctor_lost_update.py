"""doctor --fix never writes over what another run wrote while it was probing or asking."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from continue_setup.config.paths import resolve_config_dir
from continue_setup.errors import ChangedMeanwhileError, ExitCode
from continue_setup.repair.doctor import Diagnosis, run_doctor
from tests.conftest import GPT_CONFIG, SENTINEL

OTHER = "sk-ld-OTHER-fedcba9876543210"


def test_an_init_finishing_meanwhile_keeps_its_entries(config_dir: Path) -> None:
    """An init that writes between doctor's reading and writing wins; doctor aborts clearly."""
    config_dir.mkdir()
    broken = dict(GPT_CONFIG, models=[dict(GPT_CONFIG["models"][0], apiKey=SENTINEL,
                                           apiBase="https://api.langdock.com/openai/eu")])
    path = config_dir / "config.json"
    path.write_text(json.dumps(broken))
    path.chmod(0o600)

    def init_meanwhile(diagnosis: Diagnosis) -> None:
        assert diagnosis.changes, "doctor planned no write; the test would prove nothing"
        command = [sys.executable, "-m", "continue_setup", "init", "--yes", "--no-ping", "--quiet"]
        proc = subprocess.run(command, env=dict(os.environ, LANGDOCK_API_KEY=OTHER),
                              capture_output=True, text=True, timeout=60, check=False)
        assert proc.returncode == 0, proc.stderr

    with pytest.raises(ChangedMeanwhileError) as caught:
        run_doctor(resolve_config_dir(config_dir), environ={}, offline=True, fix=True,
                   confirm=init_meanwhile)
    assert caught.value.exit_code == ExitCode.USAGE
    assert "changed since doctor read it" in caught.value.message
    assert "Run doctor --fix again" in caught.value.hint
    titles = [m["title"] for m in json.loads(path.read_text())["models"]]
    assert len(titles) >= 2 and OTHER in path.read_text()  # init's entries, init's key
    assert not [p for p in config_dir.iterdir() if ".bak-" in p.name and
                OTHER in p.read_text()]  # doctor made no backup of init's work: it wrote nothing
