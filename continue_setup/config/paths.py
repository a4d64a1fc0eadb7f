"""Where Continue keeps its files, and which config file it loads."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

from continue_setup.records import NamedTuple

JSON_NAME = "config.json"
YAML_NAME = "config.yaml"
DOTENV_NAME = ".env"


# Folders whose YAML (and, for prompts and rules, Markdown) files Continue merges into every
# config.yaml profile, globally and per workspace (core/config/loadLocalAssistants.ts).
BLOCK_TYPES = ("models", "context", "data", "mcpServers", "rules", "prompts", "docs")
# Folders whose YAML files are extra profiles beside the main config.
PROFILE_DIRS = ("assistants", "agents", "configs")
MARKDOWN_BLOCKS = ("prompts", "rules")


def secrets_dir_for(path: Path) -> Path:
    """Return the folder whose .env a config file's secrets come from: a block or profile
    file's is the Continue directory above its folder, any other file's its own folder."""
    parent = path.parent
    if parent.name in BLOCK_TYPES or parent.name in PROFILE_DIRS:
        return parent.parent
    return parent


class ConfigDir(NamedTuple):
    """Continue's global directory and the reason it is that one."""

    path: Path
    source: str  # "--config-dir", "CONTINUE_GLOBAL_DIR", "HOME" or "USERPROFILE"

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
        if self.yaml_path.exists():
            return self.yaml_path
        if self.json_path.exists():
            return self.json_path
        return None

    def is_loaded(self, path: Path) -> bool:
        """Tell whether Continue would load ``path`` from this directory."""
        loaded = self.loaded_path()
        return loaded is not None and _same(loaded, path)


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def continue_dir_for(
    env: Mapping[str, str], *, platform: str = sys.platform, cwd: str | None = None
) -> tuple[PurePath, str]:
    """Compute Continue's global dir the way Continue does, for any platform.

    ``CONTINUE_GLOBAL_DIR`` wins (a relative value is taken from ``cwd``), else the home
    directory's ``.continue``: ``HOME`` on POSIX, ``USERPROFILE`` on Windows.
    """
    flavour: type[PurePath] = PureWindowsPath if platform.startswith("win") else PurePosixPath
    override = env.get("CONTINUE_GLOBAL_DIR")
    if override:
        path = flavour(override)
        if not path.is_absolute():
            path = flavour(cwd if cwd is not None else os.getcwd()) / path
        return path, "CONTINUE_GLOBAL_DIR"
    if platform.startswith("win"):
        home = env.get("USERPROFILE") or (env.get("HOMEDRIVE", "") + env.get("HOMEPATH", ""))
        source = "USERPROFILE"
    else:
        home = env.get("HOME", "")
        source = "HOME"
    if not home:
        home = str(Path.home())
    return flavour(home) / ".continue", source


def resolve_config_dir(
    config_dir: str | os.PathLike[str] | None = None,
    *,
    home: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
) -> ConfigDir:
    """Return the config dir to use: ``--config-dir``, ``--home``, or Continue's own choice."""
    if config_dir is not None:
        return ConfigDir(Path(config_dir).absolute(), "--config-dir")
    if home is not None:
        return ConfigDir(Path(home).absolute() / ".continue", "--home")
    path, source = continue_dir_for(os.environ if env is None else env)
    return ConfigDir(Path(path), source)
