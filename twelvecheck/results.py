"""A finished run: findings (sorted), what was suppressed, what was read. Reporters take this."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from twelvecheck import __version__
from twelvecheck.findings import Finding, at_least


@dataclass(frozen=True, slots=True)
class Suppressed:
    finding: Finding
    justification: str


@dataclass(slots=True)
class Report:
    findings: list[Finding]
    files: list[str]
    suppressed: list[Suppressed] = field(default_factory=list)
    factors: dict[str, dict[str, Any]] | None = None  # the scorecard (audit, verify)
    root: str = "."
    baselined: int = 0  # findings dropped because a baseline file already records them
    score: int | None = None  # audit: the scorecard's overall percentage
    # Once-per-run notices about checks that could not run (ShellCheck or semgrep missing):
    # said once on stderr, never findings pinned to whichever file came first.
    notices: list[Finding] = field(default_factory=list)

    def fails(self, threshold: str) -> bool:
        return any(at_least(finding.severity, threshold) for finding in self.findings)

    def by_severity(self) -> dict[str, int]:
        return dict(Counter(finding.severity for finding in self.findings))

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "tool": {"name": "twelvecheck", "version": __version__},
            "findings": [finding.as_json() for finding in self.findings],
        }
        if self.factors is not None:
            data["factors"] = self.factors
        data["summary"] = {
            "files": len(self.files),
            "findings": len(self.findings),
            "by_severity": self.by_severity(),
        }
        if self.score is not None:
            data["summary"]["score"] = self.score
        return data
