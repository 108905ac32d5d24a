from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule


class InvalidPragma(Rule):
    """A suppression comment that cannot be understood or names an unknown rule.

    ## What it does
    Checks `# twelvecheck ignore=…`, `# hadolint ignore=…` and BuildKit's `# check=skip=…`
    comments: each must list known rule codes, names or aliases separated by commas. With the
    `require_reason` option (`--require-reason`, or `require-reason: true` in the
    configuration) a pragma must also say why, after two dashes.

    ## Why is this bad?
    A misspelt suppression silences nothing, so the finding it meant to silence comes back, or
    worse, a typo hides that the suppression is stale.

    ## Example
    ```dockerfile
    FROM alpine:3.20
    # twelvecheck ignore DF001
    RUN echo hello
    ```

    Use instead:
    ```dockerfile
    FROM alpine:3.20
    # twelvecheck ignore=DF001
    RUN echo hello
    ```
    """

    code = "TC002"
    name = "invalid-pragma"
    severity = "warning"
    kind = "any"

    options = {"require_reason": False}

    def check(self, ctx) -> Iterator[Finding]:
        for problem in ctx.pragma_problems:
            yield Finding(problem.span, problem.message, file=problem.file,
                          hint="write 'ignore=CODE[,CODE…]' with known codes, names or aliases")
        if self.config.get("require_reason"):
            for pragma in ctx.suppressions.pragmas:
                if not pragma.reason:
                    yield Finding(pragma.span, f"suppression of {', '.join(pragma.keys)} gives no reason",
                                  hint="say why after two dashes: # twelvecheck ignore=DF012 -- runs as root by design")
