from __future__ import annotations

import os
from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import DockerfileRule
from twelvecheck.rules.dockerfile._runs import run_commands

LOCKFILES = {"npm": "package-lock.json", "yarn": "yarn.lock", "pnpm": "pnpm-lock.yaml"}
FROZEN = {"npm": "npm ci", "yarn": "yarn install --frozen-lockfile (or --immutable)", "pnpm": "pnpm install --frozen-lockfile"}


class NpmInstallWithLockfile(DockerfileRule):
    """`npm install` in RUN although the build context has a lockfile (use `npm ci`).

    ## What it does
    Flags `npm install` / `npm i` without package names, `yarn install` without
    `--frozen-lockfile`/`--immutable` and `pnpm install` without `--frozen-lockfile`, when the
    Dockerfile's directory holds the matching lockfile.

    ## Why is this bad?
    Factor II (dependencies): the lockfile declares the exact dependency tree. `npm install`
    may resolve newer versions and rewrite the lockfile, so the image contains a tree nobody
    reviewed; `npm ci` installs exactly the locked one or fails.

    ## Example
    ```files
    -- Dockerfile --
    FROM node:22.11-slim
    COPY package.json package-lock.json ./
    RUN npm install
    -- package-lock.json --
    {"lockfileVersion": 3}
    ```

    Use instead:
    ```files
    -- Dockerfile --
    FROM node:22.11-slim
    COPY package.json package-lock.json ./
    RUN npm ci
    -- package-lock.json --
    {"lockfileVersion": 3}
    ```
    """

    code = "SH200"
    name = "npm-install-with-lockfile"
    severity = "warning"
    factors = ("II",)

    def check(self, ctx) -> Iterator[Finding]:
        if not ctx.directory:
            return
        for run, command in run_commands(ctx, final_only=False):
            tool = command.name
            if tool not in LOCKFILES or not os.path.isfile(os.path.join(ctx.directory, LOCKFILES[tool])):
                continue
            args = command.args
            plain_install = (args[:1] in (("install",), ("i",)) and not [a for a in args[1:] if not a.startswith("-")]) or (tool == "yarn" and not args)
            frozen = any(a in ("--frozen-lockfile", "--immutable", "--ci") for a in args)
            if plain_install and not frozen:
                yield Finding(run.command_span(command), f"{tool} {' '.join(args) or 'install'} may update the locked tree ({LOCKFILES[tool]} is present)",
                              hint=f"use {FROZEN[tool]}")
