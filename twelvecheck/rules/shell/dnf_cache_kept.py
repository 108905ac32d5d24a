from __future__ import annotations

from twelvecheck.rules.shell._cache import CacheKeptRule


class DnfCacheKept(CacheKeptRule):
    """`dnf install` without `dnf clean all` in the same RUN.

    ## What it does
    Flags `dnf install` (and `microdnf install`) in the stages that make the final image when the
    same RUN neither runs `dnf clean all` afterwards nor removes `/var/cache/dnf` (`/var/cache/yum`
    for microdnf), and no BuildKit cache/tmpfs mount covers it.

    ## Why is this bad?
    The package manager keeps downloaded packages and repository metadata under
    `/var/cache`: tens of megabytes that only slow down pulls. Cleaning in a later RUN does not
    help: the layer that wrote them is still part of the image.

    ## Example
    ```dockerfile
    FROM fedora:40
    RUN dnf install -y nginx-1.26.1
    ```

    Use instead:
    ```dockerfile
    FROM fedora:40
    RUN dnf install -y nginx-1.26.1 && dnf clean all
    ```

    ## Fix safety
    Safe: `dnf clean all` is appended to the end of the RUN, after every install; a later RUN that
    installs again fetches what it needs.

    ## References
    - [hadolint DL3040](https://github.com/hadolint/hadolint/wiki/DL3040)
    """

    code = "SH018"
    name = "dnf-cache-kept"
    severity = "info"
    aliases = {"hadolint": ("DL3040",)}
    commands = frozenset({"dnf", "microdnf", "tdnf"})
    paths = ("/var/cache/dnf", "/var/cache/yum", "/var/cache/tdnf")
    clean_hint = "end the RUN with && dnf clean all"
    clean_step = "{tool} clean all"
