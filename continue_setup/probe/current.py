"""Which model each chat entry gets: the newest catalogue model the workspace lists.

``init`` reads the workspace's model lists (the OpenAI and Anthropic routes) when it may
use the network, and proposes, per chat entry, the catalogue models of the entry's family
that the workspace lists, in the catalogue's order of preference. A model pinned by
``--model`` or the organisation settings is left alone: the probe refuses it if the
workspace lacks it, with the closest listed ids.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from continue_setup.check.catalogue import load_catalogue
from continue_setup.probe.modellists import ModelList
from continue_setup.setup.settings import Settings
from continue_setup.setup.templates import Template


@dataclass(frozen=True)
class Choice:
    """The models one entry may use, the preferred first (what ``--yes`` takes)."""

    entry: str
    route: str
    options: tuple[str, ...]
    template_default: str

    @property
    def preferred(self) -> str:
        return self.options[0]


def plan_choices(settings: Settings, templates: Mapping[str, Template],
                 lists: list[ModelList]) -> tuple[list[Choice], list[str]]:
    """Return the choice to make for each chat entry left unpinned, and notes to show."""
    catalogue = load_catalogue()
    by_route = {item.route: item for item in lists}
    choices: list[Choice] = []
    notes: list[str] = []
    for name in settings.entries:
        template = templates[name]
        listing = by_route.get(template.route)
        if template.role != "chat" or name in settings.models or listing is None:
            continue
        if not listing.ok:
            notes.append(f"{name}: the workspace's model list is unavailable "
                         f"({listing.category}), so {template.model}, the template's default, "
                         "is used")
            continue
        known = catalogue.get(template.model)
        family = known.family if known else None
        listed = set(listing.models)
        options = [m.id for m in catalogue.family(family or "") if m.chat and m.id in listed]
        if not options:
            notes.append(f"{name}: the workspace lists none of the catalogue's models for "
                         f"this entry, so {template.model}, the template's default, is used")
            continue
        choices.append(Choice(name, template.route, tuple(options), template.model))
    return choices, notes


def chosen_models(choices: list[Choice], picked: Mapping[str, str]) -> tuple[dict[str, str],
                                                                              list[str]]:
    """Return ``--model``-style overrides for the choices, and a note for each change."""
    models: dict[str, str] = {}
    notes: list[str] = []
    for choice in choices:
        model = picked.get(choice.entry, choice.preferred)
        if model != choice.template_default:
            models[choice.entry] = model
            why = ("the newest catalogue model the workspace lists"
                   if model == choice.preferred else "chosen from the workspace's list")
            notes.append(f"{choice.entry}: {model}, {why} (template default: "
                         f"{choice.template_default})")
    return models, notes
