"""``init`` and ``templates``: options become plain data, one core call, one report."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import click

from continue_setup.cli import cli, output_options
from continue_setup.errors import UsageError

if TYPE_CHECKING:
    from continue_setup.keys import Secret
    from continue_setup.paths import ConfigDir
    from continue_setup.report import Output
    from continue_setup.settings import FormatChoice, Settings, Storage
    from continue_setup.templates import Template

MAX_KEY_INPUT = 64 * 1024


@dataclass
class InitOptions:
    """The options of ``init`` as given, before they are checked."""

    region: str | None = None
    base_url: str | None = None
    config_dir: Path | None = None
    home: Path | None = None
    format: str | None = None  # None: not given, so organisation settings may choose
    key_storage: str | None = None
    entries: str | None = None
    models: tuple[str, ...] = ()
    template_dir: Path | None = None
    api_key_stdin: bool = False
    api_key_file: Path | None = None
    force: bool = False
    yes: bool = False
    request_options: dict[str, Any] = field(default_factory=dict)
    org_settings: Path | None = None


class Prompter:
    """Asks a person at a terminal; tests replace it."""

    def ask(self, text: str, default: str) -> str:
        return str(click.prompt(text, default=default, show_default=True))

    def secret(self, text: str) -> str:
        return str(click.prompt(text, hide_input=True))

    def confirm(self, text: str) -> bool:
        return bool(click.confirm(text, default=True))


def parse_models(values: tuple[str, ...]) -> dict[str, str]:
    """Turn ``--model NAME=ID`` options into a mapping."""
    models: dict[str, str] = {}
    for value in values:
        name, sep, model = value.partition("=")
        if (
            not sep
            or not name.strip()
            or not model.strip()
            or any(c.isspace() for c in model.strip())
        ):
            raise UsageError(
                f"--model {value!r} is not NAME=MODEL_ID", hint="For example: --model gpt=gpt-4.1"
            )
        models[name.strip()] = model.strip()
    return models


def parse_entries(value: str | None, templates: Mapping[str, Template]) -> tuple[str, ...]:
    """Turn ``--entries gpt,claude`` into names; by default every available template."""
    if value is None:
        return tuple(templates)
    names = tuple(dict.fromkeys(n.strip() for n in value.split(",") if n.strip()))
    if not names:
        raise UsageError("--entries is empty", hint=f"Choose from: {', '.join(templates)}.")
    return names


def read_secret(
    opts: InitOptions, *, env: Mapping[str, str], stdin: Any, interactive: bool, prompter: Prompter
) -> Secret:
    """Get the key from stdin, a file, the environment or a hidden prompt, in that order."""
    from continue_setup.keys import WAYS_TO_GIVE, check_key, read_key

    stdin_text = stdin.read(MAX_KEY_INPUT) if opts.api_key_stdin else None
    key = read_key(env=env, stdin_text=stdin_text, file=opts.api_key_file)
    if key is not None:
        return key
    if interactive:
        return check_key(prompter.secret("Langdock API key (input hidden)"), "the prompt")
    raise UsageError("no Langdock API key given", hint=f"To give the key, {WAYS_TO_GIVE}.")


def ask_where(opts: InitOptions, prompter: Prompter) -> tuple[str, str | None]:
    """Ask for the region, or a dedicated deployment URL and its region, in one question."""
    answer = prompter.ask("Langdock region (eu, us) or your dedicated deployment URL", "eu")
    if answer.strip().lower().startswith(("https://", "http://")):
        region = prompter.ask("Region of that deployment (eu, us)", "eu")
        return region, answer.strip()
    return answer, opts.base_url


def build_settings(
    opts: InitOptions, *, env: Mapping[str, str], stdin: Any, interactive: bool, prompter: Prompter
) -> tuple[Settings, ConfigDir, dict[str, Template], list[str]]:
    """Check every option and input; return settings, the config dir, templates and notes."""
    from continue_setup.paths import resolve_config_dir
    from continue_setup.settings import Settings, check_region, normalize_base_url
    from continue_setup.templates import load_templates

    opts = with_org_settings(opts)
    templates = load_templates(opts.template_dir)
    entries = parse_entries(opts.entries, templates)
    models = parse_models(opts.models)
    region, base_url = opts.region, opts.base_url
    if interactive and region is None and base_url is None:
        region, base_url = ask_where(opts, prompter)
    region = check_region(region or "eu")
    base, notes = normalize_base_url(base_url)
    key = read_secret(opts, env=env, stdin=stdin, interactive=interactive, prompter=prompter)
    config_dir = resolve_config_dir(opts.config_dir, home=opts.home, env=env)
    settings = Settings(
        api_key=key,
        region=region,
        base_url=base,
        entries=entries,
        models=models,
        key_storage=cast("Storage | None", opts.key_storage),  # click.Choice checked it
        format=cast("FormatChoice", opts.format or "auto"),
        force=opts.force,
        request_options=opts.request_options,
    )
    return settings, config_dir, templates, notes


def with_org_settings(opts: InitOptions) -> InitOptions:
    """Fill in what the options leave open from the organisation settings file, if any."""
    if opts.org_settings is None:
        return opts
    from continue_setup.orgsettings import load_org_settings

    org = load_org_settings(opts.org_settings)
    entries = opts.entries
    if entries is None and org.entries:
        entries = ",".join(org.entries)
    included = None if entries is None else {n.strip() for n in entries.split(",")}
    pinned = tuple(
        f"{name}={model}"
        for name, model in org.models.items()
        if included is None or name in included
    )
    return replace(
        opts,
        region=opts.region or org.region,
        base_url=opts.base_url or org.base_url,
        format=opts.format or org.format,
        key_storage=opts.key_storage or org.key_storage,
        entries=entries,
        models=pinned + opts.models,  # a later --model for the same entry wins
        template_dir=opts.template_dir or org.template_path(opts.org_settings),
        request_options={**org.request_options_dict(), **opts.request_options},
    )


def config_dir_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add --config-dir and --home."""
    func = click.option(
        "--home",
        type=click.Path(file_okay=False, path_type=Path),
        help="Set up this user's home instead: ~/.continue under it (as root: owned by them).",
    )(func)
    return click.option(
        "--config-dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="Continue's directory [default: $CONTINUE_GLOBAL_DIR or ~/.continue].",
    )(func)


