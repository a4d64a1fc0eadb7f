"""Root working in a hostile user's home: planted links are refused, never followed.

Each attack is real: root runs the command for a throwaway uid whose home holds a link (to a
root-owned file or directory outside the home, or dangling into a root "cron.d"); nothing
outside may change or appear, and everything in the home must belong to the user.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from continue_setup.repair import doctor, migrate
from continue_setup.setup import plan, remove, restore, rotate
from continue_setup.setup.writer import LOCK_NAME
from tests.cli.test_rollout import INIT
from tests.conftest import GPT_CONFIG, SENTINEL, Stranger

ROOT_KEY = "sk-ld-ROOTONLY-5555aaaa5555aaaa"  # only in a root 0600 file
ROOT_ENV = "ROOT_TOKEN=world-readable-anyway\n"  # 0644: the user may read it
ROOT_YAML = "name: root\nversion: 1.0.0\nschema: v1\nmodels: []\n"
DOCTOR = ("doctor", "--offline", "--fix", "--yes")
ROTATE = ("rotate-key", "--no-ping", "--yes")
Snapshot = dict[str, tuple[bytes | None, int, int, int]]


@dataclass
class Scene:
    """A user's home beside a root-owned area that the user must never reach through us."""

    home: Path
    outside: Path  # root-owned, 0755: conf/ (the files a link may name) and cron.d/
    user: Stranger

    @property
    def cfg(self) -> Path:
        return self.home / ".continue"

    def give(self, path: Path) -> None:
        """Make ``path`` the user's (a link itself, not its target)."""
        os.chown(path, self.user.uid, self.user.gid, follow_symlinks=False)

    def put(self, name: str, text: str, mode: int = 0o600) -> Path:
        """Write ``name`` in the user's config dir, owned by the user."""
        if not self.cfg.exists():
            self.cfg.mkdir(mode=0o700)
            self.give(self.cfg)
        path = self.cfg / name
        path.write_text(text)
        path.chmod(mode)
        self.give(path)
        return path

    def plant(self, name: str, target: Path) -> Path:
        """Plant a link ``name`` (relative to the home) to ``target``, as the user would."""
        link = self.home / name
        if not link.parent.exists():
            link.parent.mkdir(mode=0o700)
            self.give(link.parent)
        link.symlink_to(target)
        self.give(link)
        return link

    def snapshot(self) -> Snapshot:
        """Every entry outside with its content, mode and owner."""
        found: Snapshot = {}
        for path in sorted(self.outside.rglob("*")):
            info = path.lstat()
            data = path.read_bytes() if stat.S_ISREG(info.st_mode) else None
            found[str(path.relative_to(self.outside))] = (data, info.st_mode, info.st_uid,
                                                          info.st_gid)
        return found

    def strays(self) -> list[Path]:
        """Entries in the home that do not belong to the user."""
        return [p for p in [self.home, *self.home.rglob("*")]
                if (p.lstat().st_uid, p.lstat().st_gid) != (self.user.uid, self.user.gid)]


@pytest.fixture
def scene(stranger: Stranger) -> Iterator[Scene]:
    """A 0700 home owned by the user and a root area beside it, in a directory all may enter."""
    base = Path(tempfile.mkdtemp(prefix="continue-setup-root-"))
    base.chmod(0o755)
    home = base / "home"
    home.mkdir(mode=0o700)
    os.chown(home, stranger.uid, stranger.gid)
    outside = base / "outside"
    conf = outside / "conf"
    conf.mkdir(parents=True)
    (outside / "cron.d").mkdir()
    for folder in (outside, conf, outside / "cron.d"):
        folder.chmod(0o755)
    # Something for doctor to fix (no /v1), so that --fix would write it if it could.
    root_config = dict(GPT_CONFIG, models=[dict(GPT_CONFIG["models"][0], apiKey=ROOT_KEY,
                                                apiBase="https://api.langdock.com/openai/eu")])
    for name, text, mode in (("config.json", json.dumps(root_config), 0o600),
                             ("config.yaml", ROOT_YAML, 0o644), (".env", ROOT_ENV, 0o644)):
        (conf / name).write_text(text)
        (conf / name).chmod(mode)
    yield Scene(home, outside, stranger)
    shutil.rmtree(base, ignore_errors=True)


