"""Shared fixtures: every test runs in its own home directory, with no key and no network."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from continue_setup.cli import cli
from continue_setup.config import redact
from tests.output_schemas import check_document, wants_json

SENTINEL = "sk-ld-SENTINEL-0123456789abcdef"
ROOT = Path(__file__).resolve().parent.parent
KEY = "sk-ld-0123456789abcdef0123456789abcdef"
# Continue's own config.yaml validator (@continuedev/config-yaml); .ci/run installs it.
CONFIG_YAML_VALIDATOR = ROOT / "tests" / "node" / "node_modules" / ".bin" / "config-yaml"
needs_continue_validator = pytest.mark.skipif(
    not CONFIG_YAML_VALIDATOR.exists() or shutil.which("node") is None,
    reason="Continue's validator is not installed: cd tests/node && npm install --no-audit "
    "--no-fund --no-package-lock (needs node; .ci/run does this)",
)
# A valid config.json with one Langdock GPT entry (Langdock's recipe, cut to one model).
GPT_CONFIG: dict[str, Any] = {
    "models": [
        {
            "title": "GPT",
            "provider": "openai",
            "model": "gpt-5.2",
            "apiKey": KEY,
            "apiBase": "https://api.langdock.com/openai/eu/v1",
        }
    ]
}


def continue_says(path: Path, timeout: float = 60) -> tuple[int, str]:
    """Run Continue's config.yaml validator on ``path``; return its exit code and output."""
    proc = subprocess.run(
        [str(CONFIG_YAML_VALIDATOR), str(path)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return proc.returncode, proc.stdout + proc.stderr


def assert_continue_accepts(path: Path, timeout: float = 60) -> None:
    """Assert that Continue's own validator accepts ``path`` (exits 0)."""
    code, output = continue_says(path, timeout)
    assert code == 0, output


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point HOME, USERPROFILE and CONTINUE_GLOBAL_DIR into tmp_path; drop keys and proxies."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    monkeypatch.setenv("CONTINUE_GLOBAL_DIR", str(home / ".continue"))
    for name in (
        "LANGDOCK_API_KEY",
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_COLOR",
        "FORCE_COLOR",
        "COLUMNS",  # a test's output must not depend on the width of the terminal it ran in
        "LINES",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    redact.forget_all()
    yield home
    redact.forget_all()


@pytest.fixture
def config_dir(isolated_home: Path) -> Path:
    """Continue's directory inside the temporary home (not created)."""
    return isolated_home / ".continue"


@dataclass
class Result:
    """What a command run printed and how it ended."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@pytest.fixture
def run() -> object:
    """Run the CLI in-process through click's CliRunner, with stdout and stderr apart."""

    def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        runner = CliRunner()
        result = runner.invoke(
            cli,
            list(args),
            input=input,
            env=env,
            catch_exceptions=False,
            prog_name="continue-setup",
        )
        if wants_json(args) and result.exit_code != 130:
            check_document(result.stdout, result.exit_code)  # every --json run, every test
        return Result(result.exit_code, result.stdout, result.stderr)

    return invoke


@pytest.fixture
def run_process() -> object:
    """Run the CLI as a real subprocess (``python -m continue_setup``)."""

    def invoke(
        *args: str, input: str | None = None, env: dict[str, str] | None = None, timeout: float = 60
    ) -> Result:
        full_env = dict(os.environ)
        full_env.update(env or {})
        proc = subprocess.run(
            [sys.executable, "-m", "continue_setup", *args],
            input=input,
            capture_output=True,
            text=True,
            env=full_env,
            timeout=timeout,
            check=False,
        )
        if wants_json(args) and proc.returncode not in (130, -2):
            check_document(proc.stdout, proc.returncode)
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return invoke


NOBODY = 65534


def runs_as(prefix: list[str], *, env: dict[str, str] | None = None) -> bool:
    """Tell whether ``prefix`` (a setpriv command) can run this checkout's CLI.

    Not just an import: a checkout in a directory other users cannot read still imports
    as a namespace package (or as another installed copy), and only fails at ``-m``.
    """
    probe = subprocess.run([*prefix, sys.executable, "-m", "continue_setup", "--version"],
                           capture_output=True, text=True, env=env or {"PYTHONPATH": str(ROOT)},
                           timeout=60, check=False, cwd="/")
    return probe.returncode == 0


@pytest.fixture
def as_nobody() -> list[str]:
    """Return a command prefix that runs as an unprivileged user (root ignores permissions).

    Skips, saying why, where that is impossible: not root, no setpriv, or a checkout or
    interpreter that user cannot read (a private directory; .ci/run avoids that).
    """
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("needs root, to run a command as another user")
    return Stranger(NOBODY, NOBODY).setpriv()


@dataclass(frozen=True)
class Stranger:
    """A throwaway unprivileged identity: a uid and gid that no account or group uses."""

    uid: int
    gid: int

    def setpriv(self) -> list[str]:
        """Return a command prefix running as this identity; skip where that is impossible."""
        import shutil

        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("needs setpriv, to run a command as another user")
        prefix = [setpriv, f"--reuid={self.uid}", f"--regid={self.gid}", "--clear-groups"]
        if not runs_as(prefix):
            pytest.skip(f"uid {self.uid} cannot run this checkout with {sys.executable} (a "
                        "directory it cannot read)")
        return prefix


@pytest.fixture(scope="session")
def stranger() -> Stranger:
    """An unused uid/gid to play the user whose home root sets up (nothing to delete after).

    Skips where that cannot be done: not root, or not POSIX.
    """
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("needs root, to act for another user")
    import grp
    import pwd

    taken = {p.pw_uid for p in pwd.getpwall()} | {g.gr_gid for g in grp.getgrall()}
    free = next(i for i in range(43_210, 53_210) if i not in taken)
    return Stranger(free, free)


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A temporary directory other users may enter (pytest's own is root-only)."""
    import shutil
    import tempfile

    path = Path(tempfile.mkdtemp(prefix="continue-setup-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


# HTTP fixtures for ping, models and init --ping: the fake Langdock server, a proxy, TLS.
from tests.fakeserver_fixtures import ca, fake, proxy, tls_fake  # noqa: E402,F401
