"""JSON output, exactly the contract in DESIGN.md."""

from __future__ import annotations

import json

from twelvecheck.report._escape import json_safe
from twelvecheck.results import Report


def render(report: Report, color: bool = False) -> str:
    return json_safe(json.dumps(report.as_json(), indent=2, ensure_ascii=False)) + "\n"
