from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.parse.model import Span
from twelvecheck.rules.base import Rule


class SourceChecksSkipped(Rule):
    """Application source was not checked because semgrep is missing or failed.

    ## What it does
    Reports once per run, on the first application file, that the AP rules did not run, and why:
    semgrep is not installed, or it exited with an error.

    ## Why is this bad?
    Half of the twelve factors live in application code (config literals, hard-coded hosts and
    ports, file logs). Without semgrep those checks are silently absent; this notice makes the
    gap visible without failing the run.

    ## Example
    ```text
    twelvecheck lint app.py   # on a machine without semgrep
    ```

    Use instead:
    ```text
    pip install 'twelvecheck[semgrep]' && twelvecheck lint app.py
    ```
    """

    code = "TC005"
    name = "source-checks-skipped"
    severity = "info"
    kind = "source"

    def check(self, ctx) -> Iterator[Finding]:
        if ctx.notice:
            yield Finding(Span.point(1), ctx.notice, hint="install semgrep: pip install 'twelvecheck[semgrep]'",
                          per_run=True)
