"""``demo``: the tour's steps, its environment, and the mistakes it makes on purpose.

The tour runs the real commands against the fake gateway in a throwaway directory. Nothing
here starts, runs or prints anything: ``cli/demo.py`` runs the steps and ``report/demo.py``
says what happened.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

# Accepted by the fake gateway only; shaped like a Langdock key so every check treats it as one.
DEMO_KEY = "sk-ld-demo-0123456789abcdef0123456789abcdef"


@dataclass(frozen=True)
class Step:
    """One command of the tour, the exit code that means it showed what it should, and why."""

    title: str
    argv: tuple[str, ...]
    expect: int
    worked: str
    breaks_config: bool = False  # break the config (see ``break_config``) before running


def demo_steps(config_dir: Path, base_url: str) -> list[Step]:
    """Return the tour: init, ping, a broken config found by validate, then doctor --fix."""
    where = ("--config-dir", str(config_dir))
    return [
        Step("init writes a config, after calling each entry as Continue will",
             ("init", "--yes", "--base-url", base_url, *where), 0,
             f"init wrote {config_dir / 'config.json'}"),
        Step("ping calls every entry of that config and shows a verdict for each",
             ("ping", *where), 0, "every entry answered"),
        Step("a config broken on purpose, as people often break it; validate finds why",
             ("validate", "--config-dir", str(config_dir)), 1,
             "validate found the mistakes (exit 1), each with its line and what to write",
             breaks_config=True),
        Step("doctor --fix repairs what is mechanical, keeps a backup, and checks again",
             ("doctor", "--fix", "--yes", *where), 0,
             "doctor fixed the config and every entry answers again"),
    ]


def demo_environ(config_dir: Path, environ: Mapping[str, str]) -> dict[str, str]:
    """Return the variables to set for the tour: its own config dir, key, and no proxy.

    CONTINUE_GLOBAL_DIR keeps anything that looks for Continue's directory away from the
    user's; NO_PROXY keeps the calls to 127.0.0.1 off a proxy the user may have set.
    """
    no_proxy = environ.get("NO_PROXY") or environ.get("no_proxy") or ""
    return {"CONTINUE_GLOBAL_DIR": str(config_dir), "LANGDOCK_API_KEY": DEMO_KEY,
            "NO_PROXY": ",".join(p for p in ("127.0.0.1", "localhost", no_proxy) if p)}


def break_config(path: Path) -> list[str]:
    """Break the config ``init`` wrote the way people do; return what was broken, in words.

    The first chat entry's apiBase gets the endpoint appended (Continue appends it again) and
    the next one the same title as the first (Continue picks models by title). Writing in
    place keeps the file's mode.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    said: list[str] = []
    chat = [e for e in data.get("models", []) if isinstance(e, dict)]
    if chat:
        chat[0]["apiBase"] = str(chat[0].get("apiBase", "")) + "/chat/completions"
        said.append(f"{chat[0].get('title')}: apiBase now ends in /chat/completions")
    if len(chat) > 1:
        said.append(f"{chat[1].get('title')}: now titled {chat[0].get('title')!r} too")
        chat[1]["title"] = chat[0].get("title")
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return said
