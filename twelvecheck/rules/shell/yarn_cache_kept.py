from __future__ import annotations

from twelvecheck.rules.shell._cache import CacheKeptRule


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

    ## Fix safety
    Safe: `yarn cache clean` is appended to the end of the RUN, after every install; a later RUN that
    installs again fetches what it needs.

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
    clean_step = "yarn cache clean"
    cache_option = "cache-folder"