def user_config(scene: Scene, *, open_mode: bool = False) -> None:
    """Give the user a config.json with a mechanical problem for doctor (no /v1)."""
    data = dict(GPT_CONFIG, models=[dict(GPT_CONFIG["models"][0], apiKey=SENTINEL,
                                         apiBase="https://api.langdock.com/openai/eu")])
    scene.put("config.json", json.dumps(data, indent=2), 0o644 if open_mode else 0o600)


def yaml_with_env(scene: Scene) -> None:
    """Give the user a config.yaml that takes its key from .env."""
    scene.put("config.yaml", "name: mine\nversion: 1.0.0\nschema: v1\nmodels:\n  - name: GPT\n"
              "    provider: openai\n    model: gpt-5.2\n"
              "    apiBase: https://api.langdock.com/openai/eu/v1\n"
              "    apiKey: ${{ secrets.LANGDOCK_API_KEY }}\n")


def to_conf(name: str) -> Callable[[Scene], Path]:
    return lambda s: s.outside / "conf" / name


def dangling(name: str) -> Callable[[Scene], Path]:
    return lambda s: s.outside / "cron.d" / name


@dataclass
class Attack:
    """A command root runs with --home, and the link the user planted first."""

    id: str
    argv: tuple[str, ...]
    link: str  # relative to the home
    target: Callable[[Scene], Path]
    before: Callable[[Scene], None] | None = None


ATTACKS = [
    Attack("init-dir-link", INIT, ".continue", to_conf("")),
    Attack("init-json-link", INIT, ".continue/config.json", to_conf("config.json")),
    Attack("init-json-dangling", INIT, ".continue/config.json", dangling("evil")),
    Attack("init-yaml-link", INIT, ".continue/config.yaml", to_conf("config.yaml")),
    Attack("init-yaml-dangling", (*INIT, "--format", "yaml"), ".continue/config.yaml",
           dangling("evil")),
    Attack("init-dotenv-link", (*INIT, "--format", "yaml", "--key-storage", "dotenv"),
           ".continue/.env", to_conf(".env")),
    Attack("init-dotenv-dangling", (*INIT, "--format", "yaml"), ".continue/.env",
           dangling("evil")),
    Attack("init-carry-json-link", (*INIT, "--format", "yaml", "--carry-over"),
           ".continue/config.json", to_conf("config.json")),
    Attack("init-lock-link", INIT, f".continue/{LOCK_NAME}", to_conf("config.json")),
    Attack("init-lock-dangling", INIT, f".continue/{LOCK_NAME}", dangling("evil")),
    Attack("doctor-dotenv-link", DOCTOR, ".continue/.env", to_conf(".env"), yaml_with_env),
    Attack("doctor-json-link", DOCTOR, ".continue/config.json", to_conf("config.json")),
    Attack("doctor-lock-dangling", DOCTOR, f".continue/{LOCK_NAME}", dangling("evil"),
           lambda s: user_config(s, open_mode=True)),
    Attack("doctor-dir-link", DOCTOR, ".continue", to_conf("")),
    Attack("migrate-yaml-dangling", ("migrate",), ".continue/config.yaml", dangling("evil"),
           user_config),
    Attack("migrate-dotenv-link", ("migrate", "--key-storage", "dotenv"), ".continue/.env",
           to_conf(".env"), user_config),
    Attack("migrate-lock-link", ("migrate",), f".continue/{LOCK_NAME}", to_conf(".env"),
           user_config),
    Attack("migrate-dir-link", ("migrate", "--force"), ".continue", to_conf("")),
    Attack("migrate-json-link", ("migrate",), ".continue/config.json", to_conf("config.json")),
    Attack("doctor-migrate-json-link", (*DOCTOR, "--format", "yaml"), ".continue/config.json",
           to_conf("config.json"), lambda s: s.put("config.yaml", ROOT_YAML)),
    Attack("remove-json-link", ("remove",), ".continue/config.json", to_conf("config.json")),
    Attack("remove-dotenv-link", ("remove",), ".continue/.env", to_conf(".env"), yaml_with_env),
    Attack("remove-dir-link", ("remove",), ".continue", to_conf("")),
    Attack("rotate-json-link", ROTATE, ".continue/config.json", to_conf("config.json")),
    Attack("rotate-dotenv-link", ROTATE, ".continue/.env", to_conf(".env"), yaml_with_env),
    Attack("rotate-lock-dangling", ROTATE, f".continue/{LOCK_NAME}", dangling("evil"),
           user_config),
    Attack("restore-json-link", ("restore",), ".continue/config.json", to_conf("config.json"),
           lambda s: s.put("config.json.bak-20260101-000000", "{}")),
    Attack("restore-dir-link", ("restore",), ".continue", to_conf("")),
]


