from __future__ import annotations

import posixpath
from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule
from twelvecheck.rules.dockerfile.env_file_copied_into_image import is_env_file


class EnvFileCommitted(Rule):
    """A `.env` file (real config, not an example) is tracked by git.

    ## What it does
    In a git checkout, reports tracked files named `.env`, `.env.production`, `*.env`…
    (`.env.example`, `.env.sample`, `.env.template` are fine).

    ## Why is this bad?
    Factor III (config): the test is whether the codebase could be made open source at any
    moment without compromising credentials. A committed `.env` puts one environment's config,
    usually with secrets, in every clone and in the history forever.

    ## Example
    ```files
    -- .env --
    TOKEN=abc
    ```

    Use instead:
    ```files
    -- .env.example --
    TOKEN=
    -- .gitignore --
    .env
    ```
    """

    code = "RP002"
    name = "env-file-committed"
    severity = "warning"
    factors = ("III",)
    kind = "repository"

    def check(self, ctx) -> Iterator[Finding]:
        for path in sorted(ctx.tracked or ()):
            if is_env_file(posixpath.basename(path)):
                yield ctx.finding(path, f"{path} is committed to git",
                                  hint="remove it from git (git rm --cached), list it in .gitignore, commit an example instead")
