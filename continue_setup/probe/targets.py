"""Which entries to probe, and with the key Continue would really send for each."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from continue_setup.config import parsing
from continue_setup.config.entries import (
    SECRET_REFERENCE,
    Entry,
    env_names,
    model_entries,
    sends_own_auth,
)
from continue_setup.config.keys import ResolvedKey, lookup_tables, resolve_key, substitute
from continue_setup.config.paths import ConfigDir, continue_dir_for
from continue_setup.errors import InputError
from continue_setup.probe.bodies import is_cn_responses_model, is_reasoning_model
from continue_setup.probe.clientsecrets import ClientSecrets

if TYPE_CHECKING:
    from continue_setup.setup.plan import InitPlan

PROVIDERS = ("openai", "anthropic", "mistral")
_CHAT_ROLES = frozenset({"chat", "edit", "apply", "summarize"})


@dataclass(frozen=True)
class Target:
    """One entry to probe: what Continue reads from it, with the key it would really send."""

    title: str
    provider: str
    model: str
    api_base: str
    api_key: str | None
    role: str  # "chat" or "autocomplete"
    request_options: dict[str, Any] = field(default_factory=dict)
    use_responses_api: bool = True
    key_problem: str = ""
    pointer: str = ""
    client: str = ""  # "ide" or "cn" when the two clients send this entry apart, else ""
    unresolved: str = ""  # why the key would go out as a literal ${{ ... }} or env name


@dataclass(frozen=True)
class Skipped:
    """An entry ping does not probe, and why."""

    title: str
    provider: str
    model: str
    reason: str


def targets_from_entries(entries: Iterable[Entry], *, env_list: list[str],
                         dotenv: Mapping[str, str], environ: Mapping[str, str],
                         key: str | None = None, secrets: ClientSecrets | None = None
                         ) -> tuple[list[Target], list[Skipped]]:
    """Turn config entries into targets (with the key each sends) and the ones left out.

    With ``secrets``, a config.yaml entry is resolved as each client resolves it, and
    becomes two targets (one per client) when the clients would send it differently: another
    key, or another endpoint.
    """
    targets: list[Target] = []
    skipped: list[Skipped] = []
    for entry in entries:
        provider, model = entry.provider or "", entry.model or ""
        reason = ""
        if provider not in PROVIDERS:
            reason = f"provider '{provider}' is not probed (only {', '.join(PROVIDERS)})"
        elif not model:
            reason = "no model id"
        elif not entry.api_base:
            reason = "no apiBase: Continue would call the provider's own API, not Langdock"
        elif not (entry.autocomplete or _CHAT_ROLES & set(entry.roles)):
            reason = f"roles {', '.join(entry.roles) or 'none'}: only chat and autocomplete " \
                     "entries are probed"
        if reason:
            skipped.append(Skipped(entry.label, provider, model, reason))
            continue
        if secrets is None or entry.format != "yaml" or entry.autocomplete or key is not None:
            # config.json is read by the IDE only ({...process.env, ...<global>/.env}); cn
            # has no autocomplete
            if secrets is not None and entry.format == "yaml":
                dotenv, environ = secrets.table("ide"), {}
            one = _target(entry, "", key=key, env_list=env_list, dotenv=dotenv,
                          environ=environ, looked=secrets.looked("ide") if secrets else "")
            targets += _per_endpoint(one) if key is not None else [one]
            continue
        ide, cn = (_target(entry, c, key=None, env_list=env_list, dotenv=secrets.table(c),
                           environ={}, looked=secrets.looked(c)) for c in ("ide", "cn"))
        # cn always sends anthropic-beta with cache_control on Claude, the IDE only with
        # caching configured: a gateway may accept one and refuse the other.
        same = provider != "anthropic" and (
            ide.api_key, ide.unresolved, ide.model, ide.api_base, ide.request_options) == (
            cn.api_key, cn.unresolved, cn.model, cn.api_base, cn.request_options)
        targets += _per_endpoint(replace(ide, client="")) if same else [ide, cn]
    return targets, skipped


def _per_endpoint(target: Target) -> list[Target]:
    """Split a target for both clients when they call different endpoints for it."""
    if target.provider != "openai" or target.role != "chat":
        return [target]
    ide = target.use_responses_api and is_reasoning_model(target.model)
    if ide == is_cn_responses_model(target.model):
        return [target]
    return [replace(target, client="ide"), replace(target, client="cn")]


def _target(entry: Entry, client: str, *, key: str | None, env_list: list[str],
            dotenv: Mapping[str, str], environ: Mapping[str, str], looked: str) -> Target:
    """Build the target one client makes of ``entry``."""
    resolved = ResolvedKey(key, "given") if key is not None else resolve_key(
        entry, env_list=env_list, dotenv=dotenv, environ=environ)
    sent = partial(substitute, fmt=entry.format, env_list=env_list, dotenv=dotenv,
                   environ=environ)  # what Continue sends for a text of this entry
    problem = unresolved = ""
    who = {"ide": "the IDE extension", "cn": "cn"}.get(client, "Continue")
    if resolved.reference and not resolved.value:
        if resolved.source == "env":
            unresolved = (f"the apiKey names {resolved.reference} from the 'env' list, which "
                          "is set neither in Continue's global .env nor in the "
                          "environment: Continue would send the name itself as the key")
        else:
            unresolved = (f"the apiKey refers to secrets.{resolved.reference}, which is set "
                          f"nowhere {who} looks ({looked or 'its .env, then the environment'}):"
                          " it would send the literal ${{ secrets."
                          f"{resolved.reference} }}}} as the key")
    elif resolved.value and "${{" in resolved.value:
        unresolved = (f"the apiKey would be sent as literal text containing '${{{{': a secret "
                      f"it names is set nowhere {who} looks")
    elif not resolved.value and not sends_own_auth(entry.request_options):
        problem = "the entry has no apiKey"
    return Target(
        entry.label, entry.provider or "", sent(entry.model or ""), sent(entry.api_base or ""),
        resolved.value, "autocomplete" if entry.autocomplete else "chat",
        _substituted(entry.request_options, sent),
        entry.raw.get("useResponsesApi") is not False, problem, entry.pointer, client,
        unresolved)


def _substituted(options: Mapping[str, Any], sent: Callable[[str], str]) -> dict[str, Any]:
    """Return requestOptions with references resolved in its texts, one level down (headers,
    proxy, caBundlePath, clientCertificate: the shapes Continue's options take)."""
    result: dict[str, Any] = {}
    for name, value in options.items():
        if isinstance(value, str):
            value = sent(value)
        elif isinstance(value, dict):
            value = {k: sent(v) if isinstance(v, str) else v for k, v in value.items()}
        elif isinstance(value, list):
            value = [sent(v) if isinstance(v, str) else v for v in value]
        result[name] = value
    return result


def targets_from_config(config_dir: ConfigDir, path: Path | None, environ: Mapping[str, str],
                        *, workspace: Path | None = None
                        ) -> tuple[Path, list[Target], list[Skipped], list[str]]:
    """Read the config Continue loads (or ``path``) and return what to probe in it, with
    notes on secrets: a ``.env`` Continue would not read, and names the clients resolve apart.
    """
    chosen = path or config_dir.loaded_path()
    if chosen is None:
        raise InputError(f"no Continue config in {config_dir.path}",
                         path=str(config_dir.path),
                         hint="Run 'continue-setup init' first, or give the config's path.")
    doc = parsing.load(chosen)
    real, _ = continue_dir_for(environ)
    secrets = ClientSecrets.read(Path(real), workspace, environ)
    notes = []
    beside = chosen.absolute().parent / ".env"
    if beside.exists() and str(beside) not in secrets.files:
        notes.append(f"{beside} is not used: Continue reads secrets only from {real}/.env and "
                     "the workspace's .continue/.env and .env")
    # config.json's env list: {...process.env, ...<global dir>/.env}, no workspace files
    dotenv, env = lookup_tables(Path(real), environ)
    targets, skipped = targets_from_entries(model_entries(doc), env_list=env_names(doc),
                                            dotenv=dotenv, environ=env, secrets=secrets)
    if not targets:
        reasons = "; ".join(f"{s.title}: {s.reason}" for s in skipped)
        raise InputError(f"{chosen}: no model entry to probe",
                         path=str(chosen), hint=reasons or "The config has no models.")
    if doc.format == "yaml":
        notes += disagreements(doc, secrets)
    return chosen, targets, skipped, notes


def disagreements(doc: parsing.Document, secrets: ClientSecrets) -> list[str]:
    """Return a note for each secret the config names that the two clients resolve apart."""
    names = dict.fromkeys(SECRET_REFERENCE.findall(doc.text or ""))
    return [note for n in names if (note := secrets.disagreement(n))]


def targets_from_plan(plan: InitPlan, key: str) -> list[Target]:
    """Return the entries ``init`` is about to write, read back from the very text it writes."""
    doc = parsing.parse_text(plan.config.new, plan.format, plan.config.path)  # type: ignore[arg-type]
    ours = {p.pointer for p in plan.placed}
    entries = [e for e in model_entries(doc) if e.pointer in ours]
    targets, _ = targets_from_entries(entries, env_list=[], dotenv={}, environ={}, key=key)
    return targets
