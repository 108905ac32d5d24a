"""What a check reports: findings with their location, identity, evidence and fix."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from twelvecheck.parse.model import Span

SEVERITIES = ("error", "warning", "info", "style")
VERDICTS = ("confirmed", "refuted", "not-checkable")
SEVERITY_RANK = {name: rank for rank, name in enumerate(reversed(SEVERITIES), start=1)}
FACTORS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
FACTOR_TITLES = dict(zip(FACTORS, (
    "Codebase", "Dependencies", "Config", "Backing services", "Build, release, run", "Processes",
    "Port binding", "Concurrency", "Disposability", "Dev/prod parity", "Logs", "Admin processes",
)))  # as 12factor.net names them


def at_least(severity: str, threshold: str) -> bool:
    """True when ``severity`` is as serious as ``threshold`` or more ('never' matches nothing)."""
    if threshold == "never":
        return False
    return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold]


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text between two positions (1-based, end exclusive) by ``text``."""

    span: Span
    text: str


@dataclass(frozen=True, slots=True)
class Fix:
    description: str
    edits: tuple[Edit, ...]
    safe: bool = True


@dataclass(frozen=True, slots=True)
class Evidence:
    """What a built image showed about a finding. ``data`` holds the contract's keys where they
    apply (DESIGN.md, "Verification"): layer, diff_id, instruction_line, removed_at_line, path,
    bytes, field, value, base."""

    description: str
    data: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"description": self.description, **self.data}


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule yields ``Finding(span, message, hint)``; the engine stamps identity and path.

    Two optional fields serve rules that report for another tool (ShellCheck):
    ``extra_keys`` are more names this finding answers to (``SC2086``): ``--ignore``, the
    configuration's ``ignore`` and inline pragmas match them as they match the rule's code and
    aliases. A ``severity`` set by the rule is the finding's own level (ShellCheck's), kept
    unless the user configured a severity for the rule. ``per_run`` marks a notice about the
    run rather than the file (a tool is missing): it is reported once, on the first file.
    """

    span: Span
    message: str
    hint: str | None = None
    fix: Fix | None = None
    evidence: tuple[Evidence, ...] = ()
    rule: str = ""
    name: str = ""
    severity: str = ""
    factors: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    file: str = ""
    extra_keys: tuple[str, ...] = ()
    per_run: bool = False
    verification: str | None = None  # verify: confirmed, refuted or not-checkable (VERDICTS)
    # What the claim is about, for the rule's own ``verify`` (a path, a variable name); not output.
    subject: str | None = None

    @property
    def refuted(self) -> bool:
        return self.verification == "refuted"

    @property
    def sort_key(self) -> tuple:
        return (self.file, self.span.line, self.span.column, self.rule, self.message)

    def as_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
            "file": self.file,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "factors": list(self.factors),
            "aliases": list(self.aliases),
            **({"verification": self.verification} if self.verification else {}),
            "evidence": [e.as_json() for e in self.evidence],
            "fix": _fix_json(self.fix),
        }


def _fix_json(fix: Fix | None) -> dict[str, Any] | None:
    if fix is None:
        return None
    return {
        "description": fix.description,
        "safe": fix.safe,
        "edits": [
            {
                "line": edit.span.line,
                "column": edit.span.column,
                "end_line": edit.span.end_line,
                "end_column": edit.span.end_column,
                "text": edit.text,
            }
            for edit in fix.edits
        ],
    }
