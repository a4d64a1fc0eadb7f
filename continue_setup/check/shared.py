"""Keep a run over many files small: one copy of each message its findings repeat."""

from __future__ import annotations

from continue_setup.check.findings import FileReport


def share_messages(reports: list[FileReport], seen: dict[str, str]) -> list[FileReport]:
    """Return ``reports`` with equal finding messages held once (in place); ``seen`` keeps
    the copies, one per run.

    Ten thousand configs repeat a few dozen messages ("this file holds an API key and other
    users may read it ..."): one copy each, not one per file, is ~1 MB less at the peak,
    and a chunk of results sent from a worker pickles each message once.
    """
    for report in reports:
        findings = report.findings
        for index, finding in enumerate(findings):
            message = seen.setdefault(finding.message, finding.message)
            if message is not finding.message:
                findings[index] = finding._replace(message=message)
    return reports
