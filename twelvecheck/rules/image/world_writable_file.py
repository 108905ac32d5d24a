from __future__ import annotations

import stat
from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._verify import evidence, layer_span, visible_files
from twelvecheck.rules.image._base import ImageRule

SCRATCH_DIRS = ("/tmp", "/var/tmp", "/dev/shm", "/run/lock", "/var/lock", "/dev", "/proc", "/sys")


class WorldWritableFile(ImageRule):
    """A file or directory any user may write, outside the temporary directories.

    ## What it does
    Flags regular files and directories of the final image whose mode lets everyone write
    (`o+w`), outside `/tmp`, `/var/tmp`, `/dev/shm` and the lock directories. A directory with
    the sticky bit (`/tmp`-style, `1777`) is accepted: only a file's owner may delete it there.
    Symlinks (always `0777`) are not files anyone writes.

    ## Why is this bad?
    Any process in the container, whatever its user, can change such a file: a compromised
    low-privilege process rewrites the program or configuration another user runs.

    ## Example
    ```files
    -- Dockerfile --
    FROM scratch
    COPY --chmod=0666 settings.ini /app/settings.ini
    -- settings.ini --
    debug = false
    ```

    Use instead:
    ```files
    -- Dockerfile --
    FROM scratch
    COPY --chmod=0644 settings.ini /app/settings.ini
    -- settings.ini --
    debug = false
    ```

    ## References
    - CIS Docker Benchmark 4 (container images): least privilege on files
    """

    code = "IM004"
    name = "world-writable-file"
    severity = "warning"
    security_severity = 5.0

    def check(self, image) -> Iterator[Finding]:
        for path, event in sorted(visible_files(image)):
            if event.type not in ("file", "dir") or not event.mode & stat.S_IWOTH:
                continue
            if event.type == "dir" and event.mode & stat.S_ISVTX:
                continue
            if any(path == d or path.startswith(d + "/") for d in SCRATCH_DIRS):
                continue
            proof = evidence(image, f"{path} ({event.type}) has mode {event.mode:04o} in layer {event.layer}",
                             event.layer, path=path, bytes=event.size)
            yield Finding(layer_span(image, event.layer), f"{path} is writable by every user (mode {event.mode:04o})",
                          hint="drop o+w (chmod o-w), or give the app's user ownership instead", evidence=(proof,))
