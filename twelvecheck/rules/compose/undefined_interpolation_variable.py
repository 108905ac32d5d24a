from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule


class UndefinedVariable(Rule):
    """`${VAR}` that nothing defines: no default, not in `.env`, not marked required.

    ## What it does
    Reports interpolated variables with no default (`:-`), no required marker (`:?`) and no
    value in the project's `.env` file.

    ## Why is this bad?
    Factor III (config): config comes from the environment, which is right, but compose
    substitutes an empty string for a missing variable and carries on. Say what happens when it
    is missing: `${VAR:?explain}` fails fast, `${VAR:-default}` documents the default.

    ## Example
    ```yaml
    services:
      api:
        image: example/api:${API_VERSION}
    ```

    Use instead:
    ```yaml
    services:
      api:
        image: example/api:${API_VERSION:?set API_VERSION to the release to run}
    ```
    """

    code = "DC023"
    name = "undefined-interpolation-variable"
    severity = "info"
    factors = ("III",)
    kind = "compose"

    def check(self, ctx) -> Iterator[Finding]:
        seen: set[tuple[str, int, int]] = set()
        for ref in ctx.project.variables:
            where = (ref.file, ref.span.line, ref.span.column)
            if ref.defined or ref.has_default or ref.required or where in seen:
                continue
            seen.add(where)
            yield ctx.finding_at(ref.file, ref.span, f"variable {ref.name} is not defined anywhere; compose substitutes an empty string",
                                 hint=f"write ${{{ref.name}:?…}} to fail fast, ${{{ref.name}:-default}}, or define it in .env")
