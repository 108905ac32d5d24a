from __future__ import annotations

from twelvecheck.rules.shell._cache import CacheKeptRule


class YumCacheKept(CacheKeptRule):
    """`yum install` without `yum clean all` in the same RUN.

    ## What it does
    Flags `yum install` in the stages that make the final image when the same RUN neither runs
    `yum clean all` afterwards nor removes `/var/cache/yum`, and no BuildKit cache/tmpfs mount
    covers `/var/cache/yum`.

    ## Why is this bad?
    The package manager keeps downloaded packages and repository metadata under
    `/var/cache`: tens of megabytes that only slow down pulls. Cleaning in a later RUN does not
    help: the layer that wrote them is still part of the image.

    ## Example
    ```dockerfile
    FROM centos:7
    RUN yum install -y httpd-2.4.6
    ```

    Use instead:
    ```dockerfile
    FROM centos:7
    RUN yum install -y httpd-2.4.6 && yum clean all
    ```

    ## Fix safety
    Safe: `yum clean all` is appended to the end of the RUN, after every install; a later RUN that
    installs again fetches what it needs.

    ## References
    - [hadolint DL3032](https://github.com/hadolint/hadolint/wiki/DL3032)
    - binnacle rule `yumInstallRmVarCacheYum` (Henkel et al., ICSE 2020)
    """

    code = "SH017"
    name = "yum-cache-kept"
    severity = "info"
    aliases = {"hadolint": ("DL3032",), "binnacle": ("yumInstallRmVarCacheYum",)}
    commands = frozenset({"yum"})
    paths = ("/var/cache/yum",)
    clean_hint = "end the RUN with && yum clean all && rm -rf /var/cache/yum"
    clean_step = "yum clean all"
