"""The shape of an AP rule: its findings come from one semgrep run over all application files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule
from twelvecheck.rules.source._context import SourceContext


class SemgrepRule(Rule):
    """Reports the semgrep matches of the rules in ``ruleset`` (one YAML file, one code)."""

    kind = "source"
    ruleset: ClassVar[Path]
    hint: ClassVar[str | None] = None

    def check(self, ctx: SourceContext) -> Iterator[Finding]:
        for match in ctx.matches:
            if match.code == self.code:
                yield Finding(match.span, match.message, hint=self.hint)
