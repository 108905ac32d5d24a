from __future__ import annotations

from twelvecheck.rules.shell._cache import CacheKeptRule


class NpmCacheKept(CacheKeptRule):
    """`npm install` without `npm cache clean --force` in the same RUN.

    ## What it does
    Flags `npm install` and `npm ci` in the stages that make the final image when the same RUN
    does not run `npm cache clean` afterwards, does not remove `~/.npm`, and no BuildKit
    cache/tmpfs mount covers `/root/.npm` (or the `--cache` given).

    ## Why is this bad?
    npm keeps every downloaded tarball under `~/.npm/_cacache`, often as large as
    `node_modules`, and nothing at run time reads it.

    ## Example
    ```dockerfile
    FROM node:22-slim
    COPY package*.json ./
    RUN npm ci --omit=dev
    ```

    Use instead:
    ```dockerfile
    FROM node:22-slim
    COPY package*.json ./
    RUN npm ci --omit=dev && npm cache clean --force
    RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev
    ```

    ## Fix safety
    Safe: `npm cache clean --force` is appended to the end of the RUN, after every install; a later RUN that
    installs again fetches what it needs.

    ## References
    - binnacle rule `npmCacheCleanAfterInstall` (Henkel et al., ICSE 2020)
    """

    code = "SH021"
    name = "npm-cache-kept"
    severity = "info"
    aliases = {"binnacle": ("npmCacheCleanAfterInstall",)}
    commands = frozenset({"npm"})
    paths = ("/root/.npm", "/home/node/.npm")
    clean_hint = "end the RUN with && npm cache clean --force"
    clean_step = "npm cache clean --force"
    cache_option = "cache"
