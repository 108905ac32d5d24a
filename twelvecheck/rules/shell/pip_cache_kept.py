from __future__ import annotations

from twelvecheck.rules._fixes import insert_option, make_fix
from twelvecheck.rules.shell._cache import CacheKeptRule
from twelvecheck.rules.shell._private import kept_in_layer, variables_at

_FALSE = ("", "0", "false", "no", "off")


class PipCacheKept(CacheKeptRule):
    """`pip install` that keeps pip's download cache in the image.

    ## What it does
    Flags `pip install` in the stages that make the final image when pip's cache stays in the
    layer: no `--no-cache-dir`, no `PIP_NO_CACHE_DIR` (set by ARG/ENV, on the command or earlier
    in the RUN), no BuildKit cache/tmpfs mount on `/root/.cache/pip` (or the `--cache-dir`
    given), and no `rm -rf` of that directory later in the RUN.

    ## Why is this bad?
    pip keeps every wheel it downloaded under `~/.cache/pip`: often as large as the packages
    themselves, and never used again in the image.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    RUN pip install -r requirements.txt
    ```

    Use instead:
    ```dockerfile
    FROM python:3.12-slim
    RUN pip install --no-cache-dir -r requirements.txt
    RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
    ```

    ## Fix safety
    Safe: `--no-cache-dir` only stops pip from keeping what it downloads; the same packages
    are installed.

    ## References
    - [hadolint DL3042](https://github.com/hadolint/hadolint/wiki/DL3042)
    - binnacle rule `pipUseNoCacheDir` (Henkel et al., ICSE 2020)
    """

    code = "SH016"
    name = "pip-cache-kept"
    severity = "info"
    aliases = {"hadolint": ("DL3042",), "binnacle": ("pipUseNoCacheDir",)}
    paths = ("/root/.cache/pip",)
    clean_hint = "add --no-cache-dir (or ENV PIP_NO_CACHE_DIR=1, or a cache mount on /root/.cache/pip)"

    def fills(self, ctx, run, command):
        pip = run.invocation(command)
        if pip is None or pip.tool != "pip" or not pip.is_install or pip.no_cache:
            return False
        if variables_at(ctx, run, command.start).get("PIP_NO_CACHE_DIR", "").lower() not in _FALSE:
            return False
        cache_dir = pip.value("cache-dir")
        return cache_dir is None or kept_in_layer(run, (cache_dir,), command.start)

    def fix(self, ctx, run, command):
        return make_fix("add --no-cache-dir", insert_option(run, command, "--no-cache-dir", frozenset({"install"})))

    def message(self, run, command):
        return "pip install keeps its download cache (~/.cache/pip) in this layer"
