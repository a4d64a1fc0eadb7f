"""Render a ``validate`` run for code review: GitHub workflow annotations, or SARIF 2.1.0.

Both name files relative to the working directory (the repository's root in CI), so the
annotations land on the changed lines and code scanning finds the files.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from continue_setup import __version__
from continue_setup.check.findings import Finding
from continue_setup.check.rules import CODES, Code
from continue_setup.check.validate import ValidationRun
from continue_setup.report import Output

if TYPE_CHECKING:
    from continue_setup.config.paths import StrPath

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def repo_path(path: StrPath | None) -> str:
    """Return ``path`` relative to the working directory when inside it, with ``/``."""
    if path is None:
        return ""
    text = os.path.abspath(path)
    try:
        relative = os.path.relpath(text)
    except ValueError:  # another drive on Windows
        return Path(text).as_posix()
    return Path(text if relative.startswith("..") else relative).as_posix()


def _escape_data(text: str) -> str:
    # GitHub's workflow-command encoding: % first, then the line breaks.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(path: str, finding: Finding) -> str:
    """Return one ``::error file=...,line=...,col=...,title=CODE::message`` command."""
    props = [f"file={_escape_property(path)}"]
    if finding.line is not None:
        props.append(f"line={finding.line}")
        if finding.column is not None:
            props.append(f"col={finding.column}")
    props.append(f"title={_escape_property(finding.code)}")
    where = f"{finding.pointer}: " if finding.pointer else ""
    message = where + finding.message + (f"\nhint: {finding.hint}" if finding.hint else "")
    return f"::{finding.severity} {','.join(props)}::{_escape_data(message)}"


def render_github(out: Output, run: ValidationRun) -> None:
    """Print one workflow annotation per finding (all of them, as GitHub shows them)."""
    for report in run.reports:
        path = repo_path(report.path)
        for finding in report.findings:
            out.raw(annotation(path, finding) + "\n")


def _artifact(path: StrPath | None) -> dict[str, str]:
    text = repo_path(path)
    if Path(text).is_absolute():
        return {"uri": Path(text).as_uri()}
    return {"uri": quote(text), "uriBaseId": "%SRCROOT%"}


def _code(code: str) -> Code:
    return CODES.get(code) or CODES["schema-*"]


def _rule(code: str) -> dict[str, Any]:
    known = _code(code)
    return {"id": code, "name": code,
            "shortDescription": {"text": known.meaning},
            "help": {"text": known.hint},
            "defaultConfiguration": {"level": known.severity}}


def sarif(run: ValidationRun) -> dict[str, Any]:
    """Return the run as one SARIF 2.1.0 log: one run, the code catalogue as its rules."""
    used = {f.code for report in run.reports for f in report.findings}
    codes = [c for c in CODES if c != "schema-*"] + sorted(used - set(CODES))
    index = {code: i for i, code in enumerate(codes)}
    results = []
    for report in run.reports:
        artifact = _artifact(report.path)
        for f in report.findings:
            region = {"startLine": f.line or 1}
            if f.line is not None and f.column is not None:
                region["startColumn"] = f.column
            text = (f"{f.pointer}: " if f.pointer else "") + f.message
            results.append({
                "ruleId": f.code, "ruleIndex": index[f.code], "level": f.severity,
                "message": {"text": _sentence(text) + (f" Hint: {f.hint}" if f.hint else "")},
                "locations": [{"physicalLocation": {
                    "artifactLocation": artifact, "region": region}}],
            })
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "continue-setup", "version": __version__,
                                "rules": [_rule(code) for code in codes]}},
            "results": results,
        }],
    }


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."


def render_sarif(out: Output, run: ValidationRun) -> None:
    """Print the run as one SARIF document."""
    import json

    out.raw(json.dumps(sarif(run), indent=2, ensure_ascii=False) + "\n")
