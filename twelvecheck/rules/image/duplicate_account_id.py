from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._verify import account_entries, evidence, layer_span
from twelvecheck.rules.image._base import ImageRule


def duplicates(image, path: str) -> dict[str, list[str]]:
    """id -> names, for ids that two or more entries of ``path`` share (the third field)."""
    names: dict[str, list[str]] = defaultdict(list)
    for entry in account_entries(image, path):
        if len(entry) > 2 and entry[2].isdigit():
            names[entry[2]].append(entry[0])
    return {number: owners for number, owners in names.items() if len(owners) > 1}


class DuplicateAccountId(ImageRule):
    """Two accounts with the same UID in /etc/passwd, or two groups with the same GID in /etc/group.

    ## What it does
    Reads the final image's `/etc/passwd` and `/etc/group` and flags every UID or GID that two
    or more names share.

    ## Why is this bad?
    The kernel knows numbers, not names: two names for one UID are one user, so files, processes
    and audit logs of one are the other's, and an account meant to be unprivileged may be root
    under another name.

    ## Example
    ```files
    -- Dockerfile --
    FROM scratch
    COPY passwd /etc/passwd
    -- passwd --
    root:x:0:0:root:/root:/bin/sh
    app:x:0:0:app:/app:/bin/sh
    ```

    Use instead:
    ```files
    -- Dockerfile --
    FROM scratch
    COPY passwd /etc/passwd
    -- passwd --
    root:x:0:0:root:/root:/bin/sh
    app:x:10001:10001:app:/app:/bin/sh
    ```

    ## References
    - CIS Distribution Independent Linux Benchmark 6.2 (no duplicate UIDs/GIDs)
    """

    code = "IM006"
    name = "duplicate-account-id"
    severity = "warning"
    security_severity = 5.0

    def check(self, image) -> Iterator[Finding]:
        for path, what in (("/etc/passwd", "UID"), ("/etc/group", "GID")):
            for number, owners in sorted(duplicates(image, path).items()):
                layer = image.final(path).layer
                names = ", ".join(owners)
                proof = evidence(image, f"{what} {number} belongs to {names} in {path} (layer {layer})", layer, path=path)
                yield Finding(layer_span(image, layer), f"{what} {number} is shared by {names} in {path}",
                              hint=f"give each name its own {what}", evidence=(proof,))
