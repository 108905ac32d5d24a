"""Reporters: one module per format, each a ``render(report, color) -> str``; they only render."""

from __future__ import annotations

import importlib

from twelvecheck.findings import Finding
from twelvecheck.results import Report


def render(report: Report, fmt: str, color: bool = False) -> str:
    module = importlib.import_module(f"twelvecheck.report.{fmt}_format")
    return module.render(report, color=color)


def message_with_hint(finding: Finding) -> str:
    """One line for consumers that have a single message field: what is wrong, then what to do."""
    return f"{finding.message} ({finding.hint})" if finding.hint else finding.message


def write_atomic(path: str, text: str) -> None:
    """Write a report to ``path`` as twelvecheck/outputs.py describes: atomically beside a regular
    file (or a symlink's target), in place into a device or FIFO; OutputError names the path."""
    from twelvecheck.outputs import write_output

    data = text.encode("utf-8")
    write_output(path, lambda stream: stream.write(data))
