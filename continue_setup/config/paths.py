"""Where Continue keeps its files, and which config file it loads."""

from __future__ import annotations

import errno
import os
import posixpath
import sys
from collections.abc import Mapping

from continue_setup.records import NamedTuple

TYPE_CHECKING = False  # pathlib stays unimported on validate's path (issue 18)
if TYPE_CHECKING:
    from pathlib import Path, PurePath
    from typing import TypeAlias

    StrPath: TypeAlias = str | os.PathLike[str]  # a path as text or a Path

JSON_NAME = "config.json"
YAML_NAME = "config.yaml"
DOTENV_NAME = ".env"


# Folders whose YAML (and, for prompts and rules, Markdown) files Continue merges into every
# config.yaml profile, globally and per workspace (core/config/loadLocalAssistants.ts).
BLOCK_TYPES = ("models", "context", "data", "mcpServers", "rules", "prompts", "docs")
# Folders whose YAML files are extra profiles beside the main config.
PROFILE_DIRS = ("assistants", "agents", "configs")
MARKDOWN_BLOCKS = ("prompts", "rules")


def _posix(text: str) -> str:
    """Return ``str(PurePosixPath(text))``: no ``.`` parts, no doubled or trailing slash."""
    # POSIX keeps exactly two leading slashes; more are one (pathlib does the same).
    root = "//" if text[:2] == "//" and text[2:3] != "/" else "/" if text[:1] == "/" else ""
    return root + "/".join(p for p in text.split("/") if p and p != ".") or "."


def clean(text: str) -> str:
    """Return ``text`` as ``str(Path(text))`` spells it (``./a//b/`` is ``a/b``), without
    loading pathlib on POSIX: ``validate`` reads paths as text (issue 18)."""
    if os.name != "posix":
        from pathlib import Path

        return str(Path(text))
    return _posix(text)


def inside(folder: str, name: str) -> str:
    """Return ``str(Path(folder) / name)`` for a ``folder`` already spelled as ``clean``."""
    return name if folder == "." else os.path.join(folder, name)


def suffix(path: str | os.PathLike[str]) -> str:
    """Return the file name's suffix as ``Path.suffix`` does (``.json``; none for ``.env``)."""
    name = os.path.basename(path)
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def secrets_dir_for(path: str | os.PathLike[str]) -> str:
    """Return the folder whose .env a config file's secrets come from: a block or profile
    file's is the Continue directory above its folder, any other file's its own folder."""
    parent = os.path.dirname(path) or "."
    if os.path.basename(parent) in BLOCK_TYPES or os.path.basename(parent) in PROFILE_DIRS:
        return os.path.dirname(parent) or "."
    return parent


class Located(NamedTuple):
    """Continue's directory as text and the reason it is that one: what ``validate`` needs of
    a ``ConfigDir``, without pathlib."""

    path: str
    source: str  # "--config-dir", "--home", "CONTINUE_GLOBAL_DIR", "HOME" or "USERPROFILE"

    def loaded_file(self) -> str | None:
        """Return the file Continue loads: config.yaml whenever it exists, else config.json."""
        for name in (YAML_NAME, JSON_NAME):
            candidate = inside(self.path, name)
            if _exists(candidate):
                return candidate
        return None


def _exists(path: str) -> bool:
    """Tell whether ``path`` exists, as ``Path.exists`` does: a missing file, a missing folder
    on the way or a link loop is no; any other error (no permission) is raised."""
    try:
        os.stat(path)
    except OSError as e:
        if e.errno in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP):
            return False
        raise
    except ValueError:  # a NUL in the name
        return False
    return True


class ConfigDir(NamedTuple):
    """Continue's global directory and the reason it is that one."""

    path: Path
    source: str  # "--config-dir", "--home", "CONTINUE_GLOBAL_DIR", "HOME" or "USERPROFILE"

    @property
    def json_path(self) -> Path:
        return self.path / JSON_NAME

    @property
    def yaml_path(self) -> Path:
        return self.path / YAML_NAME

    @property
    def dotenv_path(self) -> Path:
        return self.path / DOTENV_NAME

    def loaded_path(self) -> Path | None:
        """Return the file Continue loads: config.yaml whenever it exists, else config.json."""
        found = Located(str(self.path), self.source).loaded_file()
        return None if found is None else self.path / os.path.basename(found)

    def is_loaded(self, path: Path) -> bool:
        """Tell whether Continue would load ``path`` from this directory."""
        loaded = self.loaded_path()
        return loaded is not None and _same(loaded, path)


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def _continue_dir_text(
    env: Mapping[str, str], platform: str, cwd: str | None
) -> tuple[str, str]:
    """``continue_dir_for`` as text; POSIX without pathlib."""
    windows = platform.startswith("win")
    if windows:
        from pathlib import PureWindowsPath

        def join(folder: str, name: str) -> str:  # an absolute name replaces the folder
            return str(PureWindowsPath(folder) / name)
    else:

        def join(folder: str, name: str) -> str:
            return _posix(name if name.startswith("/") else posixpath.join(folder, name))
    override = env.get("CONTINUE_GLOBAL_DIR")
    if override:
        return join(cwd if cwd is not None else os.getcwd(), override), "CONTINUE_GLOBAL_DIR"
    if windows:
        home = env.get("USERPROFILE") or (env.get("HOMEDRIVE", "") + env.get("HOMEPATH", ""))
        source = "USERPROFILE"
    else:
        home = env.get("HOME", "")
        source = "HOME"
    if not home:
        home = os.path.expanduser("~")  # what Path.home() reads
    return join(home, ".continue"), source


def continue_dir_for(
    env: Mapping[str, str], *, platform: str = sys.platform, cwd: str | None = None
) -> tuple[PurePath, str]:
    """Compute Continue's global dir the way Continue does, for any platform.

    ``CONTINUE_GLOBAL_DIR`` wins (a relative value is taken from ``cwd``), else the home
    directory's ``.continue``: ``HOME`` on POSIX, ``USERPROFILE`` on Windows.
    """
    from pathlib import PurePosixPath, PureWindowsPath

    text, source = _continue_dir_text(env, platform, cwd)
    return (PureWindowsPath if platform.startswith("win") else PurePosixPath)(text), source


def _absolute(text: str) -> str:
    """Return ``str(Path(text).absolute())``: relative to the working directory, unresolved."""
    if os.name != "posix":  # "\\x" is absolute to os.path, not to pathlib
        from pathlib import Path

        return str(Path(text).absolute())
    text = clean(text)
    if os.path.isabs(text):
        return text
    return clean(os.path.join(os.getcwd(), text))


def locate(
    config_dir: str | os.PathLike[str] | None = None,
    *,
    home: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
) -> Located:
    """Return the config dir to use as text: ``--config-dir``, ``--home``, or Continue's own
    choice; ``resolve_config_dir`` without pathlib."""
    if config_dir is not None:
        return Located(_absolute(os.fspath(config_dir)), "--config-dir")
    if home is not None:
        return Located(inside(_absolute(os.fspath(home)), ".continue"), "--home")
    return Located(*_continue_dir_text(os.environ if env is None else env, sys.platform, None))


def resolve_config_dir(
    config_dir: str | os.PathLike[str] | None = None,
    *,
    home: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
) -> ConfigDir:
    """Return the config dir to use: ``--config-dir``, ``--home``, or Continue's own choice."""
    from pathlib import Path

    where = locate(config_dir, home=home, env=env)
    return ConfigDir(Path(where.path), where.source)
