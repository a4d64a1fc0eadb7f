"""Every other source Continue reads beside the main config, and what would stop it loading.

Continue merges the block folders (``models/``, ``rules/``, ``prompts/``, ...) of its global
directory and of the workspace's ``.continue/`` into every config.yaml profile, loads extra
profiles from ``assistants/``, ``agents/`` and ``configs/``, reads secrets from the
workspace's ``.env`` files, and on the config.json path applies ``config.ts``. Each block
file is checked as ``validate`` checks it, so the findings are the same ones.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from continue_setup.check.findings import Finding
from continue_setup.config.paths import BLOCK_TYPES, MARKDOWN_BLOCKS, PROFILE_DIRS, ConfigDir

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any

MAX_FILES = 500  # per folder: a report, not an index of someone's whole disk
MAX_DEPTH = 40  # parents walked up looking for a workspace


class Source:
    """One more file or folder Continue reads, and the findings about it."""

    def __init__(self, kind: str, path: Path, note: str,
                 findings: tuple[Finding, ...] = ()) -> None:
        self.kind = kind  # "block", "profile", "config.ts", "workspace", "workspace .env", "cn"
        self.path = path
        self.note = note
        self.findings = findings

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "path": str(self.path), "note": self.note,
                "findings": [{"severity": f.severity, "code": f.code, "pointer": f.pointer,
                              "line": f.line, "column": f.column, "message": f.message,
                              "hint": f.hint} for f in self.findings]}


def _folder_files(folder: Path, markdown: bool) -> list[Path]:
    try:
        names = sorted(os.listdir(folder))[:MAX_FILES]
    except OSError:
        return []
    suffixes = (".yaml", ".yml", ".md") if markdown else (".yaml", ".yml")
    return [folder / n for n in names if n.endswith(suffixes) and not n.startswith(".")
            and (folder / n).is_file()]


def _check(sources: list[Source], environ: Mapping[str, str]) -> None:
    """Give each block and profile file the errors ``validate`` reports for it."""
    from continue_setup.check.validate import validate_paths

    files = [s for s in sources if s.kind in ("block", "profile")]
    if not files:
        return
    run = validate_paths([s.path for s in files], environ=environ, parallel=False)
    for source, report in zip(files, run.reports, strict=True):
        source.findings = tuple(f for f in report.findings if f.severity == "error")


def _blocks(base: Path, where: str, yaml_path: bool) -> list[Source]:
    found: list[Source] = []
    for kind, folders in (("block", BLOCK_TYPES), ("profile", PROFILE_DIRS)):
        for name in folders:
            for path in _folder_files(base / name, name in MARKDOWN_BLOCKS):
                if kind == "block":
                    note = (f"{where} block, merged into config.yaml" if yaml_path else
                            f"{where} block; ignored while Continue loads config.json")
                else:
                    note = f"{where} profile: a config of its own, selectable in Continue"
                found.append(Source(kind, path, note))
    return found


def find_workspace(cwd: Path, config_dir: Path, home: Path) -> Path | None:
    """Return the nearest folder at or above ``cwd`` holding a ``.continue/`` or ``.env``
    that is a workspace's, not Continue's global directory; stop at ``home``."""
    here = cwd.absolute()
    for _ in range(MAX_DEPTH):
        candidate = here / ".continue"
        if candidate.is_dir() and candidate != config_dir and here != home:
            return here
        if here == home or here.parent == here:
            return None
        here = here.parent
    return None


def which(command: str, path: str | None) -> str | None:
    """Return where ``command`` is found on ``path`` (the PATH when None), as shutil.which.

    POSIX searches here: shutil loads bz2, lzma and zlib for its archives, ~7 M instructions
    that were a fifth of what ``doctor`` adds to ``validate``.
    """
    import sys

    if sys.platform == "win32":  # PATHEXT and the current folder first: shutil knows them
        import shutil

        return shutil.which(command, path=path)
    if path is None:
        path = os.environ.get("PATH")
        if path is None:
            try:
                path = os.confstr("CS_PATH") or ""
            except (AttributeError, ValueError):
                path = os.defpath
    if os.path.dirname(command):
        return command if _runnable(command) else None
    seen: set[str] = set()
    for folder in path.split(os.pathsep) if path else ():
        if folder not in seen:
            seen.add(folder)
            candidate = os.path.join(folder, command)
            if _runnable(candidate):
                return candidate
    return None


def _runnable(path: str) -> bool:
    return os.path.exists(path) and os.access(path, os.X_OK) and not os.path.isdir(path)


def find_sources(config_dir: ConfigDir, *, loaded: Path | None, cwd: Path,
                 environ: Mapping[str, str]) -> tuple[list[Source], list[Finding]]:
    """Return the other sources Continue reads, and doctor's findings about them."""
    yaml_path = loaded is not None and loaded.suffix in (".yaml", ".yml")
    sources = _blocks(config_dir.path, "global", yaml_path)
    problems: list[Finding] = []
    for name in ("config.ts", "config.js"):
        path = config_dir.path / name
        if path.is_file():
            applies = loaded is not None and not yaml_path
            finding = Finding(
                "warning", "config-ts", "",
                f"{name} beside the config changes it when Continue loads it"
                + ("" if applies else " (only on the config.json path: ignored now)"),
                "If you no longer use it, move it aside: a stale config.ts is known to "
                "break autocomplete, and validate cannot see what it changes.")
            sources.append(Source("config.ts", path, finding.message, (finding,)))
            if applies:
                problems.append(finding)
    home = Path(environ.get("HOME") or environ.get("USERPROFILE") or Path.home()).absolute()
    workspace = find_workspace(cwd, config_dir.path.absolute(), home)
    if workspace is not None:
        sources.append(Source("workspace", workspace / ".continue",
                              "this workspace's .continue: its blocks and profiles load too"))
        sources += _blocks(workspace / ".continue", "workspace", yaml_path)
        for env in (workspace / ".continue" / ".env", workspace / ".env"):
            if env.is_file():
                sources.append(Source("workspace .env", env, "secrets for config.yaml after "
                                      "the global .env (the IDE; cn puts the environment first)"))
    _check(sources, environ)
    problems += [f._replace(message=f"{s.path}: {f.message}") for s in sources
                 if s.kind in ("block", "profile") for f in s.findings]
    cn = which("cn", environ.get("PATH"))
    if cn is not None:
        note = ("Continue's CLI (cn) is installed: it reads only config.yaml, never config.json, "
                "config.ts or the block folders")
        if loaded is not None and not yaml_path:
            problems.append(Finding("warning", "cn-ignores-json", "", note + "; this "
                                    "config.json setup is invisible to it",
                                    "Run 'continue-setup migrate' to write config.yaml."))
        sources.append(Source("cn", Path(cn), note))
    return sources, problems
