"""``requestOptions.timeout``: one number, read as two different units by Continue.

Continue's fetch agent reads it as seconds (x1000, ``getAgentOptions.ts``), but
openai-adapters pass it unchanged to the OpenAI SDK, which reads milliseconds
(``apis/OpenAI.ts``): ``timeout: 5`` makes every OpenAI-route call of cn and the IDE's
adapter fail after 5 ms, while ``timeout: 5000`` gives the fetch agent 83 minutes.
"""

from __future__ import annotations

from collections.abc import Iterator

from continue_setup.check.findings import Finding
from continue_setup.check.rules.codes import RuleContext, child, issue
from continue_setup.config.entries import model_entries
from continue_setup.config.parsing import Document

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any


def _timeout(options: Any) -> bool:
    return isinstance(options, dict) and "timeout" in options


def request_timeout(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Warn on every requestOptions.timeout: seconds in one layer, milliseconds in another."""
    data = doc.data if isinstance(doc.data, dict) else {}
    if _timeout(data.get("requestOptions")):
        yield issue("request-timeout", "/requestOptions/timeout",
                    "requestOptions.timeout is read as seconds by Continue's fetch and as "
                    "milliseconds by the OpenAI SDK it uses")
    for entry in model_entries(doc):
        if _timeout(entry.raw.get("requestOptions")):
            yield issue("request-timeout", child(entry.pointer, "requestOptions", "timeout"),
                        f"{entry.label}: requestOptions.timeout is read as seconds by "
                        "Continue's fetch and as milliseconds by the OpenAI SDK it uses")


RULES = (request_timeout,)