@cli.command()
@click.option("--region", help="Langdock region: eu or us [default: eu].")
@click.option(
    "--base-url",
    metavar="URL",
    help="Dedicated deployment, e.g. https://acme.langdock.com/api/public.",
)
@config_dir_options
@click.option(
    "--format",
    "format_",
    type=click.Choice(["auto", "json", "yaml"]),
    help="auto: update config.yaml if it exists, else config.json [default: auto].",
)
@click.option(
    "--key-storage",
    type=click.Choice(["inline", "dotenv"]),
    help="Key in the config, or in <config-dir>/.env [default: inline for JSON, dotenv for YAML].",
)
@click.option(
    "--entries",
    metavar="LIST",
    help="Entries to include, e.g. gpt,claude [default: all templates].",
)
@click.option(
    "--model",
    "models",
    multiple=True,
    metavar="NAME=ID",
    help="Use another model id for an entry, e.g. gpt=gpt-4.1 (repeatable).",
)
@click.option(
    "--template-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Add or replace templates with the *.json files of this directory.",
)
@click.option("--api-key-stdin", is_flag=True, help="Read the key from standard input.")
@click.option(
    "--api-key-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read the key from this file.",
)
@click.option(
    "--api-key",
    hidden=True,
    expose_value=False,
    callback=lambda ctx, param, value: _refuse_key_option(value),
)
@click.option(
    "--dry-run", is_flag=True, help="Print the file that would be written; write nothing."
)
@click.option("--diff", is_flag=True, help="Print a diff against the current file; write nothing.")
@click.option(
    "--force",
    is_flag=True,
    help="Replace an unparseable config, or move config.yaml aside (backups kept).",
)
@click.option("-y", "--yes", is_flag=True, help="Never prompt; fail instead of asking.")
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 0 if the config is up to date, 1 if init would change it.",
)
@click.option(
    "--ping/--no-ping",
    default=True,
    help="Smoke-test the entries before writing; refuse (exit 3) if they fail "
    "[default: --ping; never with --dry-run, --diff or --check].",
)
@click.option(
    "--org-settings",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="CONTINUE_SETUP_ORG_SETTINGS",
    show_envvar=True,
    help="Organisation settings file (JSON); options given here override it.",
)
@output_options
def init(
    out: Output,
    *,
    format_: str | None,
    dry_run: bool,
    diff: bool,
    check: bool,
    ping: bool,
    **options: Any,
) -> int:
    """Write a Continue config for Langdock: GPT and Claude chat, Codestral autocomplete."""
    from continue_setup.plan import run_init
    from continue_setup.report.init import render_init

    opts = InitOptions(format=format_, **options)
    interactive = not opts.yes and not check and not out.json_mode and sys.stdin.isatty()
    prompter = Prompter()
    settings, config_dir, templates, notes = build_settings(
        opts, env=os.environ, stdin=sys.stdin, interactive=interactive, prompter=prompter
    )
    if check:
        return _check(out, settings, config_dir, templates, notes, preview=dry_run or diff)
    from continue_setup.plan import target_owner

    owner = target_owner(config_dir.path, home=opts.home)
    preview = dry_run or diff
    if ping and not preview:  # probe what is about to be written, before writing it
        from continue_setup.cli.ping import probe_before_writing

        notes += probe_before_writing(out, settings, config_dir, templates)
    if interactive and not preview:
        plan, _ = run_init(settings, config_dir, templates, dry_run=True)
        _show_summary(out, plan)
        if not prompter.confirm("Write it?"):
            out.note("nothing written")
            return 0
    plan, result = run_init(settings, config_dir, templates, dry_run=preview, owner=owner)
    plan.warnings[:0] = notes
    render_init(out, plan, result, dry_run=preview, diff=diff)
    return 0


