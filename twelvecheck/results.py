"""A finished run: findings (sorted), what was suppressed, what was read. Reporters take this."""

from __future__ import annotations

from collections import Counter
import os
from dataclasses import dataclass, field, replace
from typing import Any

from twelvecheck import __version__
from twelvecheck.findings import Finding, at_least


def workspace() -> str:
    """The directory report paths are relative to: the CI checkout (``GITHUB_WORKSPACE``,
    GitLab's ``CI_PROJECT_DIR``) when set, else the working directory."""
    return os.environ.get("GITHUB_WORKSPACE") or os.environ.get("CI_PROJECT_DIR") or os.getcwd()


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
    run: dict[str, Any] | None = None  # verify --run: what the sandboxed run recorded
    fix_proof: dict[str, Any] | None = None  # verify --fix: the rebuild's proof (fix_proof.py)

    @property
    def standing(self) -> list[Finding]:
        """The findings that count: all but those the image refuted."""
        return [finding for finding in self.findings if not finding.refuted]

    @property
    def refuted(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.refuted]

    # Once-per-run notices about checks that could not run (ShellCheck or semgrep missing):
    # said once on stderr, never findings pinned to whichever file came first.
    notices: list[Finding] = field(default_factory=list)
    show_source: bool = False  # text output: the source line under each finding (--show-source)
    texts: dict[str, str] = field(default_factory=dict)  # files read from standard input, by their shown name

    def relative_to(self, base: str) -> Report:
        """The same report with every path relative to ``base`` (the CI workspace or the working
        directory) when the files lie below it: ``audit sub/`` run from the repository root then
        names ``sub/Dockerfile`` in every format, so annotations, SARIF URIs and JUnit names
        point at the right files. Unchanged when ``base`` is the root or does not contain it."""
        root, base = os.path.abspath(self.root), os.path.abspath(base)
        if root == base or os.path.commonpath([root, base]) != base:
            return self
        prefix = os.path.relpath(root, base).replace(os.sep, "/")

        def moved(file: str) -> str:
            if not file or os.path.isabs(file):
                return file
            return prefix if file == "." else f"{prefix}/{file}"

        return replace(self, findings=[replace(f, file=moved(f.file)) for f in self.findings],
                       files=[moved(file) for file in self.files],
                       suppressed=[Suppressed(replace(s.finding, file=moved(s.finding.file)), s.justification)
                                   for s in self.suppressed], root=base,
                       texts={moved(file): text for file, text in self.texts.items()})

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
        if self.run is not None:
            data["run"] = self.run
        if self.fix_proof is not None:
            data["fix_proof"] = self.fix_proof
        return data
