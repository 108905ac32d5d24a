from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._verify import config_evidence, config_source, span_at
from twelvecheck.rules.image._base import ImageRule

SYSTEM_DIRS = ("/dev", "/proc", "/sys")


class VolumeOverSystemDir(ImageRule):
    """A VOLUME of the image over /dev, /proc or /sys (or below them).

    ## What it does
    Reads the final image config's `Volumes` (the base image's included) and flags any at or
    below `/dev`, `/proc` or `/sys`.

    ## Why is this bad?
    The runtime mounts its own filesystems there; a volume on top hides them (or fails to start)
    and, mounted from the host, exposes the host's devices or kernel settings to the container.

    ## Example
    ```files
    -- Dockerfile --
    FROM scratch
    COPY app /app
    VOLUME /proc/data
    -- app --
    binary
    ```

    Use instead:
    ```files
    -- Dockerfile --
    FROM scratch
    COPY app /app
    VOLUME /data
    -- app --
    binary
    ```

    ## References
    - [VOLUME](https://docs.docker.com/reference/dockerfile/#volume)
    """

    code = "IM007"
    name = "volume-over-system-dir"
    severity = "error"

    def check(self, image) -> Iterator[Finding]:
        line, base = config_source(image, "volumes")
        for volume in image.config.config.volumes:
            clean = "/" + volume.strip("/")
            if any(clean == d or clean.startswith(d + "/") for d in SYSTEM_DIRS):
                proof = config_evidence(image, f"the image config's Volumes holds {volume}", "Volumes", volume,
                                        line, base)
                yield Finding(span_at(image, line), f"VOLUME {volume} sits over a directory the runtime provides",
                              hint="put the volume somewhere the app owns (/data, /var/lib/APP)", evidence=(proof,))
