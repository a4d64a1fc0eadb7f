"""What init creates is private whatever the umask, and what it moves aside is private too."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from continue_setup.setup.writer import LOCK_NAME
from tests.cli.test_rollout import INIT
from tests.conftest import KEY, SENTINEL

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
OTHER = "sk-ld-OTHER-fedcba9876543210"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def umask_000() -> Iterator[None]:
    """Run with umask 000, the loosest there is; restore the old one after."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.usefixtures("umask_000")
def test_created_directories_and_files_are_private_under_umask_000(run: Any, tmp_path: Path
                                                                   ) -> None:
    """Every directory init creates is 0700, every file 0600, backups included."""
    config_dir = tmp_path / "a" / "b" / ".continue"
    for key in (SENTINEL, OTHER):
        result = run(*INIT, "--format", "yaml", "--config-dir", str(config_dir),
                     env={"LANGDOCK_API_KEY": key})
        assert result.exit_code == 0, result.output
    for folder in (tmp_path / "a", tmp_path / "a" / "b", config_dir):
        assert mode(folder) == 0o700, folder
    names = {p.name for p in config_dir.iterdir()}
    assert {"config.yaml", ".env", LOCK_NAME} <= names
    assert any(n.startswith(".env.bak-") for n in names)
    for path in config_dir.iterdir():
        assert mode(path) == 0o600, path


def test_a_config_moved_aside_by_force_is_made_private(run: Any, config_dir: Path) -> None:
    """--format json --force moves a 0644 config.yaml holding a key aside as 0600."""
    config_dir.mkdir()
    yaml = config_dir / "config.yaml"
    yaml.write_text("name: mine\nversion: 1.0.0\nschema: v1\nmodels:\n  - name: GPT\n"
                    "    provider: openai\n    model: gpt-5.2\n"
                    f"    apiBase: https://api.langdock.com/openai/eu/v1\n    apiKey: {KEY}\n")
    yaml.chmod(0o644)
    result = run(*INIT, "--format", "json", "--force", env={"LANGDOCK_API_KEY": SENTINEL})
    assert result.exit_code == 0, result.output
    moved = [p for p in config_dir.iterdir() if p.name.startswith("config.yaml.bak-")]
    assert len(moved) == 1 and KEY in moved[0].read_text()
    assert mode(moved[0]) == 0o600
    assert not yaml.exists()
