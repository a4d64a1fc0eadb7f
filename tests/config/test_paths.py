"""Where Continue's files are, on every OS, and which one it loads."""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from continue_setup.config.paths import ConfigDir, continue_dir_for, resolve_config_dir


def test_linux_uses_home() -> None:
    """On Linux the directory is $HOME/.continue."""
    path, source = continue_dir_for({"HOME": "/home/ada"}, platform="linux")
    assert path == PurePosixPath("/home/ada/.continue")
    assert source == "HOME"


def test_macos_uses_home() -> None:
    """On macOS the directory is $HOME/.continue too."""
    path, _ = continue_dir_for({"HOME": "/Users/ada"}, platform="darwin")
    assert path == PurePosixPath("/Users/ada/.continue")


def test_windows_uses_userprofile() -> None:
    """On Windows the directory is %USERPROFILE%\\.continue, whatever HOME says."""
    env = {"USERPROFILE": r"C:\Users\ada", "HOME": "/ignored"}
    path, source = continue_dir_for(env, platform="win32")
    assert path == PureWindowsPath(r"C:\Users\ada\.continue")
    assert source == "USERPROFILE"


def test_windows_falls_back_to_homedrive_homepath() -> None:
    """Without USERPROFILE, Windows composes the home from HOMEDRIVE and HOMEPATH."""
    path, _ = continue_dir_for({"HOMEDRIVE": "D:", "HOMEPATH": r"\Users\ada"}, platform="win32")
    assert path == PureWindowsPath(r"D:\Users\ada\.continue")


@pytest.mark.parametrize("platform", ["linux", "darwin", "win32"])
def test_continue_global_dir_wins(platform: str) -> None:
    """CONTINUE_GLOBAL_DIR overrides the home directory on every platform."""
    absolute = r"C:\cfg" if platform == "win32" else "/cfg"
    path, source = continue_dir_for(
        {"CONTINUE_GLOBAL_DIR": absolute, "HOME": "/h", "USERPROFILE": r"C:\h"}, platform=platform
    )
    assert str(path) == absolute
    assert source == "CONTINUE_GLOBAL_DIR"


def test_relative_continue_global_dir_is_taken_from_cwd() -> None:
    """A relative CONTINUE_GLOBAL_DIR is taken from the current directory, as Continue does."""
    path, _ = continue_dir_for(
        {"CONTINUE_GLOBAL_DIR": "cfg/continue"}, platform="linux", cwd="/work/project"
    )
    assert path == PurePosixPath("/work/project/cfg/continue")


def test_relative_windows_global_dir() -> None:
    """On Windows a relative CONTINUE_GLOBAL_DIR joins the current drive path."""
    path, _ = continue_dir_for({"CONTINUE_GLOBAL_DIR": "cfg"}, platform="win32", cwd=r"C:\proj")
    assert path == PureWindowsPath(r"C:\proj\cfg")


def test_explicit_config_dir_beats_environment(tmp_path: Path) -> None:
    """--config-dir wins over CONTINUE_GLOBAL_DIR."""
    chosen = resolve_config_dir(tmp_path / "x", env={"CONTINUE_GLOBAL_DIR": "/elsewhere"})
    assert chosen.path == tmp_path / "x"
    assert chosen.source == "--config-dir"


def test_home_option_targets_another_users_home(tmp_path: Path) -> None:
    """--home DIR means DIR/.continue, for admins setting up another user."""
    chosen = resolve_config_dir(home=tmp_path / "bob", env={})
    assert chosen.path == tmp_path / "bob" / ".continue"


def test_yaml_is_loaded_when_both_exist(tmp_path: Path) -> None:
    """Continue loads config.yaml whenever it exists, so it shadows config.json."""
    config = ConfigDir(tmp_path, "--config-dir")
    assert config.loaded_path() is None
    config.json_path.write_text("{}")
    assert config.loaded_path() == config.json_path
    config.yaml_path.write_text("name: x\n")
    assert config.loaded_path() == config.yaml_path
    assert config.is_loaded(config.yaml_path)
    assert not config.is_loaded(config.json_path)
