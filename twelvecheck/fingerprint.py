"""Fingerprints that identify a finding across runs: SARIF, GitLab Code Quality, baselines.

A finding is keyed by what it flags, not by where it is: its rule, its file, the flagged source
lines with whitespace collapsed, and its index among findings that share all three (two identical
``RUN apt-get update`` lines stay distinct). Inserting or deleting an unrelated line above keeps
the fingerprint; editing the flagged line makes it a new finding, which is what a baseline wants.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence

from twelvecheck.findings import Finding
from twelvecheck.sources import Sources

SARIF_KEY = "twelvecheck/v1"  # the partialFingerprints key; bump when the recipe changes


def _flagged_text(finding: Finding, sources: Sources) -> str:
    text = sources.text(finding.file, finding.span.line, finding.span.end_line)
    return " ".join(text.split())


def fingerprints(findings: Sequence[Finding], sources: Sources) -> list[str]:
    """One fingerprint per finding, in order (findings arrive sorted, so indices are stable)."""
    seen: Counter[tuple[str, str, str]] = Counter()
    result = []
    for finding in findings:
        key = (finding.rule, finding.file.replace("\\", "/"), _flagged_text(finding, sources))
        occurrence = seen[key]
        seen[key] += 1
        digest = hashlib.sha256("\0".join((*key, str(occurrence))).encode("utf-8"))
        result.append(digest.hexdigest()[:32])
    return result
