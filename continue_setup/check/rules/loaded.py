"""Rules on the config Continue actually loads: does it give Continue anything to talk to?

``validate``, ``doctor``, ``ping`` and ``init`` all ask ``nothing_to_talk_to``, so a config
with no chat model is the same error in all four.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from continue_setup.check.findings import Finding
from continue_setup.check.rules.codes import RuleContext, issue
from continue_setup.check.rules.structure import is_default_yaml
from continue_setup.config.parsing import Document
from continue_setup.config.paths import JSON_NAME, YAML_NAME, suffix

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any

    from continue_setup.config.paths import StrPath

BLOCK_SUFFIXES = (".yaml", ".yml")


def is_loaded_name(path: StrPath) -> bool:
    """Tell whether Continue would load ``path`` from its folder, judging by names alone."""
    name = os.path.basename(path)
    if name == YAML_NAME:
        return True
    return name == JSON_NAME and not os.path.isfile(os.path.join(os.path.dirname(path),
                                                                 YAML_NAME))


def _block_models(folder: str) -> bool:
    """Tell whether ``models/`` beside the config holds block files Continue merges in."""
    models = os.path.join(folder, "models")
    try:
        if not os.path.isdir(models):
            return False
        with os.scandir(models) as entries:
            return any(suffix(e.name) in BLOCK_SUFFIXES and e.is_file() for e in entries)
    except OSError:
        return False


def _is_chat(item: Any, fmt: str) -> bool:
    if not isinstance(item, dict):
        return False
    if fmt == "json":
        return True
    if "uses" in item and "provider" not in item:
        return True  # a hub block: it may well be a chat model, so do not cry wolf
    roles = item.get("roles")
    return not isinstance(roles, list) or "chat" in roles


def chat_models(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """The config Continue loads must hold at least one chat model."""
    if ctx.path is None or not is_loaded_name(ctx.path) or not isinstance(doc.data, dict):
        return
    models = doc.data.get("models")
    if models is not None and not isinstance(models, list):
        return  # models-not-array / models-mapping say it better
    if models is None and doc.format == "json":
        return  # models-missing says it better
    folder = os.path.dirname(ctx.path)
    if doc.format == "yaml" and is_default_yaml(doc.data) and os.path.isfile(
        os.path.join(folder, JSON_NAME)
    ):
        return  # default-config says it better
    if any(_is_chat(item, doc.format) for item in models or []):
        return
    if doc.format == "yaml" and _block_models(folder):
        return
    yield issue(
        "no-chat-model",
        "/models" if models is not None else "",
        "Continue loads this config but finds no chat model in it: it has nothing to talk to",
    )


def nothing_to_talk_to(doc: Document, path: StrPath) -> list[Finding]:
    """Return the errors that leave Continue without a chat model when it loads ``doc``."""
    from continue_setup.check.rules.structure import shadowing

    ctx = RuleContext(path=path)
    found = [f for f in shadowing(doc, ctx) if f.severity == "error"]
    return found + list(chat_models(doc, ctx))


RULES = (chat_models,)
