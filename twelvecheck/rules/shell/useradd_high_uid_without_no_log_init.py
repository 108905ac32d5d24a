from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._verify import evidence, not_checkable, refuted, confirmed, size, step_layers
from twelvecheck.rules.shell._base import ShellRule
from twelvecheck.rules.shell._private import expanded_invocation


class UseraddHighUidWithoutNoLogInit(ShellRule):
    """`useradd` with a high UID and without `-l`.

    ## What it does
    Flags `useradd -u UID` with a UID of six digits or more (100000 and up) and without
    `-l`/`--no-log-init`. A UID given by a variable is judged when ARG/ENV give its value.

    ## Why is this bad?
    useradd writes the new user's entry into `/var/log/lastlog` and `/var/log/faillog` at an
    offset proportional to the UID: a sparse file that the image layer stores in full, gigabytes
    for a UID in the millions.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN useradd -u 1000000 -m app
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    RUN useradd -l -u 1000000 -m app
    ```

    ## References
    - [hadolint DL3046](https://github.com/hadolint/hadolint/wiki/DL3046)
    """

    code = "SH027"
    name = "useradd-high-uid-without-no-log-init"
    severity = "warning"
    aliases = {"hadolint": ("DL3046",)}
    commands = frozenset({"useradd"})

    def check_command(self, ctx, run, command) -> Iterator[Finding]:
        useradd = expanded_invocation(ctx, run, command)
        uid = useradd.value("uid") if useradd is not None else None
        if uid is None or useradd.has("no-log-init") or not uid.isdigit() or int(uid) < 100000:
            return
        yield Finding(run.command_span(command), f"useradd -u {uid} without -l writes sparse lastlog/faillog files sized by the UID",
                      hint="add -l (--no-log-init)")

    def verify(self, finding: Finding, image):
        """The sparse /var/log/lastlog and faillog the step wrote, by their apparent size."""
        line, layers = step_layers(image, finding)
        if layers is None:
            return not_checkable(f"the image has no step for line {line or finding.span.line}")
        numbers = {layer.number for layer in layers}
        logs = [(path, event) for path in ("/var/log/lastlog", "/var/log/faillog")
                for event in image.events(path) if event.layer in numbers and event.type == "file"]
        big = [(path, event) for path, event in logs if event.size >= SPARSE_LOG_BYTES]
        if not big:
            shown = ", ".join(f"{path} {size(event.size)}" for path, event in logs) or "no lastlog/faillog"
            return refuted(evidence(image, f"the step at line {line} wrote {shown}", line=line))
        return confirmed(*(evidence(image, f"{path} is {size(event.size)} (apparent size, sparse) in layer "
                                           f"{event.layer}", event.layer, path=path, bytes=event.size)
                           for path, event in big))


SPARSE_LOG_BYTES = 1 << 20  # lastlog grows by ~292 bytes per UID below the one added
