"""Which entries to probe, and with the key Continue would really send for each."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from continue_setup.config import parsing
from continue_setup.config.entries import Entry, env_names, model_entries, sends_own_auth
from continue_setup.config.keys import ResolvedKey, lookup_tables, resolve_key, substitute
from continue_setup.config.paths import ConfigDir
from continue_setup.errors import InputError

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


@dataclass(frozen=True)
class Skipped:
    """An entry ping does not probe, and why."""

    title: str
    provider: str
    model: str
    reason: str


def targets_from_entries(entries: Iterable[Entry], *, env_list: list[str],
                         dotenv: Mapping[str, str], environ: Mapping[str, str],
                         key: str | None = None) -> tuple[list[Target], list[Skipped]]:
    """Turn config entries into targets (with the key each sends) and the ones left out."""
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
        resolved = ResolvedKey(key, "given") if key is not None else resolve_key(
            entry, env_list=env_list, dotenv=dotenv, environ=environ)

        sent = partial(substitute, fmt=entry.format, env_list=env_list, dotenv=dotenv,
                       environ=environ)  # what Continue sends for a text of this entry
        problem = ""
        if not resolved.value and not sends_own_auth(entry.request_options):
            problem = (f"the apiKey refers to {resolved.reference}, which is set neither in "
                       "the .env of Continue's directory nor in the environment"
                       if resolved.reference else "the entry has no apiKey")
        targets.append(Target(
            entry.label, provider, sent(model), sent(entry.api_base or ""), resolved.value,
            "autocomplete" if entry.autocomplete else "chat",
            _substituted(entry.request_options, sent),
            entry.raw.get("useResponsesApi") is not False, problem, entry.pointer))
    return targets, skipped


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


def targets_from_config(config_dir: ConfigDir, path: Path | None, environ: Mapping[str, str]
                        ) -> tuple[Path, list[Target], list[Skipped]]:
    """Read the config Continue loads (or ``path``) and return what to probe in it."""
    chosen = path or config_dir.loaded_path()
    if chosen is None:
        raise InputError(f"no Continue config in {config_dir.path}",
                         path=str(config_dir.path),
                         hint="Run 'continue-setup init' first, or give the config's path.")
    doc = parsing.load(chosen)
    # Continue reads secrets and env names from the .env of its own directory.
    dotenv, env = lookup_tables(config_dir.path, environ)
    targets, skipped = targets_from_entries(model_entries(doc), env_list=env_names(doc),
                                            dotenv=dotenv, environ=env)
    if not targets:
        reasons = "; ".join(f"{s.title}: {s.reason}" for s in skipped)
        raise InputError(f"{chosen}: no model entry to probe",
                         path=str(chosen), hint=reasons or "The config has no models.")
    return chosen, targets, skipped


def targets_from_plan(plan: InitPlan, key: str) -> list[Target]:
    """Return the entries ``init`` is about to write, read back from the very text it writes."""
    doc = parsing.parse_text(plan.config.new, plan.format, plan.config.path)  # type: ignore[arg-type]
    ours = {p.pointer for p in plan.placed}
    entries = [e for e in model_entries(doc) if e.pointer in ours]
    targets, _ = targets_from_entries(entries, env_list=[], dotenv={}, environ={}, key=key)
    return targets
