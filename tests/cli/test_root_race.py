"""The directory-swap race: the user swaps ~/.continue for a link while root's init runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from continue_setup.setup import plan
from tests.cli.test_rollout import INIT
from tests.cli.test_root_for_user import Scene, scene  # noqa: F401 - the fixture
from tests.conftest import SENTINEL, Stranger

RUNS = 40
# Swaps ~/.continue between a real directory and a link out of the home, until told to stop
# (a file appears) or for at most MAX swaps; it runs as the user, who owns the home.
SWAPPER = """
import ctypes, os, sys
home, target, stop = sys.argv[1:4]
here, real, link = (os.path.join(home, ".continue" + n) for n in ("", "-real", "-link"))
os.symlink(target, link)
libc = ctypes.CDLL(None, use_errno=True)
exchange = getattr(libc, "renameat2", None)
print("ready", flush=True)
swaps = 0
for _ in range(int(sys.argv[4])):
    if os.path.exists(stop):
        break
    if exchange is not None:  # atomic: ~/.continue is a directory, then a link, never absent
        swaps += exchange(-100, here.encode(), -100, link.encode(), 2) == 0
        continue
    for a, b in ((here, real), (link, here), (here, link), (real, here)):
        try:
            os.rename(a, b)
            swaps += 1
        except OSError:
            pass
print(swaps, flush=True)
"""
MAX = 2_000_000


def python_for(user: Stranger) -> str:
    """Return an interpreter the user can start (standard library only); skip if none."""
    for candidate in dict.fromkeys([sys.executable, getattr(sys, "_base_executable", ""),
                                    "/usr/bin/python3"]):
        if not candidate:
            continue
        try:
            probe = subprocess.run([candidate, "-I", "-c", "pass"], user=user.uid,
                                   group=user.gid, extra_groups=[], cwd="/", timeout=30,
                                   capture_output=True, check=False)
        except OSError:
            continue
        if probe.returncode == 0:
            return candidate
    pytest.skip(f"no interpreter uid {user.uid} can start")


@pytest.mark.parametrize("check", [True, False], ids=["link-check", "kernel-only"])
def test_swapping_the_config_dir_for_a_link_never_reaches_outside(
    check: bool, scene: Scene, run: Any, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
) -> None:
    """Forty root inits race a user swapping ~/.continue and a link: nothing outside changes,
    with the link check, and with the user's rights alone (the check lost every race)."""
    if not check:
        monkeypatch.setattr(plan, "refuse_links_out", lambda *a, **k: None)
    python = python_for(scene.user)
    scene.cfg.mkdir(mode=0o700)
    scene.give(scene.cfg)
    stop = scene.home.parent / "stop"
    before = scene.snapshot()
    swapper = subprocess.Popen(
        [python, "-I", "-c", SWAPPER, str(scene.home), str(scene.outside / "conf"), str(stop),
         str(MAX)], user=scene.user.uid, group=scene.user.gid, extra_groups=[], cwd="/",
        stdout=subprocess.PIPE, text=True)
    codes: list[int] = []
    try:
        assert swapper.stdout is not None and swapper.stdout.readline().strip() == "ready"
        for _ in range(RUNS):
            result = run(*INIT, "--home", str(scene.home), env={"LANGDOCK_API_KEY": SENTINEL})
            assert SENTINEL not in result.output
            assert "Traceback" not in result.output, result.output
            codes.append(result.exit_code)
    finally:
        stop.touch()
        try:
            swapper.wait(timeout=30)
        except subprocess.TimeoutExpired:
            swapper.kill()
            swapper.wait(timeout=30)
        swaps = swapper.stdout.read().strip()
        swapper.stdout.close()
    assert swaps.isdigit() and int(swaps) > RUNS, f"the swapper did not swap: {swaps!r}"
    assert scene.snapshot() == before, "root changed something outside the home"
    assert not list((scene.outside / "cron.d").iterdir())
    assert set(codes) <= {0, 2}, codes
    assert scene.strays() == [], "files in the home not owned by the user"
    assert all(SENTINEL not in p.read_text() for p in _files(scene.outside))


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]
