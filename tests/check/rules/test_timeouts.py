"""requestOptions.timeout is warned on: Continue reads it as seconds and as milliseconds."""

from __future__ import annotations

import json
from typing import Any

from continue_setup.check.rules import RuleContext, run_rules, timeouts
from continue_setup.config import parsing


def yaml_doc(*models: dict[str, Any], **top: Any) -> parsing.Document:
    """A config.yaml with ``models``."""
    data = {"name": "x", "version": "1", "models": list(models), **top}
    return parsing.parse_text(json.dumps(data), "yaml")


GPT = {"name": "g", "provider": "openai", "model": "gpt-4.1",
       "apiBase": "https://api.langdock.com/openai/eu/v1"}


def test_a_timeout_on_an_entry_or_the_top_level_is_a_warning_at_its_pointer() -> None:
    """Per-model and top-level timeouts each get request-timeout, pointing at the value."""
    doc = yaml_doc({**GPT, "requestOptions": {"timeout": 5}}, requestOptions={"timeout": 5000})
    findings = list(timeouts.request_timeout(doc, RuleContext()))
    assert [(f.code, f.severity, f.pointer) for f in findings] == [
        ("request-timeout", "warning", "/requestOptions/timeout"),
        ("request-timeout", "warning", "/models/0/requestOptions/timeout")]
    assert "milliseconds" in findings[0].message


def test_no_timeout_no_finding_and_the_rule_runs_with_the_others() -> None:
    """Other requestOptions pass; the rule is registered in the catalogue's run."""
    quiet = yaml_doc({**GPT, "requestOptions": {"headers": {"x": "y"}}})
    assert not [f for f in run_rules(quiet, RuleContext()) if f.code == "request-timeout"]
    loud = yaml_doc({**GPT, "requestOptions": {"timeout": 30}})
    assert [f.code for f in run_rules(loud, RuleContext())].count("request-timeout") == 1