def attack(scene: Scene, case: Attack, run: Any) -> Any:
    """Set the scene for ``case``, run its command as root for the user, and return the result."""
    if case.before is not None:
        case.before(scene)
    scene.plant(case.link, case.target(scene))
    before = scene.snapshot()
    result = run(*case.argv, "--home", str(scene.home), env={"LANGDOCK_API_KEY": SENTINEL})
    assert scene.snapshot() == before, f"{case.id}: root changed something outside the home"
    assert not list((scene.outside / "cron.d").iterdir())
    assert scene.strays() == [], f"{case.id}: files in the home not owned by the user"
    assert SENTINEL not in result.output and ROOT_KEY not in result.output
    leaked = [p for p in scene.home.rglob("*") if p.is_file() and not p.is_symlink()
              and ROOT_KEY in p.read_text()]
    assert leaked == [], f"{case.id}: root's secret copied into the user's home"
    assert result.exit_code != 70 and "Traceback" not in result.output
    return result


@pytest.mark.parametrize("case", ATTACKS, ids=lambda c: c.id)
def test_a_planted_link_is_refused_by_name(case: Attack, scene: Scene, run: Any) -> None:
    """Every planted link out of the home: exit 2, the message names it, nothing outside moves."""
    result = attack(scene, case, run)
    assert result.exit_code == 2, result.output
    assert "refusing to use" in result.stderr and "outside" in result.stderr, result.output
    assert str(scene.home / case.link) in result.stderr
    assert "Remove or replace the link" in result.stderr


