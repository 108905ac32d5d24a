from __future__ import annotations

from twelvecheck.rules.shell._cache import CacheKeptRule
from twelvecheck.rules.shell._private import kept_in_layer


class YarnCacheKept(CacheKeptRule):
    """`yarn install` without `yarn cache clean` in the same RUN.

    ## What it does
    Flags `yarn install` (and `yarn add`, or bare `yarn`) in the stages that make the final image
    when the same RUN does not run `yarn cache clean` afterwards, does not remove the cache
    directory, and no BuildKit cache/tmpfs mount covers it (`/usr/local/share/.cache/yarn`,
    `/root/.cache/yarn`, or the `--cache-folder` given).

    ## Why is this bad?
    Yarn keeps a copy of every package tarball in its global cache: as large as
    `node_modules` and useless at run time.

    ## Example
    ```dockerfile
    FROM node:22-slim
    COPY package.json yarn.lock ./
    RUN yarn install --frozen-lockfile
    ```

    Use instead:
    ```dockerfile
    FROM node:22-slim
    COPY package.json yarn.lock ./
    RUN yarn install --frozen-lockfile && yarn cache clean
    ```

    ## References
    - [hadolint DL3060](https://github.com/hadolint/hadolint/wiki/DL3060)
    """

    code = "SH020"
    name = "yarn-cache-kept"
    severity = "info"
    aliases = {"hadolint": ("DL3060",)}
    commands = frozenset({"yarn"})
    paths = ("/usr/local/share/.cache/yarn", "/root/.cache/yarn", "/root/.yarn", "/home/node/.cache/yarn")
    clean_hint = "end the RUN with && yarn cache clean"

    def fills(self, ctx, run, command):
        yarn = run.invocation(command)
        if yarn is None or not yarn.is_install:
            return False
        folder = yarn.value("cache-folder")
        return folder is None or kept_in_layer(run, (folder,), command.start)

    def cleans(self, run, command):
        yarn = run.invocation(command)
        return yarn is not None and yarn.cleans_cache

    def message(self, run, command):
        return "yarn install leaves its package cache in this layer"
