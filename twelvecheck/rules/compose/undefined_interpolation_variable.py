from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule


class UndefinedVariable(Rule):
    """`${VAR}` that nothing defines: no default, not in `.env`, not marked required.

    ## What it does
    Reports interpolated variables that nothing defines: not the project's `.env`, not an
    example env file beside the compose file (`.env.example`, `env.example`, `.env.sample`,
    `.env.dist`…, which document what the deploy sets). A variable is reported once per project,
    at its first use, and not at all when one of its uses gives a default (`${VAR:-d}`,
    `${VAR-d}`) or a required marker (`${VAR:?err}`): the project has said what it expects.

    Compose files for development or tests, by their name or a directory (`docker/devenv/`,
    `docker-compose.dev.yml`, `tests/compose.ci.yaml`, `e2e/testdata/`), are not reported:
    the scripts that start them export their variables, and no deploy reads them.

    When the empty string makes the file invalid (`ports: ["${PORT}:80"]` reads as
    `invalid port ''`, an empty `container_name`), that is reported here, with the variable,
    rather than as a parse error: the file is fine once its variables are set.

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
        if ctx.is_development_file:
            return
        refs = ctx.project.variables
        handled = {ref.name for ref in refs if ref.defined or ref.has_default or ref.required} | ctx.documented_variables
        breaks = ctx.errors_from_unset_variables
        for ref in refs:
            if ref.name in handled:
                continue
            handled.add(ref.name)  # once per project, at its first use
            consequence = f", which the file does not accept ({breaks[ref.name]})" if ref.name in breaks else ""
            yield ctx.finding_at(ref.file, ref.span,
                                 f"variable {ref.name} is not defined anywhere; compose substitutes an empty string{consequence}",
                                 hint=f"write ${{{ref.name}:?…}} to fail fast, ${{{ref.name}:-default}}, or define it in .env")
