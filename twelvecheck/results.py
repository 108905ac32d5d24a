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
    # verify: the image's waste ledger, what could not be verified and why, and whether text
    # and HTML list refuted findings (they always stay in JSON and SARIF)
    ledger: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)
    show_refuted: bool = False
    fix_proof: dict[str, Any] | None = None  # verify --fix: the rebuild's proof (fix_proof.py)

    @property
    def standing(self) -> list[Finding]:
        """The findings that count: all but those the image refuted."""
        return [finding for finding in self.findings if not finding.refuted]

    @property
    def refuted(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.refuted]

    def fails(self, threshold: str) -> bool:
        if self.fix_proof is not None and not self.fix_proof["passed"]:
            return True
        return any(at_least(finding.severity, threshold) for finding in self.standing)

    def by_severity(self) -> dict[str, int]:
        return dict(Counter(finding.severity for finding in self.standing))

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "tool": {"name": "twelvecheck", "version": __version__},
            "findings": [finding.as_json() for finding in self.findings],
        }
        if self.factors is not None:
            data["factors"] = self.factors
        data["summary"] = {
            "files": len(self.files),
            "findings": len(self.standing),
            "by_severity": self.by_severity(),
        }
        if self.score is not None:
            data["summary"]["score"] = self.score
        verdicts = Counter(finding.verification for finding in self.findings if finding.verification)
        if verdicts:
            data["summary"]["verification"] = dict(sorted(verdicts.items()))
        if self.ledger is not None:
            data["ledger"] = self.ledger
        if self.notes:
            data["notes"] = list(self.notes)
        if self.fix_proof is not None:
            data["fix_proof"] = self.fix_proof
        return data
