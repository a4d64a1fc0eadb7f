"""Findings in one clickable form, as ruff and compilers print them.

``path:line:col: severity code message``, the hint on the next line, indented. Editors'
terminals open ``path:line:col`` at the place; validate, doctor, ping and migrate share it.
"""

from __future__ import annotations

from continue_setup.report import Output, display_path

TYPE_CHECKING = False  # typing stays unimported at run time (records.py)
if TYPE_CHECKING:
    from continue_setup.check.findings import Finding
    from continue_setup.config.paths import StrPath


def location(path: StrPath | None, finding: Finding) -> str:
    """Return ``path:line:col`` for whatever parts are known."""
    place = display_path(path) if path is not None else "-"
    if finding.line is not None:
        place += f":{finding.line}"
        if finding.column is not None:
            place += f":{finding.column}"
    return place


def finding_lines(out: Output, path: StrPath | None, finding: Finding,
                  indent: str = "") -> list[str]:
    """Return a finding's line (its JSON pointer after the message) and its hint's line."""
    pointer = f" (at {finding.pointer})" if finding.pointer else ""
    lines = [f"{indent}{location(path, finding)}: "
             f"{out.style(finding.severity, finding.severity)} "
             f"{out.style(finding.code, 'dim')} {finding.message}{pointer}"]
    if finding.hint:
        lines.append(f"{indent}    {out.style('hint:', 'dim')} {finding.hint}")
    return lines
