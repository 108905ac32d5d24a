from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule


class RuleCrashed(Rule):
    """A rule failed on a file: a bug in twelvecheck, reported instead of a traceback.

    ## What it does
    When a rule raises an exception on some input, the engine reports it here and carries on
    with the other rules and files.

    ## Why is this bad?
    The rule did not check this file. Please report the input that triggers it.

    ## Example
    ```text
    an input that makes a rule raise an exception
    ```

    Use instead:
    ```text
    (nothing to change in your file: this is twelvecheck's bug)
    ```
    """

    code = "TC004"
    name = "rule-crashed"
    severity = "error"
    kind = "any"

    def check(self, ctx) -> Iterator[Finding]:
        return iter(())  # the engine reports crashes under this rule's identity
