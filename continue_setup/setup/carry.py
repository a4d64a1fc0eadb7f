"""The user's own models of a config.json that Continue ignores beside config.yaml, converted
for config.yaml as ``migrate`` converts them, so ``init`` can carry them over."""

from __future__ import annotations

from pathlib import Path

from continue_setup.config import parsing, redact
from continue_setup.config.keys import KEY_ENV, parse_dotenv
from continue_setup.config.paths import ConfigDir
from continue_setup.errors import ConfigParseError, InputError
from continue_setup.setup.asuser import Owner
from continue_setup.setup.neighbours import hidden_json_models
from continue_setup.setup.templates import Template
from continue_setup.setup.writer import same_as_read

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any


class Carry:
    """What a config.json offers config.yaml: models to append, their secrets, what not."""

    def __init__(self) -> None:
        self.models: list[dict[str, Any]] = []  # converted, ready to append
        self.secrets: dict[str, str] = {}  # .env names -> values
        self.present: list[str] = []  # names config.yaml already has
        self.left_out: list[str] = []  # "name (why)"
        self.notes: list[str] = []  # convert's, about the models carried
        self.source_text: str | None = None  # config.json as read: what models come from

    @property
    def names(self) -> list[str]:
        """Return the names of the models that would be carried over."""
        return [str(m["name"]) for m in self.models]


def _theirs(data: dict[str, Any], templates: Mapping[str, Template]
            ) -> list[tuple[str, str, dict[str, Any]]]:
    """Return (list key, pointer, model) for each model of config.json init did not write."""
    from continue_setup.setup.remove import is_ours  # only beside a config.json (lazy: ~1 ms)

    found: list[tuple[str, str, dict[str, Any]]] = []
    models = data.get("models")
    for index, raw in enumerate(models if isinstance(models, list) else []):
        if isinstance(raw, dict) and not is_ours(raw, "json", templates):
            found.append(("models", f"/models/{index}", raw))
    tab = data.get("tabAutocompleteModel")
    items = tab if isinstance(tab, list) else [tab] if isinstance(tab, dict) else []
    for index, raw in enumerate(items):
        pointer = f"/tabAutocompleteModel/{index}" if isinstance(tab, list) else (
            "/tabAutocompleteModel")
        if isinstance(raw, dict) and not is_ours(raw, "json", templates):
            found.append(("tabAutocompleteModel", pointer, raw))
    return found


def read_json(path: Path) -> parsing.Document | None:
    """Return config.json, or None when it is missing, unreadable or not an object (init says
    so elsewhere; carrying over is then simply not offered)."""
    if not path.is_file():
        return None
    try:
        doc = parsing.load(path, "json")
    except (ConfigParseError, InputError, OSError):
        return None
    return doc if isinstance(doc.data, dict) else None


def plan_carry(data: dict[str, Any], yaml_models: Any, templates: Mapping[str, Template], *,
               key_storage: str, existing_env: dict[str, str]) -> Carry:
    """Convert the user's models of config.json ``data`` one by one, as ``migrate`` does.

    A model whose conversion drops a field is left out (carrying it would silently change
    what it does); a model whose name config.yaml already has is skipped, since Continue
    drops a repeated name. Every key met is registered for redaction.
    """
    from continue_setup.config.convert import convert  # only beside a config.json (~1 ms)

    taken = {str(m.get("name")) for m in yaml_models or [] if isinstance(m, dict)}
    carry = Carry()
    env = data.get("env")
    experimental = data.get("experimental")
    roles = experimental.get("modelRoles") if isinstance(experimental, dict) else None
    for key, pointer, raw in _theirs(data, templates):
        key_value = raw.get("apiKey")
        if isinstance(key_value, str) and not (isinstance(env, list) and key_value in env):
            redact.register(key_value)  # an env name is a reference, not a secret to mask
        source: dict[str, Any] = {key: [raw] if key == "models" else raw}
        if isinstance(env, list):
            source["env"] = env
        if isinstance(roles, dict):
            source["experimental"] = {"modelRoles": roles}
        conversion = convert(source, key_storage=key_storage,
                             existing_env={**existing_env, **carry.secrets})
        redact.register_all(conversion.secrets.values())
        model = conversion.data["models"][0]
        name = str(model["name"])
        prefix = "/models/0" if key == "models" else "/tabAutocompleteModel"
        inside = [d for d in conversion.dropped if d.pointer.startswith(prefix)]
        if inside:
            why = "; ".join(f"{pointer}{d.pointer[len(prefix):]}: {d.reason}" for d in inside)
            carry.left_out.append(f"{name} ({why})")
        elif name in taken:
            carry.present.append(name)
        else:
            taken.add(name)
            carry.models.append(model)
            carry.secrets.update(conversion.secrets)
            carry.notes += [pointer + w[len(prefix):] if w.startswith(prefix) else w
                            for w in conversion.warnings]
    return carry


def json_notes(config_dir: ConfigDir, carry: Carry, *, carried: bool) -> list[str]:
    """Say what init writing config.yaml means for the config.json beside it: what was
    carried over (names only) and what was left out and why, or which models stay hidden."""
    json_path = config_dir.json_path
    if carried:
        notes = [f"not carried over from {json_path}: {item}; copy it into config.yaml by "
                 "hand" for item in carry.left_out]
        if carry.models:
            notes.insert(0, f"carried over {len(carry.models)} model(s) from {json_path} into "
                         f"config.yaml: {', '.join(carry.names)}; {json_path.name} is left "
                         "untouched and Continue ignores it (to retire it, see "
                         "'continue-setup migrate --retire-json')")
        return notes + [f"{json_path.name} {note}" for note in carry.notes]
    offer = " (or run init with --carry-over)" if carry.models else ""
    if json_path.exists() and not config_dir.yaml_path.exists():
        return [f"{json_path} will be ignored by Continue from now on, because config.yaml "
                f"wins; 'continue-setup migrate' moves its models over{offer}"]
    if json_path.is_file():
        return hidden_json_models(json_path)  # names init --carry-over itself
    return []


def carry_for_init(config_dir: ConfigDir, data: dict[str, Any],
                   templates: Mapping[str, Template], *, fmt: str, storage: str,
                   api_key: str) -> Carry:
    """Work out what config.json beside a config.yaml being written offers it (nothing when
    init writes config.json, or there is no readable config.json)."""
    source = read_json(config_dir.json_path) if fmt == "yaml" else None
    if source is None:
        return Carry()
    env: dict[str, str] = {}
    if storage == "dotenv":
        path = config_dir.dotenv_path
        env = parse_dotenv(parsing.read_text(path)) if path.exists() else {}
        env[KEY_ENV] = api_key  # init's own key takes LANGDOCK_API_KEY; another gets _2
    carry = plan_carry(source.data, data.get("models"), templates, key_storage=storage,
                       existing_env=env)
    carry.source_text = source.text
    return carry


def same_as_carried(config_dir: ConfigDir, text: str | None, owner: Owner | None) -> None:
    """Refuse to carry models over from a config.json the user cannot read as themself: root
    planned it, and would otherwise copy (or preview) root's file into theirs."""
    if text is not None and owner is not None:
        same_as_read(config_dir.json_path, text, owner)
