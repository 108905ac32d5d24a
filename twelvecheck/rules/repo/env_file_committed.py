from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule
from twelvecheck.rules.dockerfile.env_file_copied_into_image import is_env_file


class EnvFileCommitted(Rule):
    """A `.env` file (real config, not an example) is tracked by git.

    ## What it does
    In a git checkout, reports tracked files named `.env`, `.env.production`, `*.env`…
    (`.env.example`, `.env.sample`, `.env.template` are fine). A file setting only compose's
    own settings (`COMPOSE_PROJECT_NAME`, `COMPOSE_FILE`, `DOCKER_*`) or holding no assignment at
    all (a patch named `*.env`) is not one environment's config and is not reported.

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
            if is_env_file(posixpath.basename(path)) and _holds_configuration(ctx.root / path):
                yield ctx.finding(path, f"{path} is committed to git",
                                  hint="remove it from git (git rm --cached), list it in .gitignore, commit an example instead")


_ASSIGNMENT = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=")
# Settings of the docker/compose command line itself, not of the application (compose reads
# them from the project's .env: https://docs.docker.com/compose/how-tos/environment-variables/envvars/).
_TOOL_SETTING = re.compile(r"^(COMPOSE_|DOCKER_|BUILDKIT_)")


def _holds_configuration(path) -> bool:
    """The file sets at least one application variable: not a patch or diff that happens to be
    named ``*.env``, nor a ``.env`` holding only compose settings (``COMPOSE_PROJECT_NAME``).
    Unreadable files count (they cannot be cleared)."""
    from twelvecheck.files import read_text

    text = read_text(str(path))
    if not isinstance(text, str):
        return True
    names = [match.group(1) for line in text.splitlines() if (match := _ASSIGNMENT.match(line))]
    return any(not _TOOL_SETTING.match(name) for name in names)
