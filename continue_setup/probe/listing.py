"""``models`` as data: where to list (as ``ping`` reads it), and what each listed id means.

The base URL, region and key come from the options, else from the config Continue loads
(its first Langdock OpenAI or Anthropic entry, the key resolved as ``ping`` resolves it),
else from the organisation settings. Each listed id is shown with its route, whether the
config uses it, and what Continue knows of it without metadata.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from continue_setup.check.catalogue import continue_view
from continue_setup.config import parsing
from continue_setup.config.entries import env_names, model_entries, split_langdock
from continue_setup.config.keys import lookup_tables
from continue_setup.config.paths import ConfigDir
from continue_setup.errors import SetupError
from continue_setup.probe.modellists import ROUTES, ModelList
from continue_setup.probe.targets import targets_from_entries

_SHAPED = re.compile(r"^(?P<base>https?://.+?)/(?:openai|anthropic)/(?P<region>[a-z]+)/v1/?$")


@dataclass(frozen=True)
class Where:
    """What ``models`` lists against, and the ids the config already uses."""

    base_url: str | None = None
    region: str | None = None
    key: str | None = None
    configured: frozenset[str] = frozenset()
    config: Path | None = None


def from_config(config_dir: ConfigDir, environ: Mapping[str, str]) -> Where:
    """Read base URL, region, key and configured ids from the config Continue loads."""
    path = config_dir.loaded_path()
    if path is None:
        return Where()
    try:
        doc = parsing.load(path)
    except SetupError:  # a broken config just gives nothing here; validate says why
        return Where(config=path)
    entries = model_entries(doc)
    configured = frozenset(e.model for e in entries if e.model)
    dotenv, env = lookup_tables(config_dir.path, environ)
    targets, _ = targets_from_entries(entries, env_list=env_names(doc), dotenv=dotenv,
                                      environ=env)
    for target in targets:
        split = split_langdock(target.api_base)
        if split is not None and split.route in ROUTES and split.region:
            return Where(split.base, split.region, target.api_key, configured, path)
        # A Langdock-shaped apiBase elsewhere (a proxy, the fake gateway): the same layout.
        shaped = _SHAPED.match(target.api_base)
        if shaped is not None:
            return Where(shaped["base"], shaped["region"], target.api_key, configured, path)
    return Where(configured=configured, config=path)


def pick(option: str | None, *fallbacks: str | None, default: str | None = None) -> str | None:
    """Return the first value given: the option, then each fallback, then ``default``."""
    return next((v for v in (option, *fallbacks) if v), default)


def describe(lists: list[ModelList], configured: frozenset[str]) -> list[dict[str, Any]]:
    """Return, per listed id, its route, whether it is configured, what Continue knows."""
    rows: list[dict[str, Any]] = []
    for listing in lists:
        for model in listing.models:
            seen = continue_view(model, listing.route)
            rows.append({"id": model, "route": listing.route, "configured": model in configured,
                         "continue": {"tools": seen.tools, "images": seen.images,
                                      "contextLength": seen.context_length,
                                      "known": seen.known}})
    return rows