def _check(
    out: Output,
    settings: Settings,
    config_dir: ConfigDir,
    templates: dict[str, Template],
    notes: list[str],
    *,
    preview: bool,
) -> int:
    """Plan without writing (not even the config dir); report whether anything would change."""
    from continue_setup.drift import differences
    from continue_setup.plan import plan_init
    from continue_setup.report.init import render_check

    if preview:
        raise UsageError(
            "--check cannot be combined with --dry-run or --diff",
            hint="Use --check --json to see what differs.",
        )
    plan = plan_init(settings, config_dir, templates)
    plan.warnings[:0] = notes
    render_check(out, plan, differences(plan))
    return 1 if plan.changed else 0


def _refuse_key_option(value: str | None) -> None:
    if value is not None:
        from continue_setup import redact

        redact.register(value)
        raise UsageError(
            "the key is never given on the command line, where other users and shell history "
            "can see it",
            hint="Set LANGDOCK_API_KEY, or use --api-key-stdin or --api-key-file.",
        )


def _show_summary(out: Output, plan: Any) -> None:
    from continue_setup.report import display_path

    out.line(
        f"About to write {display_path(plan.config.path)} "
        f"({'changes' if plan.changed else 'no changes'}):"
    )
    for entry in plan.entries():
        out.line(f"  {entry['title']}: {entry['model']} at {entry['apiBase']}")
    if plan.dotenv is not None:
        out.line(f"  key stored in {display_path(plan.dotenv.path)}")
    for warning in plan.warnings:
        out.warn(warning)


@cli.group(invoke_without_command=True)
@click.option(
    "--template-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also read the *.json templates of this directory.",
)
@output_options
@click.pass_context
def templates(ctx: click.Context, out: Output, template_dir: Path | None) -> int:
    """List the entry templates (templates show NAME prints one)."""
    ctx.obj = template_dir
    if ctx.invoked_subcommand is not None:
        return 0
    from continue_setup.report.templates import render_list
    from continue_setup.templates import load_templates

    render_list(out, load_templates(template_dir))
    return 0


@templates.command("show")
@click.argument("name")
@click.option(
    "--format", "format_", type=click.Choice(["json", "yaml"]), default="json", show_default=True
)
@click.option("--region", default="eu", show_default=True)
@click.option("--base-url", metavar="URL")
@output_options
@click.pass_obj
def templates_show(
    template_dir: Path | None,
    out: Output,
    name: str,
    format_: str,
    region: str,
    base_url: str | None,
) -> int:
    """Print one template rendered as a config entry (the key masked)."""
    from continue_setup.redact import MASK
    from continue_setup.report.templates import render_one
    from continue_setup.settings import check_region, normalize_base_url
    from continue_setup.templates import load_templates, render

    available = load_templates(template_dir)
    if name not in available:
        raise UsageError(f"unknown template '{name}'", hint=f"Available: {', '.join(available)}.")
    base, _ = normalize_base_url(base_url)
    rendered = render(
        available[name],
        fmt=format_,
        base_url=base,
        region=check_region(region),
        model=None,
        api_key=MASK,
    )
    render_one(out, rendered, format_)
    return 0
