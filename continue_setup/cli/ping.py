"""``ping`` and ``models``: options become plain data, one core call, one report."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from continue_setup.cli.app import cli, output_options
from continue_setup.cli.inputs import config_dir_options
from continue_setup.cli.options import shared
from continue_setup.errors import ExitCode, InputError, ProbeFailedError, SetupError

if TYPE_CHECKING:
    from continue_setup.check.findings import Finding
    from continue_setup.probe.probes import Options, PingReport
    from continue_setup.report import Output
    from continue_setup.setup.plan import InitPlan
    from continue_setup.setup.settings import Settings

# init writes despite these verdicts: the key works (rate_limited), or only autocomplete is
# missing because Langdock serves no Mistral models today (model_unavailable on FIM).
_WRITE_ANYWAY = {("chat", "rate_limited"), ("autocomplete", "rate_limited"),
                 ("autocomplete", "model_unavailable")}


def timeout_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add --timeout (seconds per probe, every phase together)."""
    return shared("--timeout")(func)


def retries_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add --retries (429 and 5xx, with backoff and Retry-After; off by default)."""
    return click.option("--retries", type=click.IntRange(0, 10), default=0, show_default=True,
                        help="Retry 429 and 5xx answers this often (backoff, honours "
                        "Retry-After).")(func)


def probe_options(timeout: float, stream: bool = True, retries: int = 0, jitter: float = 0.0,
                  environ: Mapping[str, str] | None = None, tools: bool = False) -> Options:
    """Turn the probing options into the core's plain settings."""
    from continue_setup.probe.probes import Options

    return Options(timeout=timeout, stream=stream, retries=retries, jitter=jitter,
                   tools=tools, environ=dict(os.environ if environ is None else environ))


