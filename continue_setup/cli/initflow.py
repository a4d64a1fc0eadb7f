"""What ``init`` does once its options are plain data: the one core call and its report.

Click-free, so the click application (``cli.init``) and the click-free path (``_quick``)
run the very same code; only reading the command line differs.
"""

from __future__ import annotations

import os
import sys

from continue_setup.cli.inputs import InitOptions, Prompter, at_terminal, build_settings
from continue_setup.errors import ExitCode, UsageError

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from continue_setup.config.paths import ConfigDir
    from continue_setup.report import Output
    from continue_setup.setup.asuser import Owner
    from continue_setup.setup.plan import InitPlan
    from continue_setup.setup.settings import Settings
    from continue_setup.setup.templates import Template


def is_interactive(*, yes: bool, check: bool, json_mode: bool) -> bool:
    """Whether init asks a person: not told to go ahead, not a check, not for a script, and
    standard input is a terminal (a process started without one has none to ask at)."""
    return not yes and not check and not json_mode and at_terminal(sys.stdin)


def run_init_command(
    out: Output,
    *,
    format_: str | None,
    dry_run: bool,
    diff: bool,
    check: bool,
    ping: bool,
    write_anyway: bool,
    keep: int,
    timeout: float,
    **options: Any,
) -> int:
    """Run ``init`` with its options as click hands them over; return the exit code."""
    from continue_setup.report.init import render_init
    from continue_setup.setup.plan import run_init

    opts = InitOptions(format=format_, **options)
    interactive = is_interactive(yes=opts.yes, check=check, json_mode=out.json_mode)
    prompter = Prompter()
    settings, config_dir, templates, notes = build_settings(
        opts, env=os.environ, stdin=sys.stdin, interactive=interactive, prompter=prompter
    )
    preview = dry_run or diff
    if check:
        return _check(out, settings, config_dir, templates, notes, preview=preview)
    from continue_setup.setup.asuser import target_owner

    owner = target_owner(config_dir.path, home=opts.home)
    ahead: InitPlan | None = None
    if interactive and not settings.carry_over:
        settings, ahead = _offer_carry(settings, config_dir, templates, prompter, owner)
    if ping and not preview:  # the key may be used: propose the workspace's current models
        settings, current, ahead = _current_models(settings, config_dir, templates,
                                                   interactive, prompter, owner, timeout)
        notes += current
    if (ping or interactive) and not preview:
        # One look ahead serves the probe and the summary; the write below reuses it under
        # the lock unless another run has changed the files meanwhile.
        if ahead is None:
            ahead, _ = run_init(settings, config_dir, templates, dry_run=True, owner=owner)
        if ping:  # probe what is about to be written, before writing it
            settings, ahead, warnings, unavailable = _probe_retyping_key(
                out, ahead, settings, write_anyway=write_anyway, interactive=interactive,
                prompter=prompter, timeout=timeout, rerun=lambda s: run_init(
                    s, config_dir, templates, dry_run=True, owner=owner)[0])
            notes += warnings
            if unavailable and interactive and not prompter.confirm(
                "Codestral is not available in this workspace. Keep its entry (autocomplete "
                "starts working once the workspace has the model)?"
            ):
                settings = settings.replace(entries=tuple(
                    n for n in settings.entries if templates[n].role != "autocomplete"))
                ahead, _ = run_init(settings, config_dir, templates, dry_run=True, owner=owner)
        if interactive:
            _show_summary(out, ahead)
            if not prompter.confirm("Write it?"):
                out.note("nothing written")
                return ExitCode.INVALID  # declined: exit 1, as in every command
    plan, result = run_init(settings, config_dir, templates, dry_run=preview, owner=owner,
                            ahead=ahead)
    if result is not None:
        from continue_setup.setup.backups import prune_managed

        prune_managed(config_dir.path, keep, owner)
    plan.warnings[:0] = notes
    render_init(out, plan, result, dry_run=preview, diff=diff)
    return 0


