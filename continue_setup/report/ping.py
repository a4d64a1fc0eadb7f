"""Render smoke-test verdicts and model lists: a table for people, one JSON document for scripts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from continue_setup.report import Output, display_path
from continue_setup.report.layout import shorten, width_of, wrap

if TYPE_CHECKING:
    from continue_setup.check.findings import Finding
    from continue_setup.probe.modellists import ModelList
    from continue_setup.probe.probes import PingReport, ProbeResult

_STYLE = {"ok": "ok", "model_unavailable": "warning", "rate_limited": "warning"}
HEADER = ("ENTRY", "ROUTE", "STATUS", "MS", "VERDICT", "HINT")


def _route(url: str) -> str:
    return urlsplit(url).path or url


_CLIENTS = {"ide": " (IDE)", "cn": " (cn)"}


def _cells(result: ProbeResult) -> tuple[str, ...]:
    return (result.title + _CLIENTS.get(result.client, ""), _route(result.url),
            "-" if result.status is None else str(result.status),
            "-" if result.latency_ms is None else str(result.latency_ms), result.category,
            result.hint)


def table_lines(out: Output, results: list[ProbeResult], width: int | None = None) -> list[str]:
    """Return the verdict table: one row per probe, the server's message under a failure.

    With a ``width`` (the terminal's), no line is longer: entry and route are shortened
    with …, and hints that do not fit at the end of their rows go under them, wrapped.
    """
    rows = [_cells(r) for r in results]
    widths = [max(len(row[i]) for row in [HEADER, *rows]) for i in range(5)]
    if width is not None:
        _narrow(widths, width)
    base = sum(widths) + 2 * 5  # the five columns and their gaps, before the hint
    hints_under = width is not None and any(base + len(row[5]) > width for row in rows
                                            if row[5])
    head = "  ".join(h.ljust(w) if i != 2 and i != 3 else h.rjust(w)
                     for i, (h, w) in enumerate(zip(HEADER[:5], widths, strict=True)))
    fits = width is None or base + len(HEADER[5]) <= width
    lines = [head.rstrip() if hints_under or not fits else head + "  " + HEADER[5]]
    indent = min(widths[0] + 2, 4 if hints_under else widths[0] + 2)
    for result, row in zip(results, rows, strict=True):
        cells = [shorten(row[0], widths[0]).ljust(widths[0]),
                 shorten(row[1], widths[1], keep_end=True).ljust(widths[1]),
                 row[2].rjust(widths[2]), row[3].rjust(widths[3]),
                 out.style(row[4].ljust(widths[4]), _STYLE.get(result.category, "error"))]
        lines.append(("  ".join(cells) + ("" if hints_under else "  " + row[5])).rstrip())
        if result.message and not result.ok:
            lines += wrap(result.message, width, indent=indent + 2,
                          first=" " * indent + out.style("↳ ", "dim"))
        if hints_under and row[5]:
            lines += wrap(row[5], width, indent=indent + 6,
                          first=" " * indent + out.style("hint: ", "dim"))
    return lines


def _narrow(widths: list[int], width: int) -> None:
    """Shrink the wider of entry and route, a column at a time, until the five fit ``width``
    (each keeps at least 12 characters)."""
    for _ in range(max(sum(widths) + 2 * 4 - width, 0)):
        column = 0 if widths[0] >= widths[1] else 1
        if widths[column] <= 12:
            column = 1 - column
            if widths[column] <= 12:
                return  # as narrow as it reads: the terminal is too small for the table
        widths[column] -= 1


def render_problems(out: Output, problems: list[Finding], *, config: Path | None,
                    report: PingReport | None = None) -> None:
    """Show the errors that leave Continue nothing to talk to, as validate and doctor do."""
    if out.json_mode:
        payload = report.to_dict() if report is not None else {"ok": False, "results": []}
        payload["ok"] = False
        if config is not None:
            payload["path"] = str(config)
        payload["findings"] = [{"severity": f.severity, "code": f.code, "pointer": f.pointer,
                                "line": f.line, "column": f.column, "message": f.message,
                                "hint": f.hint} for f in problems]
        out.json(payload)
        return
    from continue_setup.report.findings import finding_lines

    for finding in problems:
        out.raw("\n".join(finding_lines(out, config, finding)))


_NAMES = {"ide": "the IDE extension (VS Code, JetBrains)", "cn": "cn (Continue's CLI)"}


def client_lines(results: list[ProbeResult]) -> list[str]:
    """Say, for each entry probed once per client, which client fails when only one does."""
    lines = []
    for title in dict.fromkeys(r.title for r in results if r.client):
        verdicts = {r.client: r for r in results if r.title == title and r.client}
        failing = [c for c, r in verdicts.items() if not r.ok]
        if len(failing) == 1 and len(verdicts) == 2:
            works = next(c for c in verdicts if c not in failing)
            lines.append(f"{title}: fails in {_NAMES[failing[0]]} "
                         f"({verdicts[failing[0]].category}) but works in {_NAMES[works]}")
    return lines


def render_ping_start(out: Output, count: int, *, config: Path | None = None,
                      problems: list[Finding] | None = None) -> None:
    """Show what is wrong with the config and what will be probed, before probing (text)."""
    if out.json_mode:
        return
    if problems:
        render_problems(out, problems, config=config)
    if config is not None and not out.quiet:
        for line in wrap(f"Probing {count} entr{'y' if count == 1 else 'ies'} of "
                         f"{display_path(config)} as Continue calls them:",
                         width_of(out.stdout), indent=2):
            out.line(line)
        out.stdout.flush()  # seen before the probes, also when stdout is a pipe


def render_ping(out: Output, report: PingReport, *, config: Path | None = None,
                problems: list[Finding] | None = None, started: bool = False) -> None:
    """Show every verdict; on --quiet, show only the failures (and nothing when all pass).

    ``started``: ``render_ping_start`` already showed the problems and the header.
    """
    if problems and out.json_mode:
        render_problems(out, problems, config=config, report=report)
        return
    if started and not out.json_mode:
        config, problems = None, None
    if problems:
        render_problems(out, problems, config=config)
    if out.json_mode:
        payload = report.to_dict()
        if config is not None:
            payload["path"] = str(config)
        out.json(payload)
        return
    failed = [r for r in report.results if not r.ok]
    if out.quiet:
        if failed:
            out.raw("\n".join(table_lines(out, failed, width_of(out.stdout))))
        return
    if config is not None:
        out.line(f"Probing {len(report.results)} entr{'y' if len(report.results) == 1 else 'ies'}"
                 f" of {display_path(config)} as Continue calls them:")
    for line in table_lines(out, report.results, width_of(out.stdout)):
        out.line(line)
    for skipped in report.skipped:
        out.note(f"skipped {skipped.title}: {skipped.reason}")
    for note in report.notes:
        out.warn(note)
    for line in client_lines(report.results):
        out.warn(line)
    if out.debug:
        for result in report.results:
            out.note(f"{result.title}: POST {result.url} ({result.kind}, "
                     f"{result.attempts} attempt(s))")
    passed = len(report.results) - len(failed)
    mark = out.style("✓", "ok") if report.ok else out.style("✗", "error")
    unavailable = (f"; autocomplete unavailable ({len(report.unavailable)})"
                   if report.unavailable else "")
    out.line(f"{mark} {passed} of {len(report.results)} passed{unavailable}")


def _knows(row: dict[str, Any]) -> str:
    seen = row["continue"]
    context = seen["contextLength"]
    return (f"tools {'yes' if seen['tools'] else 'no'}, images {'yes' if seen['images'] else 'no'}"
            f", context {context if context else '32768 unless Continue knows the id'}")


def render_models(out: Output, lists: list[ModelList], *, region: str, base_url: str,
                  rows: list[dict[str, Any]] | None = None) -> None:
    """Show the model ids each route lists (configured or not, what Continue knows of
    each without metadata), or why a route could not list them."""
    rows = rows or []
    if out.json_mode:
        out.json({"ok": all(m.ok for m in lists), "region": region, "base_url": base_url,
                  "routes": [m.to_dict() for m in lists], "models": rows})
        return
    by_id = {(row["route"], row["id"]): row for row in rows}
    columns = width_of(out.stdout)

    def say(text: str, indent: int = 4, *, failure: bool = False) -> None:
        for line in wrap(text, columns, indent=indent):  # under the row, not by the terminal
            if failure:
                out.raw(line)  # shown with --quiet too, as every failure is
            else:
                out.line(line)

    for listing in lists:
        if not listing.ok:
            status = "-" if listing.status is None else str(listing.status)
            say(f"{listing.route}: {out.style(listing.category, 'error')} ({status}) "
                f"{listing.url}", indent=2, failure=True)
            say(f"  ↳ {listing.message}", failure=True)
            say(f"  hint: {listing.hint}", failure=True)
            continue
        say(f"{out.style(listing.route, 'bold')} ({len(listing.models)} models, "
            f"{listing.url}):", indent=2)
        width = max((len(m) for m in listing.models), default=0)
        for model in listing.models:
            row = by_id.get((listing.route, model))
            if row is None:
                say(f"  {model}")
                continue
            mark = out.style("configured", "ok") if row["configured"] else " " * 10
            say(f"  {model:<{width}}  {mark}  Continue alone: {_knows(row)}", indent=width + 16)
    if any(m.route == "openai" for m in lists):
        out.note("Langdock lists no models for the Mistral (Codestral) route; its page currently "
                 "says no Mistral models are available.")
