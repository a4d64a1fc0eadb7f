"""Where Continue's files are, on every OS, and which one it loads."""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from continue_setup.config.paths import (
    ConfigDir,
    clean,
    continue_dir_for,
    locate,
    resolve_config_dir,
    secrets_dir_for,
    suffix,
)


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


TEXT_PATHS = st.text(alphabet="/.ab", max_size=12)


@settings(max_examples=300, deadline=None)
@given(TEXT_PATHS)
def test_clean_spells_paths_as_pathlib(text: str) -> None:
    """A path read as text is spelled as str(Path(text)): no '.' parts, no doubled or
    trailing slashes, two leading slashes kept."""
    assert clean(text) == str(PurePosixPath(text))


@settings(max_examples=300, deadline=None)
@given(TEXT_PATHS)
def test_suffix_is_pathlibs(text: str) -> None:
    """A file name's suffix is Path.suffix's (none for '.env' or 'a.')."""
    assert suffix(clean(text)) == PurePosixPath(text).suffix


@pytest.mark.parametrize("path", ["config.json", "c/config.yaml", "/config.json", "models/x.yaml",
                                  "/models/x.yaml", "a/models/x.yaml", "a/assistants/p.yaml",
                                  "//models/x.yaml", "a/prompts/p.md"])
def test_secrets_dir_for_is_the_files_continue_dir(path: str) -> None:
    """A block or profile file's secrets come from the folder above its own, any other
    file's from its own folder; the text is the folder pathlib would name."""
    parent = PurePosixPath(path).parent
    expected = parent.parent if parent.name in ("models", "assistants", "prompts") else parent
    assert secrets_dir_for(path) == str(expected)
    assert secrets_dir_for(Path(path)) == str(expected)


@pytest.mark.parametrize("given_path", ["c", "./c/", "c//d/.", ".", "/abs/c", "//abs", "a/../b"])
def test_locate_names_the_folder_resolve_config_dir_does(
        given_path: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--config-dir and --home as text are the folders pathlib makes of them (absolute from
    the working directory, '..' kept)."""
    monkeypatch.chdir(tmp_path)
    env = {"CONTINUE_GLOBAL_DIR": "/elsewhere"}
    for kwargs in ({"config_dir": given_path}, {"home": given_path}):
        where = locate(**kwargs, env=env)  # type: ignore[arg-type]
        chosen = resolve_config_dir(**kwargs, env=env)  # type: ignore[arg-type]
        assert (where.path, where.source) == (str(chosen.path), chosen.source)
    expected = Path(given_path).absolute() / ".continue"
    assert locate(home=given_path, env=env).path == str(expected)


@pytest.mark.parametrize("env", [{"HOME": "/home/ada/"}, {"HOME": "//srv//ada"},
                                 {"CONTINUE_GLOBAL_DIR": "/etc/continue/"},
                                 {"CONTINUE_GLOBAL_DIR": "cfg/./continue"}, {"HOME": ""}])
def test_locate_reads_the_environment_as_continue_dir_for(
        env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without options, the folder is continue_dir_for's, from the same variables."""
    monkeypatch.chdir(tmp_path)
    path, source = continue_dir_for(env)
    assert locate(env=env) == (str(path), source)


def test_loaded_file_is_the_one_continue_loads(tmp_path: Path) -> None:
    """As text too, config.yaml wins whenever it exists, else config.json, else none; a
    dangling link is no file."""
    where = locate(tmp_path)
    assert where.loaded_file() is None
    (tmp_path / "config.yaml").symlink_to(tmp_path / "gone.yaml")
    assert where.loaded_file() is None
    (tmp_path / "config.json").write_text("{}")
    assert where.loaded_file() == str(tmp_path / "config.json")
    (tmp_path / "config.yaml").unlink()
    (tmp_path / "config.yaml").write_text("name: x\n")
    assert where.loaded_file() == str(tmp_path / "config.yaml")



@settings(max_examples=300, deadline=None)
@given(override=TEXT_PATHS, home=TEXT_PATHS, cwd=TEXT_PATHS.map(lambda t: "/" + t))
def test_continue_dir_for_is_pathlibs_on_posix(override: str, home: str, cwd: str) -> None:
    """On POSIX, the folder read as text is the one pathlib composes from the same values."""
    expected = PurePosixPath(cwd) / override if override else PurePosixPath(home) / ".continue"
    if not home and not override:
        expected = PurePosixPath(Path.home()) / ".continue"
    env = {"CONTINUE_GLOBAL_DIR": override, "HOME": home}
    assert continue_dir_for(env, platform="linux", cwd=cwd)[0] == expected
