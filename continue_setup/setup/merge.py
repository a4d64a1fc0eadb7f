"""Put our entries into the user's config: update ours in place, keep everything of theirs."""

from __future__ import annotations

from continue_setup.config.entries import split_langdock
from continue_setup.config.jsonc_edit import same
from continue_setup.config.keys import KEY_ENV
from continue_setup.errors import ConfigInvalidError
from continue_setup.records import NamedTuple
from continue_setup.setup.metadata import apply_fields
from continue_setup.setup.templates import Rendered

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any

    from continue_setup.setup.templates import Template

    # What claiming looks at in an entry: its kind in config.yaml, its title, its route.
    Facts = tuple[str | None, str | None, str | None]

NEW_YAML_HEADER = {"name": "Langdock", "version": "1.0.0", "schema": "v1"}


class Placed(NamedTuple):  # an immutable record: a frozen dataclass costs ~0.6 ms at import
    """Where a rendered entry ended up, and whether it was new."""

    rendered: Rendered
    pointer: str
    action: str  # "added", "updated" or "unchanged"


def _ours(entry: Any, rendered: Rendered, title_key: str, known_bases: tuple[str, ...]) -> int:
    """Score how surely ``entry`` is this template's (see ``_score``)."""
    return _score(_facts(entry, title_key, known_bases, "json"), rendered.template)


def _score(fact: Facts | None, template: Template) -> int:
    """2 when the entry's title is one this template renders, 1 when its apiBase is on the
    template's Langdock route, else 0."""
    if fact is None:
        return 0
    _, title, route = fact
    if title is not None and template.title_pattern().fullmatch(title):
        return 2
    return int(route == template.route)


def _facts(item: Any, title_key: str, known_bases: tuple[str, ...], fmt: str) -> Facts | None:
    """Return what claiming looks at in an entry (its kind in config.yaml, its title, its
    Langdock route), once per entry rather than once per entry and template; None for
    what is not an entry."""
    if not isinstance(item, dict):
        return None
    title = item.get(title_key)
    api_base = item.get("apiBase")
    split = split_langdock(api_base if isinstance(api_base, str) else None, known_bases)
    return (_kind(item.get("roles")) if fmt == "yaml" else None,
            title if isinstance(title, str) else None,
            split.route if split is not None else None)


def _claim(facts: list[Facts | None], rendered: Rendered, taken: set[int]) -> int | None:
    """Return the entry this template's is: the first by title, else the first on its
    Langdock route (``_score``), of the kind it plays; None if none is."""
    template = rendered.template
    best: tuple[int, int] | None = None
    for index, fact in enumerate(facts):
        if fact is None or index in taken or fact[0] not in (None, template.role):
            continue
        score = _score(fact, template)
        if score and (best is None or score > best[0]):
            best = (score, index)
    return None if best is None else best[1]


def _kind(roles: Any) -> str:
    """Say which template role a config.yaml entry with ``roles`` plays."""
    if isinstance(roles, list) and "autocomplete" in roles:
        return "autocomplete"
    if isinstance(roles, list) and roles and set(roles) <= {"embed", "rerank"}:
        return "embed"
    return "chat"


