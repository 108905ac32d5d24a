from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.parse.model import Span
from twelvecheck.rules.base import Rule

# Names that must not reach a build context: env files, keys, VCS metadata, cloud credentials.
SENSITIVE = (".env", ".env.*", "*.pem", "*.key", "id_rsa", "id_ed25519", ".git", ".aws", ".ssh", ".npmrc", ".pypirc",
             ".netrc", "*.p12", "*.pfx", "credentials.json", "secrets.*")
HARMLESS_SUFFIXES = (".example", ".sample", ".template", ".dist", ".tpl", ".defaults")


class DockerignoreAdmitsSecrets(Rule):
    """The `.dockerignore` lets `.env`, keys or `.git` present in the context into the build.

    ## What it does
    Looks at the files actually in the build context directory (`.env`, `.env.*`, `*.pem`,
    `*.key`, `id_rsa`, `.git`, `.aws`, `.npmrc`…) and reports those the patterns do not exclude.
    Only a directory some build uses as its context is judged: one with a Dockerfile in it (or
    up to two levels below), or named as `build` context by a compose file beside or above it.

    ## Why is this bad?
    Factor III (config): what is in the context can end up in a layer through `COPY . .`, and
    is sent to the builder either way. A `.env` or a key in the image ships secrets to everyone
    who pulls it; `.git` carries the whole history, deleted secrets included.

    ## Example
    ```files
    -- .dockerignore --
    node_modules
    -- Dockerfile --
    FROM node:22-slim
    -- .env --
    TOKEN=abc
    -- .git/HEAD --
    ref: refs/heads/main
    ```

    Use instead:
    ```files
    -- .dockerignore --
    node_modules
    .git
    .env
    .env.*
    !.env.example
    -- .env --
    TOKEN=abc
    -- .env.example --
    TOKEN=
    -- .git/HEAD --
    ref: refs/heads/main
    ```
    """

    code = "DI001"
    name = "dockerignore-admits-secrets"
    severity = "warning"
    factors = ("III",)
    kind = "dockerignore"

    def check(self, ctx) -> Iterator[Finding]:
        if not ctx.used_as_build_context:
            return
        admitted = [name for name in ctx.top_level_names
                    if any(fnmatch.fnmatchcase(name, pattern) for pattern in SENSITIVE)
                    and not name.endswith(HARMLESS_SUFFIXES) and not ctx.dockerignore.excludes(name)]
        if admitted:
            yield Finding(Span(1, 1, 1, 2), f".dockerignore lets {', '.join(admitted)} into the build context",
                          hint=f"add {', '.join(admitted)} to .dockerignore")
