from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._verify import evidence, not_checkable, refuted, confirmed, size, step_layers
from twelvecheck.rules.shell._base import ShellRule


class AptInstallRecommends(ShellRule):
    """`apt-get install` that also installs recommended packages.

    ## What it does
    Flags `apt-get install` without `--no-install-recommends` (or
    `-o APT::Install-Recommends=false`).

    ## Why is this bad?
    Recommended packages are not needed to run what you install; they often double the image
    size and add packages to patch.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
    ```

    ## References
    - [hadolint DL3015](https://github.com/hadolint/hadolint/wiki/DL3015)
    - binnacle rule `ruleAptGetInstallUseNoRec` (Henkel et al., ICSE 2020)
    """

    code = "SH002"
    name = "apt-install-recommends"
    severity = "info"
    aliases = {"hadolint": ("DL3015",), "binnacle": ("ruleAptGetInstallUseNoRec",)}
    commands = frozenset({"apt-get"})

    def check_command(self, ctx, run, command) -> Iterator[Finding]:
        apt = run.invocation(command)
        if apt is not None and apt.is_install and not apt.no_install_recommends:
            yield Finding(run.command_span(command), "apt-get install pulls in recommended packages too",
                          hint="add --no-install-recommends",
                          subject=" ".join(package.name for package in apt.packages))

    def verify(self, finding: Finding, image):
        """Packages the step installed beyond those named: dependencies and recommends (dpkg's
        info/*.list files the layer adds), with the layer's bytes."""
        line, layers = step_layers(image, finding)
        if layers is None or not layers:
            return not_checkable(f"the image has no layer for line {line or finding.span.line}")
        layer = layers[0]
        named = set((finding.subject or "").split())
        installed = sorted({path.rsplit("/", 1)[1][:-5].split(":")[0] for path, events in image.under("/var/lib/dpkg/info")
                            if path.endswith(".list") and any(e.layer == layer.number and e.kind == "added" for e in events)})
        extra = [name for name in installed if name not in named]
        if not extra:
            return refuted(evidence(image, f"layer {layer.number} installs only the named packages "
                                           f"({', '.join(installed) or 'none new'})", layer.number, bytes=layer.size))
        shown = ", ".join(extra[:8]) + (f" and {len(extra) - 8} more" if len(extra) > 8 else "")
        return confirmed(evidence(image, f"layer {layer.number} installs {len(extra)} package(s) beyond the "
                                         f"{len(named)} named (dependencies and recommends): {shown}; the layer "
                                         f"is {size(layer.size)}", layer.number, bytes=layer.size,
                                  path="/var/lib/dpkg/info"))