def _update(existing: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """Set our fields on an entry, keeping its other keys, their order and their options."""
    return apply_fields(existing, fields)


def _require_list(data: dict[str, Any], key: str, force: bool) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if isinstance(value, list):
        return list(value)
    if force:
        return []
    raise ConfigInvalidError(
        f"'{key}' is not a list, so continue-setup cannot add its entries to it",
        pointer=f"/{key}",
        hint=f"Make '{key}' a list ([...]) or run with --force to replace it (a backup is kept).",
    )


def merge(
    data: Any,
    fmt: str,
    rendered: list[Rendered],
    *,
    known_bases: tuple[str, ...],
    dotenv_reference: bool = False,
    force: bool = False,
) -> tuple[dict[str, Any], list[Placed]]:
    """Return ``data`` with the rendered entries in it, and where each one went.

    ``data`` itself is never changed: every mapping or list that gets an entry is a new one,
    and what merge leaves alone is shared with ``data`` (deep-copying a 1,000-entry config
    and comparing the copy cost more than the rest of a re-run's merge). So neither ``data``
    nor the result may be changed in place afterwards; ``plan_init`` only reads them.
    """
    if data is None:
        result: dict[str, Any] = dict(NEW_YAML_HEADER) if fmt == "yaml" else {}
    elif isinstance(data, dict):
        result = dict(data)
    elif force:
        result = dict(NEW_YAML_HEADER) if fmt == "yaml" else {}
    else:
        raise ConfigInvalidError(
            "the config is not an object/mapping at the top, so it is not a Continue config",
            pointer="",
            hint="Run with --force to replace it; the original is kept as a backup.",
        )
    if fmt == "yaml":
        for key, value in NEW_YAML_HEADER.items():
            result.setdefault(key, value)
    title_key = "name" if fmt == "yaml" else "title"
    models = _require_list(result, "models", force)
    placed: list[Placed] = []
    taken: set[int] = set()
    chat = [r for r in rendered if fmt == "yaml" or r.template.role == "chat"]
    facts = [_facts(entry, title_key, known_bases, fmt) for entry in models] if chat else []
    for item in chat:
        index = _claim(facts, item, taken)
        if index is None:
            models.append(dict(item.entry))
            index = len(models) - 1
            action = "added"
        else:
            updated = _update(models[index], item.entry)
            action = "unchanged" if same(updated, models[index]) else "updated"
            models[index] = updated
        taken.add(index)
        placed.append(Placed(item, f"/models/{index}", action))
    result["models"] = models
    if fmt == "json":
        _merge_autocomplete(
            result, [r for r in rendered if r.template.role == "autocomplete"], known_bases, placed
        )
        for item in (r for r in rendered if r.template.role == "embed"):
            placed.append(_merge_embeddings(result, item, known_bases))
        if dotenv_reference:
            env = _require_list(result, "env", force)
            if KEY_ENV not in env:
                env.append(KEY_ENV)
            result["env"] = env
    return result, placed


def _merge_embeddings(result: dict[str, Any], item: Rendered, known_bases: tuple[str, ...]
                      ) -> Placed:
    """Put the embeddings entry into config.json's single ``embeddingsProvider``."""
    current = result.get("embeddingsProvider")
    if current is None:
        result["embeddingsProvider"] = dict(item.entry)
        return Placed(item, "/embeddingsProvider", "added")
    if not _ours(current, item, "title", known_bases):
        raise ConfigInvalidError(
            "config.json already has an embeddingsProvider of your own, and Continue takes "
            "only one",
            pointer="/embeddingsProvider",
            hint="Leave 'embed' out of --entries, or remove your embeddingsProvider first.",
        )
    updated = _update(current, item.entry)
    action = "unchanged" if same(updated, current) else "updated"
    result["embeddingsProvider"] = updated
    return Placed(item, "/embeddingsProvider", action)


def _merge_autocomplete(
    result: dict[str, Any],
    rendered: list[Rendered],
    known_bases: tuple[str, ...],
    placed: list[Placed],
) -> None:
    if not rendered:
        return
    current = result.get("tabAutocompleteModel")
    was_list = isinstance(current, list)
    items: list[Any] = (
        list(current) if isinstance(current, list) else ([] if current is None else [current])
    )
    done: list[tuple[Rendered, dict[str, Any], str]] = []
    for item in rendered:
        claimed = {id(entry) for _, entry, _ in done}
        taken = {i for i, entry in enumerate(items) if id(entry) in claimed}
        facts = [_facts(entry, "title", known_bases, "json") for entry in items]
        index = _claim(facts, item, taken)
        if index is None:
            # Ours goes first, so Continue uses it; the user's own autocomplete model stays.
            entry, action = dict(item.entry), "added"
            items.insert(0, entry)
        else:
            entry = _update(items[index], item.entry)
            action = "unchanged" if same(entry, items[index]) else "updated"
            items[index] = entry
        done.append((item, entry, action))
    single = len(items) == 1 and not was_list
    result["tabAutocompleteModel"] = items[0] if single else items
    for item, entry, action in done:
        index = next(i for i, e in enumerate(items) if e is entry)
        pointer = "/tabAutocompleteModel" if single else f"/tabAutocompleteModel/{index}"
        placed.append(Placed(item, pointer, action))
