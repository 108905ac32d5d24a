from __future__ import annotations

import stat
from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._verify import evidence, layer_span, visible_files
from twelvecheck.rules.image._base import ImageRule


class SetuidFileAdded(ImageRule):
    """A file with the setuid or setgid bit that one of your layers adds.

    ## What it does
    Flags every regular file of the final image whose mode has the setuid or setgid bit, on the
    line of the instruction whose layer wrote it last. Files the base image ships that way
    (`su`, `passwd`, `mount` in most distributions) are the base's: reported only when base
    findings are asked for (`verify --base-findings`).

    ## Why is this bad?
    A setuid program runs with its owner's rights whatever user starts it: a bug in it is a way
    from the container's unprivileged user to root. An application image rarely needs one, and
    one your own build added is easy to miss in review.

    ## Example
    ```files
    -- Dockerfile --
    FROM scratch
    COPY --chmod=4755 helper /usr/local/bin/helper
    -- helper --
    #!/bin/sh
    ```

    Use instead:
    ```files
    -- Dockerfile --
    FROM scratch
    COPY --chmod=0755 helper /usr/local/bin/helper
    -- helper --
    #!/bin/sh
    ```

    ## References
    - dockle `CIS-DI-0008` (confirm safety of setuid/setgid files)
    - CIS Docker Benchmark 4.8
    """

    code = "IM001"
    name = "setuid-file-added"
    severity = "warning"
    security_severity = 6.0

    def check(self, image) -> Iterator[Finding]:
        for path, event in sorted(visible_files(image)):
            if event.type != "file" or not event.mode & (stat.S_ISUID | stat.S_ISGID):
                continue
            bits = " and ".join(name for name, bit in (("setuid", stat.S_ISUID), ("setgid", stat.S_ISGID))
                                if event.mode & bit)
            proof = evidence(image, f"{path} has mode {event.mode:04o} ({bits}) in layer {event.layer}",
                             event.layer, path=path, bytes=event.size)
            yield Finding(layer_span(image, event.layer), f"{path} is {bits} (mode {event.mode:04o})",
                          hint="drop the bit (chmod u-s,g-s) unless the program must run with its owner's rights",
                          evidence=(proof,))
