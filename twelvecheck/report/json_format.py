"""JSON output, exactly the contract in DESIGN.md."""

from __future__ import annotations

from twelvecheck.report._escape import json_safe
from twelvecheck.report._json_text import dumps_indented
from twelvecheck.results import Report


def render(report: Report, color: bool = False) -> str:
    return json_safe(dumps_indented(report.as_json())) + "\n"