@pytest.mark.parametrize("case", ATTACKS, ids=lambda c: c.id)
def test_the_kernel_refuses_even_when_the_check_is_raced(case: Attack, scene: Scene, run: Any,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    """With the link check lost to a race, the user's own rights still keep root inside."""
    for module in (plan, doctor, migrate, remove, restore, rotate):
        monkeypatch.setattr(module, "refuse_links_out", lambda *a, **k: None)
    result = attack(scene, case, run)
    # Refused by the kernel, or nothing to do (remove finds none of ours in root's file: 0);
    # attack() has already checked that nothing outside changed and nothing leaked.
    allowed = (0, 1, 2) if case.id.startswith("remove-") else (1, 2)
    assert result.exit_code in allowed, result.output


def test_a_backup_planted_as_a_link_restores_nothing_of_roots(scene: Scene, run: Any) -> None:
    """restore reads a backup with the user's rights: a link to a root file gives nothing."""
    user_config(scene)
    result = attack(scene, Attack("restore-backup-link", ("restore",),
                                  ".continue/config.json.bak-20260101-000000",
                                  to_conf("config.json")), run)
    assert result.exit_code != 0, result.output
    assert SENTINEL in (scene.cfg / "config.json").read_text()  # the user's file is untouched


def test_links_inside_the_home_are_followed_as_the_user(scene: Scene, run: Any) -> None:
    """A dotfile manager's link that stays in the home works for root too; the link is kept."""
    dotfiles = scene.home / "dotfiles"
    dotfiles.mkdir(mode=0o700)
    scene.give(dotfiles)
    scene.plant(".continue", dotfiles)
    result = run(*INIT, "--home", str(scene.home), env={"LANGDOCK_API_KEY": SENTINEL})
    assert result.exit_code == 0, result.output
    assert (scene.home / ".continue").is_symlink()
    assert SENTINEL in (dotfiles / "config.json").read_text()
    assert scene.strays() == []


def test_doctor_and_migrate_leave_everything_to_the_user(scene: Scene, run: Any) -> None:
    """doctor --fix and migrate as root: configs, backups, lock and .env all belong to the user,
    who can then run init as themself."""
    user_config(scene, open_mode=True)
    fixed = run(*DOCTOR, "--home", str(scene.home))
    assert fixed.exit_code == 0, fixed.output
    assert any(p.name.startswith("config.json.bak-") for p in scene.cfg.iterdir())
    moved = run("migrate", "--key-storage", "dotenv", "--home", str(scene.home))
    assert moved.exit_code == 0, moved.output
    names = {p.name for p in scene.cfg.iterdir()}
    assert {"config.yaml", ".env", LOCK_NAME} <= names
    assert scene.strays() == []
    for path in scene.cfg.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    prefix = scene.user.setpriv()
    import subprocess
    import sys

    from tests.conftest import ROOT

    env = {"PATH": os.environ["PATH"], "HOME": str(scene.home), "PYTHONPATH": str(ROOT),
           "LANGDOCK_API_KEY": SENTINEL, "NO_PROXY": "*"}
    proc = subprocess.run([*prefix, sys.executable, "-m", "continue_setup", *INIT, "--quiet"],
                          capture_output=True, text=True, env=env, timeout=60, check=False,
                          cwd="/")
    assert proc.returncode == 0, proc.stderr
    assert SENTINEL not in proc.stdout + proc.stderr


@pytest.mark.parametrize("inside", [False, True], ids=["link-out", "link-in"])
def test_config_dir_as_root_guards_the_users_home_too(inside: bool, scene: Scene, run: Any
                                                      ) -> None:
    """--config-dir ~/.continue as root: a link out of the home is refused, one inside works."""
    dotfiles = scene.home / "dotfiles"
    dotfiles.mkdir(mode=0o700)
    scene.give(dotfiles)
    scene.plant(".continue", dotfiles if inside else scene.outside / "conf")
    before = scene.snapshot()
    result = run(*INIT, "--config-dir", str(scene.cfg), env={"LANGDOCK_API_KEY": SENTINEL})
    assert scene.snapshot() == before and scene.strays() == []
    assert SENTINEL not in result.output
    if inside:
        assert result.exit_code == 0, result.output
        assert SENTINEL in (dotfiles / "config.json").read_text()
    else:
        assert result.exit_code == 2 and "refusing to use" in result.stderr, result.output


def test_links_at_the_next_backup_names_are_stepped_over(scene: Scene, run: Any) -> None:
    """Links planted at the backup names root will pick are neither followed nor replaced."""
    import datetime

    user_config(scene)
    now = datetime.datetime.now()
    planted = []
    for second in range(4):
        stamp = (now + datetime.timedelta(seconds=second)).strftime("%Y%m%d-%H%M%S")
        target = scene.outside / ("conf/config.json" if second % 2 else f"cron.d/{second}")
        planted.append((scene.plant(f".continue/config.json.bak-{stamp}", target), target))
    before = scene.snapshot()
    result = run(*INIT, "--home", str(scene.home), env={"LANGDOCK_API_KEY": SENTINEL})
    assert result.exit_code == 0, result.output
    assert scene.snapshot() == before and scene.strays() == []
    assert all(link.is_symlink() and link.readlink() == target for link, target in planted)
    backups = [p for p in scene.cfg.iterdir() if ".bak-" in p.name and not p.is_symlink()]
    assert len(backups) == 1 and stat.S_IMODE(backups[0].stat().st_mode) == 0o600


def test_a_root_owned_leftover_is_a_clear_error_with_the_chown(scene: Scene, run: Any) -> None:
    """A config an older version left owned by root: root, as the user, cannot touch it, and
    says how to hand it back; nothing changes."""
    user_config(scene)
    path = scene.cfg / "config.json"
    os.chown(path, 0, 0)
    before = path.read_bytes()
    result = run(*INIT, "--home", str(scene.home), env={"LANGDOCK_API_KEY": SENTINEL})
    assert result.exit_code == 2, result.output
    assert "Permission denied" in result.stderr
    assert f"chown {scene.user.uid}:{scene.user.gid} {path}" in result.stderr
    assert path.read_bytes() == before and SENTINEL not in result.output
