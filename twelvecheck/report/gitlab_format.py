"""GitLab Code Quality report (the ``codequality`` artifact): a JSON array of issues.

GitLab reads ``description``, ``check_name``, ``fingerprint`` (it matches issues between the
merge request and its target branch, so it must be stable: the shared fingerprint),
``severity`` (info, minor, major, critical, blocker) and ``location.path`` / ``location.lines.begin``.
"""

from __future__ import annotations


from twelvecheck.fingerprint import fingerprints
from twelvecheck.report import message_with_hint
from twelvecheck.report._escape import json_safe
from twelvecheck.report._json_text import dumps_indented
from twelvecheck.results import Report
from twelvecheck.sources import Sources

# Nothing maps to "blocker": GitLab reserves it for what must stop a merge outright.
SEVERITIES = {"error": "critical", "warning": "major", "info": "minor", "style": "info"}


def render(report: Report, color: bool = False) -> str:
    prints = fingerprints(report.findings, Sources(report.root, report.texts))
    issues = [
        {
            "type": "issue",
            "engine_name": "twelvecheck",
            "check_name": f"{finding.rule} {finding.name}",
            "description": message_with_hint(finding),
            "fingerprint": fingerprint,
            "severity": SEVERITIES[finding.severity],
            "location": {"path": finding.file.replace("\\", "/"),
                         "lines": {"begin": finding.span.line, "end": finding.span.end_line}},
        }
        for finding, fingerprint in zip(report.findings, prints)
        if not finding.refuted  # refuted by the image (verify): not an issue
    ]
    return json_safe(dumps_indented(issues)) + "\n"
