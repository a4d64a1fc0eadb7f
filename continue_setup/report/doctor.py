"""Render a ``doctor`` run in the issue's order: where, file, secrets, validate, ping, fixes."""

from __future__ import annotations

from pathlib import Path

from continue_setup.check.findings import Finding
from continue_setup.repair.doctor import Diagnosis, FixOutcome
from continue_setup.report import Output, display_path
from continue_setup.report.findings import finding_lines
from continue_setup.report.init import unified_diff
from continue_setup.report.layout import width_of, wrap

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any


def _finding(finding: Finding) -> dict[str, Any]:
    return {"severity": finding.severity, "code": finding.code, "pointer": finding.pointer,
            "line": finding.line, "column": finding.column, "message": finding.message,
            "hint": finding.hint}


def doctor_payload(d: Diagnosis, outcome: FixOutcome | None = None) -> dict[str, Any]:
    """Return the whole diagnosis as one JSON document."""
    final = outcome.after if outcome is not None and outcome.after is not None else d
    code = 2 if outcome is not None and outcome.refused else int(final.exit_code)
    return {
        "ok": code == 0,
        "exit_code": code,  # the run's: after the fixes when they were applied
        "location": d.location.to_dict(),
        "files": {"loaded": str(d.loaded) if d.loaded else None, "ignored": d.ignored,
                  "problems": [_finding(f) for f in d.problems],
                  "sources": [s.to_dict() for s in d.sources]},
        "secrets": d.secrets.to_dict() if d.secrets else None,
        "validate": {"path": str(d.doc.path) if d.doc else None,
                     "findings": [_finding(f) for f in d.findings]},
        "ping": d.ping.to_dict() if d.ping is not None else None,
        "ping_skipped": d.ping_skipped or None,
        "fixes": [f.to_dict() for f in d.fixes],
        "unfixed": d.unfixed,
        "fix": None if outcome is None else {
            "applied": outcome.applied, "done": outcome.done, "refused": outcome.refused,
            "after": None if outcome.after is None else {
                "exit_code": int(outcome.after.exit_code),
                "problems": [_finding(f) for f in outcome.after.problems],
                "findings": [_finding(f) for f in outcome.after.findings],
                "unfixed": outcome.after.unfixed,
                "ping": outcome.after.ping.to_dict() if outcome.after.ping is not None else None,
            }},
    }


def _say(out: Output, text: str) -> None:
    """Print a line, wrapped to the terminal under its own indent plus two."""
    lead = len(text) - len(text.lstrip(" "))
    _lines(out, text[lead:], first=text[:lead], indent=lead + 2)


def _lines(out: Output, text: str, *, first: str, indent: int) -> None:
    """Print ``text`` after ``first``, wrapped to the terminal under an ``indent``."""
    for line in wrap(text, width_of(out.stdout), indent=indent, first=first):
        out.line(line)


def _findings(out: Output, findings: list[Finding], path: Path | None) -> None:
    """Print findings in the one clickable form (path:line:col:), wrapped to the terminal."""
    for f in findings:
        for line in finding_lines(out, path, f, indent="  "):
            _say(out, line)


def _head(out: Output, number: int, title: str) -> None:
    out.line("")
    _say(out, out.style(f"{number}. {title}", "bold"))


def render_diagnosis(out: Output, d: Diagnosis, *, offline_shown: bool = False) -> None:
    """Print sections 1-5 of the report (text mode); 5 alone when 1-4 were ``offline_shown``."""
    if not offline_shown:
        render_offline(out, d)
    _render_ping(out, d)


def render_offline(out: Output, d: Diagnosis) -> None:
    """Print sections 1-4, which need no network (text mode; before the probes start)."""
    if out.json_mode:
        return
    loc = d.location
    _say(out, out.style("1. Where Continue looks", "bold"))
    _say(out, f"  {display_path(loc.config_dir)} ({loc.note})")
    _head(out, 2, "Which file Continue loads")
    _say(out, f"  {display_path(d.loaded) if d.loaded else 'none'}")
    for item in d.ignored:
        _say(out, f"  ignored: {display_path(item['path'])} ({item['reason']})")
    for source in d.sources:  # everything else Continue (or cn) reads
        mark = out.style("✗", "error") if source.findings and any(
            f.severity == "error" for f in source.findings) else "+"
        _say(out, f"  {mark} also read: {display_path(source.path)} ({source.note})")
    _findings(out, d.problems, d.loaded or d.location.config_dir)
    _head(out, 3, "Secrets")
    if d.secrets is None:
        _say(out, "  not checked (no config could be read)")
    else:
        s = d.secrets
        state = (f"present, mode {s.mode}" + ("" if s.private else " (readable by others)")
                 if s.present else "absent")
        _say(out, f"  {display_path(s.dotenv_path)}: {state}")
        for n in s.names:
            where = f"resolved from {n.resolved_in}" if n.resolved_in else out.style(
                "resolves nowhere", "error")
            _say(out, f"  {n.name}: {where}")
    _head(out, 4, "Validate" + (f" ({display_path(d.doc.path)})" if d.doc else ""))
    if d.findings:
        _findings(out, d.findings, d.doc.path if d.doc else None)
    else:
        _say(out, f"  {out.style('✓', 'ok')} no problems found")
    out.stdout.flush()  # seen while the probes run, also through a pipe