def stream_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add --stream/--no-stream (on by default, as Continue streams) and --tools."""
    func = shared("--tools")(func)
    return click.option("--stream/--no-stream", default=True, show_default=True,
                        help="Stream as both Continue clients do and require a complete, "
                        "well-formed event stream; --no-stream asks for plain JSON. --stream "
                        "is the default and kept as a no-op alias.")(func)


@cli.command()
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@config_dir_options
@timeout_option
@stream_options
@retries_option
@click.option("--jitter", type=click.FloatRange(0, 3600), default=0.0, metavar="SECONDS",
              help="Wait a random time up to SECONDS first (spreads a fleet's probes).")
@output_options
def ping(out: Output, path: Path | None, config_dir: Path | None, home: Path | None,
         timeout: float, stream: bool, tools: bool, retries: int, jitter: float) -> int:
    """Call every model entry the way Continue will; show status, latency and a verdict.

    The config is PATH, else the one Continue loads from its directory (PATH's directory
    when given). Secrets resolve as Continue resolves them: from that directory's .env, the
    current directory's .continue/.env and .env, and the environment.
    """
    from continue_setup.config.paths import resolve_config_dir
    from continue_setup.probe.probes import ping as run_ping
    from continue_setup.probe.targets import targets_from_config
    from continue_setup.report.ping import render_ping, render_ping_start, render_problems
    from continue_setup.report.progress import live_progress

    where = resolve_config_dir(config_dir or (path.absolute().parent if path and not home
                                              else None), home=home, env=os.environ)
    options = probe_options(timeout, stream, retries, jitter, tools=tools)
    problems = _nothing_to_talk_to(path or where.loaded_path())
    try:
        config, targets, skipped, notes = targets_from_config(where, path, options.environ,
                                                              workspace=Path.cwd())
    except InputError:
        if not problems:
            raise
        render_problems(out, problems, config=path or where.loaded_path())
        return ExitCode.INVALID
    render_ping_start(out, len(targets), config=config, problems=problems)
    report = run_ping(targets, options, skipped, notes, listener=live_progress(out))
    render_ping(out, report, config=config, problems=problems, started=True)
    if problems:
        return ExitCode.INVALID  # the same error validate and doctor report
    return ExitCode.OK if report.ok else ExitCode.PROBE


def _nothing_to_talk_to(path: Path | None) -> list[Finding]:
    """Return validate's and doctor's errors for a config that leaves Continue no chat model."""
    from continue_setup.check.rules.loaded import nothing_to_talk_to
    from continue_setup.config import parsing

    if path is None:
        return []
    try:
        return nothing_to_talk_to(parsing.load(path), path.absolute())
    except SetupError:
        return []  # unreadable or unparseable: targets_from_config says so


@cli.command()
@shared("--region")
@shared("--base-url")
@config_dir_options
@shared("--org-settings")
@shared("--api-key-stdin")
@shared("--api-key-file")
@timeout_option
@retries_option
@output_options
def models(out: Output, region: str | None, base_url: str | None, config_dir: Path | None,
           home: Path | None, org_settings: Path | None, api_key_stdin: bool,
           api_key_file: Path | None, timeout: float, retries: int) -> int:
    """List the model ids your key can use, and what Continue knows about each.

    The config in Continue's directory gives the base URL, region and key when the options
    do not.
    """
    from continue_setup.cli.inputs import (
        MAX_KEY_INPUT,
        InitOptions,
        Prompter,
        at_terminal,
        read_secret,
    )
    from continue_setup.config.keys import check_key, read_key
    from continue_setup.config.paths import resolve_config_dir
    from continue_setup.probe.listing import describe, from_config, pick
    from continue_setup.probe.modellists import list_models
    from continue_setup.report.ping import render_models
    from continue_setup.setup.settings import PUBLIC_BASE, check_region, normalize_base_url

    where = from_config(resolve_config_dir(config_dir, home=home, env=os.environ), os.environ)
    org_base = org_region = None
    if org_settings is not None:
        from continue_setup.setup.orgsettings import load_org_settings

        org = load_org_settings(org_settings)
        org_base, org_region = org.base_url, org.region
    base, _ = normalize_base_url(pick(base_url, where.base_url, org_base, default=PUBLIC_BASE))
    region = check_region(pick(region, where.region, org_region, default="eu") or "eu")
    opts = InitOptions(api_key_stdin=api_key_stdin, api_key_file=api_key_file)
    stdin_text = sys.stdin.read(MAX_KEY_INPUT) if api_key_stdin else None
    key = read_key(env=os.environ, stdin_text=stdin_text, file=api_key_file)
    if key is None and where.key:
        key = check_key(where.key, f"the config ({where.config})")
    if key is None:
        interactive = not out.json_mode and at_terminal(sys.stdin)
        key = read_secret(opts, env=os.environ, stdin=sys.stdin, interactive=interactive,
                          prompter=Prompter())
    lists = list_models(base_url=base, region=region, api_key=key.reveal(), timeout=timeout,
                        retries=retries, environ=dict(os.environ))
    render_models(out, lists, region=region, base_url=base,
                  rows=describe(lists, where.configured))
    return ExitCode.OK if all(m.ok for m in lists) else ExitCode.PROBE


def probe_before_writing(out: Output, plan: InitPlan, settings: Settings, *,
                         timeout: float = 15.0,
                         write_anyway: bool = False) -> tuple[list[str], list[str]]:
    """Probe the entries ``init``'s ``plan`` is about to write; refuse (exit 3) or warn.

    auth, not_found and every other failure of a chat entry stop init unless
    --write-even-if-probe-fails (``write_anyway``; --force alone never does): a
    config that cannot reach Langdock helps nobody. rate_limited proves the key works, and
    Codestral's model_unavailable is today's normal, so both only warn. When nothing
    would change, nothing is probed. Returns the warnings, and the titles of the
    autocomplete entries whose model the workspace does not serve.
    """
    from continue_setup.probe.probes import ping as run_ping
    from continue_setup.probe.targets import targets_from_plan
    from continue_setup.report.layout import width_of
    from continue_setup.report.ping import table_lines

    if not plan.changed:
        return [], []  # nothing will be written: spare the shared rate limit (fleets re-run)
    from continue_setup.report.progress import live_progress

    report = run_ping(targets_from_plan(plan, settings.api_key.reveal()),
                      probe_options(timeout), listener=live_progress(out))
    if not out.json_mode:
        for line in table_lines(out, report.results, width_of(out.stderr)):
            out.note(line)
    return (judge_for_init(report, write_anyway=write_anyway),
            [r.title for r in report.unavailable])


class KeyRefusedError(ProbeFailedError):
    """Langdock answered 401 to every failing entry: the key itself is wrong."""


def judge_for_init(report: PingReport, *, write_anyway: bool) -> list[str]:
    """Return init's warnings from a probe report, or raise ProbeFailedError (exit 3);
    KeyRefusedError when the key alone is to blame (a person may type it again)."""
    warnings: list[str] = []
    blocking = []
    for r in report.results:
        if r.ok:
            continue
        text = f"{r.title}: {r.category}" + (f" ({r.message})" if r.message else "")
        if (r.role, r.category) in _WRITE_ANYWAY or write_anyway:
            warnings.append(f"{text}; {r.hint}" if r.hint else text)
        else:
            blocking.append((r, text))
    if blocking:
        first, text = blocking[0]
        more = f" (and {len(blocking) - 1} more)" if len(blocking) > 1 else ""
        refused = all(r.category == "auth" and r.status == 401 for r, _ in blocking)
        raise (KeyRefusedError if refused else ProbeFailedError)(
            f"nothing written: the smoke test failed for {text}{more}",
            hint=(first.hint + " " if first.hint else "") + "Use --write-even-if-probe-fails to "
            "write anyway, or --no-ping to skip the smoke test.",
            details=[r.to_dict() for r in report.results])
    return warnings
