from __future__ import annotations

from twelvecheck.rules._fixes import insert_option, make_fix
from twelvecheck.rules.shell._cache import CacheKeptRule


class ApkCacheKept(CacheKeptRule):
    """`apk add` without `--no-cache`.

    ## What it does
    Flags `apk add` without `--no-cache` in the stages that make the final image, unless the
    same RUN removes `/var/cache/apk/*` afterwards or a BuildKit cache/tmpfs mount covers
    `/var/cache/apk`. `apk add --no-network` fetches nothing and is not flagged.

    ## Why is this bad?
    `apk add --update` (or an earlier `apk update`) leaves the package index in
    `/var/cache/apk`, megabytes that nothing at run time needs. `--no-cache` fetches the index
    to a temporary place and keeps the layer clean, with no `rm` to forget.

    ## Example
    ```dockerfile
    FROM alpine:3.20
    RUN apk add --update curl=8.9.1-r0
    ```

    Use instead:
    ```dockerfile
    FROM alpine:3.20
    RUN apk add --no-cache curl=8.9.1-r0
    RUN --mount=type=cache,target=/var/cache/apk apk add git=2.45.2-r0
    ```

    ## Fix safety
    Safe: `--no-cache` fetches the index for this command and keeps no copy; the same
    packages are installed.

    ## References
    - [hadolint DL3019](https://github.com/hadolint/hadolint/wiki/DL3019)
    - binnacle rule `apkAddUseNoCache` (Henkel et al., ICSE 2020)
    """

    code = "SH015"
    name = "apk-cache-kept"
    severity = "info"
    aliases = {"hadolint": ("DL3019",), "binnacle": ("apkAddUseNoCache",)}
    commands = frozenset({"apk"})
    paths = ("/var/cache/apk",)
    clean_hint = "use apk add --no-cache"

    def fills(self, ctx, run, command):
        apk = run.invocation(command)
        # --no-network installs from what is already there and fetches no index to keep.
        return apk is not None and apk.tool == "apk" and apk.is_install and not apk.no_cache \
            and not apk.has("no-network")

    def fix(self, ctx, run, command):
        return make_fix("add --no-cache", insert_option(run, command, "--no-cache", frozenset({"add"})))

    def message(self, run, command):
        return "apk add without --no-cache keeps the package index in /var/cache/apk"
