from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule


class UnusedSuppression(Rule):
    """An ignore pragma that silenced nothing.

    ## What it does
    After every rule ran on a file, reports each code, name or alias of a `# twelvecheck
    ignore=…` or `# hadolint ignore=…` pragma that matched no finding, when the rule it names
    ran in this run (a pragma for a rule left out by `--select` is not judged). Off by default:
    turn it on with `extend-select: [TC007]` or `--select all`.

    ## Why is this bad?
    A stale suppression hides the next real problem on that line: the instruction changed,
    the finding went away, the pragma stayed.

    ## Example
    ```dockerfile
    FROM alpine:3.20
    # twelvecheck ignore=DF100
    USER app
    ```

    Use instead:
    ```dockerfile
    FROM alpine:3.20
    USER app
    ```
    """

    code = "TC007"
    name = "unused-suppression"
    severity = "info"
    kind = "any"
    example_config = {"extend_select": ("DF100",)}  # the pragma names DF100: it must run to be judged
    enabled_by_default = False  # opt in (--extend-select TC007, as ruff's RUF100): runs with --select keep working

    def check(self, ctx) -> Iterator[Finding]:
        return iter(())  # the engine reports these once every other rule has run on the file
