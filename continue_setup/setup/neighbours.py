"""What ``init`` must say about the config it writes as Continue will see it, among its
neighbours: no chat model at all (refused), models in a config.json Continue will ignore."""

from __future__ import annotations

from pathlib import Path

from continue_setup.config import parsing
from continue_setup.errors import ConfigInvalidError, ConfigParseError


def hidden_json_models(path: Path) -> list[str]:
    """Say which models of a config.json beside config.yaml Continue ignores, if any."""
    try:
        data = parsing.load(path, "json").data
    except (ConfigParseError, OSError):
        return []
    models = data.get("models") if isinstance(data, dict) else None
    titles = [str(m.get("title")) for m in models or [] if isinstance(m, dict)]
    if not isinstance(models, list) or not titles:
        return []
    shown = ", ".join(titles[:3]) + (f" and {len(titles) - 3} more" if len(titles) > 3 else "")
    return [
        f"{path} holds {len(titles)} model(s) ({shown}) that Continue ignores while "
        "config.yaml exists; copy the ones you need into config.yaml, or carry them all over "
        "with 'continue-setup init --carry-over', then retire config.json with "
        "'continue-setup migrate --retire-json' (config.yaml is left as it is)"
    ]


def refuse_nothing_to_talk_to(doc: parsing.Document, target: Path) -> None:
    """Refuse a config that leaves Continue no chat model: validate, doctor and ping call it
    an error (no-chat-model), so init must not write one."""
    from continue_setup.check.rules.loaded import nothing_to_talk_to

    problems = nothing_to_talk_to(doc, target)
    if problems:
        raise ConfigInvalidError(
            f"the config that would be written has no chat model: {problems[0].message} "
            f"[{problems[0].code}]",
            path=str(target),
            pointer=problems[0].pointer,
            hint="Nothing was written. Include a chat entry (for example --entries "
            "gpt,claude,codestral), or add a chat model to the file first.",
        )