def _render_ping(out: Output, d: Diagnosis) -> None:
    _head(out, 5, "Ping")
    if d.ping is None:
        _say(out, f"  skipped ({d.ping_skipped})")
    else:
        for r in d.ping.results:
            mark = out.style("✓", "ok") if r.ok else out.style("✗", "error")
            status = r.status if r.status is not None else "-"
            who = {"ide": " (IDE)", "cn": " (cn)"}.get(r.client, "")
            _lines(out, f"{r.title}{who}: {r.kind} {r.url} {status} {r.category}"
                   + (f" — {r.message}" if r.message and not r.ok else ""),
                   first=f"  {mark} ", indent=6)
            if r.hint and not r.ok:
                _lines(out, r.hint, first=f"      {out.style('hint:', 'dim')} ", indent=12)
        for s in d.ping.skipped:
            _say(out, f"  - {s.title}: skipped ({s.reason})")
        for note in d.ping.notes:
            _say(out, f"  {out.style('warning:', 'warning')} {note}")


def render_fixes(out: Output, d: Diagnosis, *, diffs: bool) -> None:
    """Print section 6: the fixes, ranked, and (before applying) the masked diffs."""
    _head(out, 6, "Fixes")
    if not d.fixes and not d.unfixed:
        _say(out, "  nothing to fix")
    for index, fix in enumerate(d.fixes, 1):
        pointer = f" {fix.pointer}" if fix.pointer else ""
        _say(out, f"  {index}. {display_path(fix.file)}{pointer}: {fix.change} "
                 f"{out.style('[' + fix.code + ']', 'dim')}")
    for text in d.unfixed:
        _say(out, f"  {out.style('cannot fix:', 'warning')} {text}")
    if diffs:
        if d.move_aside is not None:
            _say(out, f"  would move {display_path(d.move_aside)} aside to a backup")
        for change in d.changes:
            if change.changed:
                out.raw(unified_diff(change))


def render_preview(out: Output, d: Diagnosis, *, offline_shown: bool = False) -> None:
    """Print the report and the masked diffs of the fixes, before they are applied."""
    if out.json_mode:
        return
    render_diagnosis(out, d, offline_shown=offline_shown)
    render_fixes(out, d, diffs=True)


def _summary(out: Output, d: Diagnosis, *, suggest_fix: bool) -> None:
    summary = {0: out.style("healthy", "ok"), 1: out.style("errors remain", "error"),
               3: out.style("only endpoints fail", "warning")}[int(d.exit_code)]
    if d.ping is not None and d.ping.unavailable:
        summary += " (autocomplete unavailable: Codestral is not in this workspace)"
    out.line("")
    _say(out, f"Result: {summary}" + (" (run 'continue-setup doctor --fix' to apply the fixes)"
                                      if suggest_fix and d.fixable else ""))


def render_doctor(out: Output, d: Diagnosis, outcome: FixOutcome | None, *,
                  offline_shown: bool = False) -> None:
    """Show a doctor run: one JSON document, or the report then what --fix did.

    ``offline_shown``: sections 1-4 were printed before the probes (``render_offline``).
    """
    if out.json_mode:
        out.json(doctor_payload(d, outcome))
        return
    previewed = outcome is not None and (outcome.applied or outcome.refused is not None)
    if not previewed:
        render_diagnosis(out, d, offline_shown=offline_shown)
        render_fixes(out, d, diffs=False)
    if outcome is not None and outcome.refused:
        out.warn(f"fixes not applied: {outcome.refused}")
    if outcome is None or not outcome.applied:
        _summary(out, d, suggest_fix=outcome is None)
        return
    out.line("")
    for text in outcome.done:
        _say(out, f"{out.style('✓', 'ok')} {text}")
    after = outcome.after
    assert after is not None
    remaining = after.problems + after.findings
    if remaining:
        out.line("")
        _say(out, out.style("Still to do by hand:", "bold"))
        _findings(out, after.problems, after.loaded or after.location.config_dir)
        _findings(out, after.findings, after.doc.path if after.doc else None)
    for text in after.unfixed:
        _say(out, f"  {out.style('cannot fix:', 'warning')} {text}")
    _summary(out, after, suggest_fix=False)
