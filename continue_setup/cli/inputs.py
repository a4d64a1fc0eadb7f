"""Turn command-line options into plain data: the key, region, base URL, config dir.

Shared by the commands that need a key or a config dir; tested apart from running them.
"""

from __future__ import annotations

from continue_setup.errors import UsageError

TYPE_CHECKING = False  # click and typing stay unimported: the click-free init uses this module
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from pathlib import Path
    from typing import Any

    from continue_setup.config.keys import Secret
    from continue_setup.config.paths import ConfigDir
    from continue_setup.setup.settings import FormatChoice, Settings, Storage
    from continue_setup.setup.templates import Template

MAX_KEY_INPUT = 64 * 1024
# init's --org-settings FILE, when not given, from the environment (click's envvar).
ORG_SETTINGS_ENV = "CONTINUE_SETUP_ORG_SETTINGS"


def at_terminal(stdin: Any) -> bool:
    """Tell whether ``stdin`` (``sys.stdin``) is a terminal a person can answer at; a process
    started without standard input at all (``<&-``) has None there, and a test's stand-in
    may have no ``isatty``."""
    isatty = getattr(stdin, "isatty", None)
    return isatty is not None and bool(isatty())


class InitOptions:
    """The options of ``init`` as given, before they are checked."""

    def __init__(self, *, region: str | None = None, base_url: str | None = None,
                 config_dir: Path | None = None, home: Path | None = None,
                 format: str | None = None, key_storage: str | None = None,
                 entries: str | None = None, models: tuple[str, ...] = (),
                 template_dir: Path | None = None, api_key_stdin: bool = False,
                 api_key_file: Path | None = None, force: bool = False,
                 carry_over: bool = False, yes: bool = False,
                 request_options: dict[str, Any] | None = None,
                 org_settings: Path | None = None) -> None:
        self.region = region
        self.base_url = base_url
        self.config_dir = config_dir
        self.home = home
        self.format = format  # None: not given, so organisation settings may choose
        self.key_storage = key_storage
        self.entries = entries
        self.models = models
        self.template_dir = template_dir
        self.api_key_stdin = api_key_stdin
        self.api_key_file = api_key_file
        self.force = force
        self.carry_over = carry_over
        self.yes = yes
        self.request_options: dict[str, Any] = request_options or {}
        self.org_settings = org_settings

    def replace(self, **changes: Any) -> InitOptions:
        """Return a copy with ``changes`` made (the options as given stay as they were)."""
        return InitOptions(**{**vars(self), **changes})


class Prompter:
    """Asks a person at a terminal; tests replace it."""

    def ask(self, text: str, default: str) -> str:
        import click

        return str(click.prompt(text, default=default, show_default=True))

    def secret(self, text: str) -> str:
        import click

        return str(click.prompt(text, hide_input=True, err=True))

    def confirm(self, text: str) -> bool:
        import click

        return bool(click.confirm(text, default=True))

    def say(self, text: str) -> None:
        """Tell the person why an answer is asked again."""
        import click

        click.echo(text, err=True)


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
    """Turn ``--entries gpt,claude`` into names; by default every template not optional."""
    if value is None:
        return tuple(name for name, t in templates.items() if not t.optional)
    names = tuple(dict.fromkeys(n.strip() for n in value.split(",") if n.strip()))
    if not names:
        raise UsageError("--entries is empty", hint=f"Choose from: {', '.join(templates)}.")
    return names


def read_secret(
    opts: InitOptions, *, env: Mapping[str, str], stdin: Any, interactive: bool, prompter: Prompter
) -> Secret:
    """Get the key from stdin, a file, the environment or a hidden prompt, in that order.

    --api-key-stdin at a terminal asks with the input hidden: read as plain standard input,
    the key would be echoed as it is typed.
    """
    from continue_setup.config.keys import WAYS_TO_GIVE, read_key

    if opts.api_key_stdin and at_terminal(stdin):
        from continue_setup.cli.asking import ask_key  # only a person at a terminal is asked

        return ask_key(prompter)
    stdin_text = stdin.read(MAX_KEY_INPUT) if opts.api_key_stdin else None
    key = read_key(env=env, stdin_text=stdin_text, file=opts.api_key_file)
    if key is not None:
        return key
    if interactive:
        from continue_setup.cli.asking import ask_key

        return ask_key(prompter)
    raise UsageError("no Langdock API key given", hint=f"To give the key, {WAYS_TO_GIVE}.")


def ask_where(opts: InitOptions, prompter: Prompter) -> tuple[str, str | None]:
    """Ask for the region, or a dedicated deployment URL and its region, in one question;
    a wrong answer is asked again with the reason (``cli.asking``)."""
    from continue_setup.cli import asking

    return asking.ask_where(prompter, opts.base_url)


def build_settings(
    opts: InitOptions, *, env: Mapping[str, str], stdin: Any, interactive: bool, prompter: Prompter
) -> tuple[Settings, ConfigDir, dict[str, Template], list[str]]:
    """Check every option and input; return settings, the config dir, templates and notes."""
    from continue_setup.config.paths import resolve_config_dir
    from continue_setup.setup.settings import Settings, check_region, normalize_base_url
    from continue_setup.setup.templates import load_templates

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
    storage: Storage | None = opts.key_storage  # type: ignore[assignment]  # a checked choice
    chosen: FormatChoice = opts.format or "auto"  # type: ignore[assignment]  # a checked choice
    settings = Settings(
        api_key=key,
        region=region,
        base_url=base,
        entries=entries,
        models=models,
        key_storage=storage,
        format=chosen,
        force=opts.force,
        carry_over=opts.carry_over,
        request_options=opts.request_options,
    )
    return settings, config_dir, templates, notes


def with_org_settings(opts: InitOptions) -> InitOptions:
    """Fill in what the options leave open from the organisation settings file, if any."""
    if opts.org_settings is None:
        return opts
    from continue_setup.setup.orgsettings import load_org_settings

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
    return opts.replace(
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
    from pathlib import Path

    import click

    func = click.option(
        "--home",
        type=click.Path(file_okay=False, path_type=Path),
        metavar="DIR",
        help="Use this user's home: DIR/.continue (as root, what is written is theirs).",
    )(func)
    return click.option(
        "--config-dir",
        type=click.Path(file_okay=False, path_type=Path),
        metavar="DIR",
        help="Continue's directory [default: $CONTINUE_GLOBAL_DIR or ~/.continue].",
    )(func)
