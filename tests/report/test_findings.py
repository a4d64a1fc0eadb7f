"""Findings print in one clickable form: ``path:line:col: severity code message``."""

from __future__ import annotations

from pathlib import Path

from continue_setup.check.findings import Finding
from continue_setup.report import Output
from continue_setup.report.findings import finding_lines


def test_a_placed_finding_reads_as_compilers_print_it(tmp_path: Path) -> None:
    """Path, line and column first, then severity, code and message; the hint indented below."""
    finding = Finding("error", "placeholder-key", "/models/0/apiKey", "the apiKey is a "
                      "placeholder", "Write your Langdock key.", 7, 5)
    lines = finding_lines(Output(color=False), tmp_path / "config.json", finding)
    assert lines == [f"{tmp_path / 'config.json'}:7:5: error placeholder-key the apiKey is a "
                     "placeholder (at /models/0/apiKey)",
                     "    hint: Write your Langdock key."]


def test_an_unplaced_finding_keeps_the_path_and_drops_line_and_column(tmp_path: Path) -> None:
    """Without a line the path alone leads; without a hint there is no second line."""
    finding = Finding("warning", "default-config", "", "Continue's untouched default")
    assert finding_lines(Output(color=False), tmp_path / "x.yaml", finding) == [
        f"{tmp_path / 'x.yaml'}: warning default-config Continue's untouched default"]
