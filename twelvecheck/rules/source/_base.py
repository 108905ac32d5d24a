"""The shape of an AP rule: its findings come from one semgrep run over all application files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from twelvecheck.findings import Finding
from twelvecheck.rules._test_code import is_test_or_tooling
from twelvecheck.rules.base import Rule
from twelvecheck.rules.source._context import SourceContext


class SemgrepRule(Rule):
    """Reports the semgrep matches of the rules in ``ruleset`` (one YAML file, one code)."""

    kind = "source"
    ruleset: ClassVar[Path]
    hint: ClassVar[str | None] = None
    skips_test_code: ClassVar[bool] = False  # metadata.skip-test-code: fixtures hold fake secrets on purpose

    def check(self, ctx: SourceContext) -> Iterator[Finding]:
        if self.skips_test_code and is_test_or_tooling(ctx.path.replace("\\", "/")):
            return
        for match in ctx.matches:
            if match.code == self.code:
                yield Finding(match.span, match.message, hint=self.hint)
