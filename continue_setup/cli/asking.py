"""Questions that forgive: each answer is checked where it is asked, and asked again with why.

A person at ``init``'s prompts never sees an exit naming an option they did not type: an
unknown region, a bare host or a plain-http URL is explained and the question repeated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from continue_setup.errors import UsageError

if TYPE_CHECKING:
    from continue_setup.cli.inputs import Prompter
    from continue_setup.config.keys import Secret

TRIES = 5  # then the mistake is reported as with the option, so a loop always ends
KEY_TRIES = 3  # typing the key: the first try and two more after Langdock refuses it


def ask_where(prompter: Prompter, default_base: str | None) -> tuple[str, str | None]:
    """Ask for the region, or a deployment's URL (then its region), until the answer works."""
    from continue_setup.setup.settings import REGIONS

    for _ in range(TRIES):
        answer = prompter.ask("Langdock region (eu, us) or your dedicated deployment URL",
                              "eu").strip()
        if answer.lower() in REGIONS:
            return answer.lower(), default_base
        base = _deployment(prompter, answer)
        if base is not None:
            return ask_region(prompter, "Region of that deployment (eu, us)"), base
    raise UsageError("no usable region or deployment URL was given",
                     hint="Answer eu or us, or your deployment's https:// URL.")


def ask_region(prompter: Prompter, question: str) -> str:
    """Ask for a region until it is one of Langdock's."""
    from continue_setup.setup.settings import REGIONS

    for _ in range(TRIES):
        answer = prompter.ask(question, "eu").strip().lower()
        if answer in REGIONS:
            return answer
        prompter.say(f"'{answer}' is not a Langdock region: answer {' or '.join(REGIONS)}.")
    raise UsageError("no Langdock region was given", hint="Answer eu or us.")


def _deployment(prompter: Prompter, answer: str) -> str | None:
    """Return the base URL ``answer`` means once confirmed, or None after saying why not."""
    from continue_setup.setup.settings import REGIONS, normalize_base_url

    if not answer or " " in answer or ("." not in answer and "://" not in answer):
        prompter.say(f"'{answer}' is neither a region ({', '.join(REGIONS)}) nor a URL such as "
                     "https://acme.langdock.com.")
        return None
    typed = answer if "://" in answer else "https://" + answer  # a bare host: acme.langdock.com
    try:
        base, _ = normalize_base_url(typed)
    except UsageError as e:
        reason = e.message.replace("--base-url ", "", 1)
        prompter.say(f"{reason}." + (f" {e.hint}" if e.hint else ""))
        return None
    if base.rstrip("/") != answer.rstrip("/") and not prompter.confirm(f"Use {base}?"):
        return None
    return base


def ask_key(prompter: Prompter) -> Secret:
    """Ask for the key, hidden, until it is one Continue and Langdock can use."""
    from continue_setup.config.keys import check_key

    for tries_left in range(KEY_TRIES - 1, -1, -1):
        try:
            return check_key(prompter.secret("Langdock API key (input hidden)"), "the prompt")
        except UsageError as e:
            if not tries_left:
                raise
            prompter.say(f"{e.message}." + (f" {e.hint}" if e.hint else ""))
    raise AssertionError("unreachable: the last try returns or raises")


def ask_key_again(prompter: Prompter, reason: str) -> Secret:
    """Say why the key did not work and ask for it again, hidden."""
    prompter.say(reason)
    return ask_key(prompter)