def _probe_retyping_key(out: Output, ahead: Any, settings: Settings, *, write_anyway: bool,
                        interactive: bool, prompter: Prompter, timeout: float,
                        rerun: Callable[[Settings], Any]
                        ) -> tuple[Settings, Any, list[str], list[str]]:
    """Probe before writing; at a terminal, a key Langdock refuses (401) is asked for again,
    up to three tries, keeping every other answer. Returns the settings and plan probed,
    the warnings and the unavailable autocomplete entries."""
    from continue_setup.cli.asking import KEY_TRIES, ask_key_again
    from continue_setup.cli.ping import KeyRefusedError, probe_before_writing

    for tries_left in range(KEY_TRIES - 1, -1, -1):
        try:
            warnings, unavailable = probe_before_writing(out, ahead, settings, timeout=timeout,
                                                         write_anyway=write_anyway)
            return settings, ahead, warnings, unavailable
        except KeyRefusedError:
            if not interactive or not tries_left:
                raise
        key = ask_key_again(prompter, "Langdock refused this key (401). Check it in Langdock "
                            "(Workspace settings > API) and type it again.")
        settings = settings.replace(api_key=key)
        ahead = rerun(settings)  # the key may be written into the config: plan again
    raise AssertionError("unreachable: the last try returns or raises")


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
    from continue_setup.report.init import render_check
    from continue_setup.setup.drift import differences
    from continue_setup.setup.plan import plan_init

    if preview:
        raise UsageError(
            "--check cannot be combined with --dry-run or --diff",
            hint="Use --check --json to see what differs.",
        )
    plan = plan_init(settings, config_dir, templates)
    plan.warnings[:0] = notes
    render_check(out, plan, differences(plan))
    return 1 if plan.changed else 0


def _current_models(settings: Settings, config_dir: ConfigDir, templates: dict[str, Template],
                    interactive: bool, prompter: Prompter, owner: Owner | None,
                    timeout: float = 15.0) -> tuple[Settings, list[str], InitPlan | None]:
    """Pick each unpinned chat entry's model from the workspace's lists and the catalogue.

    Only when init is about to write anyway: a re-run that changes nothing stays off the
    network (fleets re-run init), and keeps the models it has. Also returns the plan made
    to tell, while it still stands for the settings returned (init then plans once).
    """
    from continue_setup.probe.current import chosen_models, plan_choices
    from continue_setup.probe.modellists import ROUTES, list_models
    from continue_setup.setup.plan import run_init

    looked: InitPlan | None = run_init(settings, config_dir, templates, dry_run=True,
                                       owner=owner)[0]
    if looked is not None and not looked.changed:
        return settings, [], looked

    routes = tuple(r for r in ROUTES if any(
        templates[n].route == r and templates[n].role == "chat" and n not in settings.models
        for n in settings.entries))
    if not routes:
        return settings, [], looked
    lists = list_models(base_url=settings.base_url, region=settings.region,
                        api_key=settings.api_key.reveal(), environ=os.environ, routes=routes,
                        timeout=timeout)
    choices, notes = plan_choices(settings, templates, lists)
    picked: dict[str, str] = {}
    for choice in choices if interactive else []:
        if len(choice.options) > 1:
            answer = prompter.ask(f"Model for {choice.entry} ({', '.join(choice.options)})",
                                  choice.preferred).strip()
            picked[choice.entry] = answer if answer in choice.options else choice.preferred
    models, more = chosen_models(choices, picked)
    if models:
        settings = settings.replace(models={**settings.models, **models})
        looked = None  # planned for other models: plan again
    return settings, notes + more, looked


def _offer_carry(settings: Settings, config_dir: ConfigDir, templates: dict[str, Template],
                 prompter: Prompter, owner: Owner | None) -> tuple[Settings, InitPlan | None]:
    """At a terminal, offer to carry config.json's own models into the config.yaml being
    written. Returns the settings and, while it still stands for them, the plan made."""
    from continue_setup.setup.plan import run_init

    looked = run_init(settings, config_dir, templates, dry_run=True, owner=owner)[0]
    names = looked.carryable
    if not names or not prompter.confirm(
        f"config.json holds {len(names)} model(s) Continue will ignore ({', '.join(names)}): "
        "carry them over into config.yaml?"
    ):
        return settings, looked
    return settings.replace(carry_over=True), None


def _show_summary(out: Output, plan: Any) -> None:
    from continue_setup.report import display_path

    out.line(
        f"About to write {display_path(plan.config.path)} "
        f"({'changes' if plan.changed else 'no changes'}):"
    )
    from continue_setup.report.layout import width_of, wrap

    for entry in plan.entries():
        for line in wrap(f"{entry['title']}: {entry['model']} at {entry['apiBase']}",
                         width_of(out.stdout), indent=4, first="  "):
            out.line(line)
    if plan.dotenv is not None:
        out.line(f"  key stored in {display_path(plan.dotenv.path)}")
    for warning in plan.warnings:
        out.warn(warning)
