"""Checkstyle XML, read by Jenkins warnings-ng, reviewdog, SonarQube and many CI dashboards.

Every linted file gets a ``<file>`` element (a clean one is empty, as Checkstyle writes it);
``source`` names the rule the way Checkstyle names its checks.
"""

from __future__ import annotations

from twelvecheck.report import message_with_hint
from twelvecheck.report._xml import element, serialize
from twelvecheck.results import Report

SEVERITIES = {"error": "error", "warning": "warning", "info": "info", "style": "info"}


def render(report: Report, color: bool = False) -> str:
    root = element(None, "checkstyle", version="4.3")
    files = {name: element(root, "file", name=name) for name in report.files}
    for finding in report.standing:  # refuted by the image (verify): not an alert
        if finding.file not in files:
            files[finding.file] = element(root, "file", name=finding.file)
        element(files[finding.file], "error", line=finding.span.line, column=finding.span.column,
                severity=SEVERITIES[finding.severity], message=message_with_hint(finding),
                source=f"twelvecheck.{finding.rule}.{finding.name}")
    return serialize(root)
