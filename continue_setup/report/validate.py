"""Render a ``validate`` run: text grouped by file, errors first, or one JSON document."""

from __future__ import annotations

from collections.abc import Iterator

from continue_setup.check.findings import FileReport, Finding
from continue_setup.check.validate import ValidationRun
from continue_setup.report import Output, display_path
from continue_setup.report.findings import finding_lines

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from typing import Any

_BATCH = 100  # file objects built, encoded and written at a time


def finding_dict(finding: Finding) -> dict[str, Any]:
    """Return the JSON form of a finding, keys in the documented order."""
    return {
        "severity": finding.severity,
        "code": finding.code,
        "pointer": finding.pointer,
        "line": finding.line,
        "column": finding.column,
        "message": finding.message,
        "hint": finding.hint,
    }


def file_dict(report: FileReport, *, strict: bool) -> dict[str, Any]:
    """Return the JSON form of one file's report."""
    return {
        "path": str(report.path),
        "format": report.format,
        "loaded_by_continue": report.loaded_by_continue,
        "valid": report.valid(strict=strict),
        "findings": [finding_dict(f) for f in report.findings],
    }


def summary(run: ValidationRun) -> dict[str, Any]:
    """Return the run's totals: files, valid, invalid, unreadable, errors, warnings, codes."""
    valid = errors = warnings = unreadable = 0
    for report in run.reports:  # one pass: a tree of configs may hold thousands
        errors_here, warnings_here = report.tally()
        valid += report.valid(strict=run.strict)
        errors += errors_here
        warnings += warnings_here
        unreadable += report.unreadable
    files = len(run.reports)
    return {
        "files": files,
        "valid": valid,
        "invalid": files - valid,
        "unreadable": unreadable,
        "errors": errors,
        "warnings": warnings,
        "by_code": run.counts(),
    }


def payload(run: ValidationRun) -> dict[str, Any]:
    """Return the run as the documented JSON document (plus a summary for many files)."""
    return _document(run, [file_dict(report, strict=run.strict) for report in run.reports])


def _document(run: ValidationRun, files: Any) -> dict[str, Any]:
    return {
        "files": files,
        "valid": run.valid,
        "strict": run.strict,
        "config_dir": str(run.config_dir.path),
        "summary": summary(run),
    }


def streamed_payload(run: ValidationRun) -> dict[str, Any]:
    """Return ``payload(run)`` with its files as a ``JsonItems``: each batch of file
    objects is built, written and dropped in turn (10,000 files: ~15 MB less at the peak).
    """
    from continue_setup.report.jsonstream import JsonItems

    def batches() -> Iterator[list[dict[str, Any]]]:
        reports, strict = run.reports, run.strict
        for start in range(0, len(reports), _BATCH):
            yield [file_dict(report, strict=strict) for report in reports[start:start + _BATCH]]

    return _document(run, JsonItems(batches))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _file(out: Output, report: FileReport, strict: bool, emit: Any) -> None:
    shown = (
        report.findings
        if not out.quiet
        else [f for f in report.findings if f.severity == "error" or strict]
    )
    path = display_path(report.path)
    loaded = "; Continue loads this file" if report.loaded_by_continue else ""
    if report.valid(strict=strict) and not report.findings:
        emit(f"{out.style('✓', 'ok')} {path} ({report.format}{loaded}): valid")
        return
    mark = out.style("✓", "ok") if report.valid(strict=strict) else out.style("✗", "error")
    counts = ", ".join(
        _plural(n, w)
        for n, w in zip(report.tally(), ("error", "warning"), strict=True)
        if n
    )
    emit(f"{mark} {out.style(path, 'bold')} ({report.format}{loaded}): {counts}")
    for finding in shown:
        for line in finding_lines(out, report.path, finding, indent="  "):
            emit(line)


def render_validate(out: Output, run: ValidationRun) -> None:
    """Show the run: JSON in --json mode, else each file's findings and a summary line."""
    if out.json_mode:
        out.json(streamed_payload(run))
        return
    if out.quiet:
        for report in run.reports:
            if not report.valid(strict=run.strict):
                _file(out, report, run.strict, out.raw)
        return
    if run.default_mode and run.reports:
        out.line(
            f"Continue loads {display_path(run.reports[0].path)} (config directory from "
            f"{run.config_dir.source})."
        )
    for report in run.reports:
        _file(out, report, run.strict, out.line)
    totals = summary(run)
    if len(run.reports) > 1:
        text = (
            f"{_plural(totals['files'], 'file')}: {totals['valid']} valid, "
            f"{totals['invalid']} invalid ({_plural(totals['errors'], 'error')}, "
            f"{_plural(totals['warnings'], 'warning')})"
        )
        out.line(out.style(text, "bold"))
    if run.strict and not run.valid and not totals["errors"]:
        out.line("--strict: warnings count as errors")
