from __future__ import annotations

import os
from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import InstructionRule

ENV_FILE_NAMES = (".env", ".env.local", ".env.production", ".env.prod", ".env.development", ".env.staging")
EXAMPLE_SUFFIXES = (".example", ".sample", ".template", ".dist", ".defaults", ".tpl")


def is_env_file(path: str) -> bool:
    name = os.path.basename(path.rstrip("/"))
    if name.endswith(EXAMPLE_SUFFIXES):
        return False
    return name in ENV_FILE_NAMES or (name.startswith(".env.") and "." not in name[5:]) or name.endswith(".env")


class EnvFileCopiedIntoImage(InstructionRule):
    """A `.env` file (one environment's config) copied into the image.

    ## What it does
    Flags `COPY`/`ADD` of `.env`, `.env.production`, `*.env` from the build context (example and
    template files are fine), and `COPY . …` when the context holds a `.env` that
    `.dockerignore` does not exclude.

    ## Why is this bad?
    Factor III (config): config varies between deploys and must not be in the image. A `.env`
    in a layer ships one environment's secrets to everyone who can pull the image, and the same
    image cannot be promoted from staging to production.

    ## Example
    ```dockerfile
    FROM node:22.11-slim
    COPY .env /app/.env
    ```

    Use instead:
    ```dockerfile
    FROM node:22.11-slim
    COPY .env.example /app/.env.example
    ```
    """

    code = "DF210"
    name = "env-file-copied-into-image"
    severity = "warning"
    factors = ("III",)
    keywords = frozenset({"COPY", "ADD"})

    def check_instruction(self, ctx, instruction) -> Iterator[Finding]:
        if instruction.flag("from") or len(instruction.args) < 2:
            return
        for source in instruction.args[:-1]:
            if is_env_file(source):
                yield Finding(instruction.span, f"{instruction.keyword} puts the env file {source} into the image",
                              hint="inject config at run time (environment, env_file, secrets)")
            elif source.rstrip("/") in (".", "./") and _context_leaks_env(ctx):
                yield Finding(instruction.span, f"{instruction.keyword} {source} copies the context's .env into the image (.dockerignore does not exclude it)",
                              hint="add .env to .dockerignore")


def _context_leaks_env(ctx) -> bool:
    if not ctx.directory or not os.path.isfile(os.path.join(ctx.directory, ".env")):
        return False
    return not ctx.context_dockerignore.excludes(".env")
