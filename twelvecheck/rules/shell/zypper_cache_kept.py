from __future__ import annotations

from twelvecheck.rules.shell._cache import CacheKeptRule


class ZypperCacheKept(CacheKeptRule):
    """`zypper install` without `zypper clean` in the same RUN.

    ## What it does
    Flags `zypper install` in the stages that make the final image when the same RUN neither runs
    `zypper clean` (`zypper cc`) afterwards nor removes `/var/cache/zypp`, and no BuildKit
    cache/tmpfs mount covers it.

    ## Why is this bad?
    The package manager keeps downloaded packages and repository metadata under
    `/var/cache`: tens of megabytes that only slow down pulls. Cleaning in a later RUN does not
    help: the layer that wrote them is still part of the image.

    ## Example
    ```dockerfile
    FROM opensuse/leap:15.6
    RUN zypper install -y nginx=1.21.5
    ```

    Use instead:
    ```dockerfile
    FROM opensuse/leap:15.6
    RUN zypper install -y nginx=1.21.5 && zypper clean --all
    ```

    ## Fix safety
    Safe: `zypper clean --all` is appended to the end of the RUN, after every install; a later RUN that
    installs again fetches what it needs.

    ## References
    - [hadolint DL3036](https://github.com/hadolint/hadolint/wiki/DL3036)
    """

    code = "SH019"
    name = "zypper-cache-kept"
    severity = "info"
    aliases = {"hadolint": ("DL3036",)}
    commands = frozenset({"zypper"})
    paths = ("/var/cache/zypp",)
    clean_hint = "end the RUN with && zypper clean --all"
    clean_step = "zypper clean --all"
