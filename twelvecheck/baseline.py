"""Baselines: adopt twelvecheck on an old repository by recording today's findings once and
reporting only new ones afterwards.

Findings are matched by the same fingerprints SARIF and GitLab get, so moving code around does
not resurrect a baselined finding while editing a flagged line does. The file is JSON listing
each recorded finding with where it was, so a reviewer can read what was accepted.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace

from twelvecheck.config import ConfigError
from twelvecheck.fingerprint import SARIF_KEY, fingerprints
from twelvecheck.results import Report
from twelvecheck.sources import Sources


MAX_BASELINE_BYTES = 256 * 1024 * 1024


def apply_baseline(report: Report, path: str) -> Report:
    """Record ``report`` in a new baseline at ``path``, or drop the findings an existing one holds."""
    prints = fingerprints(report.findings, Sources(report.root, report.texts))
    if not os.path.exists(path):
        _write(report, prints, path)
        return report
    known = _read(path)
    kept = [finding for finding, fingerprint in zip(report.findings, prints) if fingerprint not in known]
    return replace(report, findings=kept, baselined=len(report.findings) - len(kept))


def _write(report: Report, prints: list[str], path: str) -> None:
    from twelvecheck.report import write_atomic

    entries = [{"fingerprint": fingerprint, "rule": f.rule, "file": f.file, "line": f.span.line, "message": f.message}
               for f, fingerprint in zip(report.findings, prints)]
    try:
        write_atomic(path, json.dumps({"fingerprints": SARIF_KEY, "findings": entries}, indent=2, ensure_ascii=False) + "\n")
    except OSError as error:  # a read-only checkout, a missing directory: exit 2 naming the file
        raise ConfigError(f"cannot write baseline {path}: {error.strerror or error}") from error


def _read(path: str) -> set[str]:
    from twelvecheck.files import Unreadable, read_bytes

    raw = read_bytes(path, MAX_BASELINE_BYTES)  # a regular file only: a FIFO must not hang the run
    if isinstance(raw, Unreadable):
        raise ConfigError(f"baseline {path}: {raw.reason}")
    try:
        data = json.loads(raw.decode("utf-8"))
        recipe = data["fingerprints"]
        known = {entry["fingerprint"] for entry in data["findings"]}
    except (ValueError, KeyError, TypeError, RecursionError) as error:
        raise ConfigError(f"baseline {path} is not a twelvecheck baseline: {error}") from error
    if recipe != SARIF_KEY:
        raise ConfigError(f"baseline {path} was made with fingerprints {recipe!r}, not {SARIF_KEY!r}; "
                          "delete it to record a new one")
    return known
