"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` annotation per finding.

Escaping follows GitHub's toolkit (``@actions/core`` ``command.ts``): in the message ``%``, CR
and LF are percent-encoded; in property values ``:`` and ``,`` are too, since they delimit the
properties.
"""

from __future__ import annotations

from twelvecheck.report import message_with_hint
from twelvecheck.report._escape import terminal_safe
from twelvecheck.results import Report

COMMANDS = {"error": "error", "warning": "warning", "info": "notice", "style": "notice"}
REPOSITORY = "."  # a finding about the repository as a whole: annotated on the run, not on a file


def escape_data(text: str) -> str:
    """Percent-encoding for the command (CR and LF, so no line starts a forged command); other
    control characters (escape sequences the log viewer would interpret) are made visible."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return terminal_safe(text)


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report, color: bool = False) -> str:
    lines = []
    for finding in report.standing:  # refuted by the image (verify): not an alert
        span = finding.span
        properties = {} if finding.file == REPOSITORY else {
            "file": finding.file, "line": span.line, "col": span.column,
            "endLine": span.end_line, "endColumn": span.end_column,
        }
        properties["title"] = f"{finding.rule} {finding.name}"
        joined = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
        lines.append(f"::{COMMANDS[finding.severity]} {joined}::{escape_data(message_with_hint(finding))}")
    return "".join(line + "\n" for line in lines)
