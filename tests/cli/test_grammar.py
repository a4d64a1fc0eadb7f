"""One grammar: an option name means one thing in every command that has it."""

from __future__ import annotations

from typing import Any

import click
import pytest

from continue_setup.cli import COMMAND_MODULES, cli

READS_CONFIG = ["backups", "doctor", "init", "migrate", "models", "ping", "remove", "restore",
                "rotate-key", "validate"]
READS_KEY = ["doctor", "init", "models", "rotate-key"]
WRITES = ["doctor", "init", "migrate", "remove", "restore", "rotate-key"]
# Options whose help text is the same word for word wherever they appear.
SAME_HELP = {"--json", "--quiet", "--debug", "--timeout", "--config-dir", "--home",
             "--api-key-stdin", "--api-key-file", "--yes", "--dry-run", "--diff", "--region",
             "--base-url", "--template-dir", "--org-settings", "--tools", "--keep"}


def commands() -> dict[str, click.Command]:
    """Every command and subcommand, by its name under ``continue-setup``."""
    ctx = click.Context(cli)
    found: dict[str, click.Command] = {}
    for name in COMMAND_MODULES:
        command = cli.get_command(ctx, name)
        assert command is not None
        found[name] = command
        if isinstance(command, click.Group):
            for sub, subcommand in command.commands.items():
                found[f"{name} {sub}"] = subcommand
    return found


def options(command: click.Command) -> dict[str, click.Option]:
    """The visible options of ``command`` by their long name."""
    return {max(o.opts, key=len): o for o in command.params
            if isinstance(o, click.Option) and not o.hidden}


def meaning(option: click.Option) -> tuple[Any, ...]:
    """What must agree between two options of the same name."""
    ctx = click.Context(cli)
    kind = option.type
    choices = tuple(kind.choices) if isinstance(kind, click.Choice) else None
    return (type(kind).__name__, option.is_flag, tuple(sorted(option.opts)),
            # A choice's metavar lists its choices, which may differ (--format); --region's may not.
            option.make_metavar(ctx) if not (option.is_flag or choices) else None,
            choices if option.name == "region" else None)


def test_each_option_name_has_one_meaning() -> None:
    """Same type, flag-ness, spellings and metavar everywhere; same help for shared options."""
    seen: dict[str, tuple[str, click.Option]] = {}
    for name, command in commands().items():
        for long, option in options(command).items():
            if long not in seen:
                seen[long] = (name, option)
                continue
            first, other = seen[long]
            assert meaning(option) == meaning(other), (long, name, first)
            if long in SAME_HELP:
                assert option.help == other.help, (long, name, first)


@pytest.mark.parametrize(("group", "names"), [
    (READS_CONFIG, {"--config-dir", "--home"}),
    (READS_KEY, {"--api-key-stdin", "--api-key-file"}),
    (WRITES, {"--yes", "--dry-run", "--diff"}),
    # demo is a tour for people: it prints what its commands print, and has no --json.
    ([n for n in commands() if n != "demo"], {"--json", "--quiet", "--debug"}),
])
def test_each_group_has_its_options(group: list[str], names: set[str]) -> None:
    """Reading a config, reading a key, writing: each brings the same options."""
    every = commands()
    for name in group:
        assert names <= set(options(every[name])), (name, names - set(options(every[name])))


def test_region_is_a_choice_that_completes() -> None:
    """--region offers eu and us to the shell, as --format offers its formats."""
    region = options(commands()["init"])["--region"]
    items = region.shell_complete(click.Context(cli), "")
    assert [i.value for i in items] == ["eu", "us"]


def test_template_names_complete(run: Any) -> None:
    """``templates show`` and ``init --entries`` complete template names, after a comma too."""
    every = commands()
    ctx = click.Context(cli)
    name = next(p for p in every["templates show"].params if p.name == "name")
    assert "gpt" in [i.value for i in name.shell_complete(ctx, "g")]
    entries = options(every["init"])["--entries"]
    assert "gpt,claude" in [i.value for i in entries.shell_complete(ctx, "gpt,cl")]


def test_options_may_follow_the_arguments(run: Any) -> None:
    """``templates show gpt --json`` equals ``templates --json show gpt``."""
    after = run("templates", "show", "gpt", "--json", "--region", "us")
    before = run("templates", "--json", "show", "--region", "us", "gpt")
    assert after.exit_code == 0 and after.stdout == before.stdout


def test_quiet_prints_nothing_on_success(run: Any) -> None:
    """-q on a listing prints nothing, as on every other command; --json still prints."""
    assert run("templates", "-q").stdout == ""
    assert run("templates", "-q", "--json").stdout.startswith("{")
