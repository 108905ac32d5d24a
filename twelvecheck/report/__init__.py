"""Reporters: one module per format, each a ``render(report, color) -> str``; they only render."""

from __future__ import annotations

import importlib
import os

from twelvecheck.findings import Finding
from twelvecheck.results import Report


def render(report: Report, fmt: str, color: bool = False) -> str:
    module = importlib.import_module(f"twelvecheck.report.{fmt}_format")
    return module.render(report, color=color)


def message_with_hint(finding: Finding) -> str:
    """One line for consumers that have a single message field: what is wrong, then what to do."""
    return f"{finding.message} ({finding.hint})" if finding.hint else finding.message


def write_atomic(path: str, text: str) -> None:
    """Write beside the target, then rename: a reader never sees half a report."""
    directory = os.path.dirname(os.path.abspath(path))
    import tempfile  # only when writing a file: it costs ~3 ms of imports (shutil, random)

    handle, temporary = tempfile.mkstemp(prefix=".twelvecheck-", dir=directory)
    try:
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; a report is for others to read
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
