from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._fixes import option_fix
from twelvecheck.rules.shell._base import ShellRule


NPM = frozenset({"npm"})


class NpmCacheCleanWithoutForce(ShellRule):
    """`npm cache clean` without `--force`.

    ## What it does
    Flags `npm cache clean` without `--force` (`-f`).

    ## Why is this bad?
    Since npm 5 `npm cache clean` refuses to run without `--force` and exits with an error: the
    step fails, or, behind `|| true`, cleans nothing.

    ## Example
    ```dockerfile
    FROM node:22-slim
    RUN npm ci --omit=dev && npm cache clean
    ```

    Use instead:
    ```dockerfile
    FROM node:22-slim
    RUN npm ci --omit=dev && npm cache clean --force
    ```

    ## Fix safety
    Safe: without `--force` npm 5 and later refuse to clean; with it the cache is emptied, as the
    command meant.

    ## References
    - binnacle rule `npmCacheCleanUseForce` (Henkel et al., ICSE 2020)
    """

    code = "SH043"
    name = "npm-cache-clean-without-force"
    severity = "warning"
    aliases = {"binnacle": ("npmCacheCleanUseForce",)}
    fixable = True

    def check_script(self, ctx, run) -> Iterator[Finding]:
        for command in run.commands_named(NPM):
            npm = run.invocation(command)
            if npm is not None and npm.cleans_cache and not npm.has("force"):
                yield Finding(run.command_span(command), "npm cache clean without --force fails on npm 5 and later",
                              hint="npm cache clean --force",
                              fix=option_fix(run, command, "--force", frozenset({"clean"})))
