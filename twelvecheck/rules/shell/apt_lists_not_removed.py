from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.mounts import caches_path
from twelvecheck.rules.shell._base import ShellRule
from twelvecheck.rules._verify import files_left_verdict

APT_LISTS = "/var/lib/apt/lists"


def removes_apt_lists(commands) -> bool:
    """``rm -rf /var/lib/apt/lists/*``, or ``apt-get dist-clean`` (apt 2.9+), which removes them."""
    return any(
        command.name == "rm" and any(arg.rstrip("/*").rstrip("/") == APT_LISTS for arg in command.args)
        or command.name in ("apt-get", "apt") and "dist-clean" in command.args
        for command in commands
    )


class AptListsNotRemoved(ShellRule):
    """`apt-get update` whose package lists stay in the image.

    ## What it does
    Flags `apt-get update` in a RUN of the stages that make the final image when the same RUN
    does not remove `/var/lib/apt/lists/*`. A BuildKit cache or tmpfs mount on
    `/var/lib/apt/lists` (or `/var/lib/apt`) keeps them out of the layer and is accepted, and so
    is `apt-get dist-clean` (apt 2.9 and later), which removes the lists itself. Build
    stages whose files are only copied from are not judged.

    ## Why is this bad?
    The lists weigh tens of megabytes and go stale; removing them in a later RUN does not shrink
    the image, because the layer that added them is still there.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN apt-get update && apt-get install -y --no-install-recommends curl
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    RUN apt-get update \
        && apt-get install -y --no-install-recommends curl \
        && rm -rf /var/lib/apt/lists/*
    ```

    ## References
    - [hadolint DL3009](https://github.com/hadolint/hadolint/wiki/DL3009)
    - binnacle rule `ruleAptGetInstallThenRemoveAptLists` (Henkel et al., ICSE 2020)
    """

    code = "SH003"
    name = "apt-lists-not-removed"
    severity = "info"
    aliases = {"hadolint": ("DL3009",), "binnacle": ("ruleAptGetInstallThenRemoveAptLists",)}

    def check_script(self, ctx, run) -> Iterator[Finding]:
        if not ctx.in_final_image(run.instruction):
            return
        if caches_path(run.instruction, APT_LISTS):
            return
        updates = [c for c in run.commands if c.name in ("apt-get", "apt") and c.args[:1] == ("update",)]
        if updates and not removes_apt_lists(run.commands):
            yield Finding(run.command_span(updates[0]), "apt-get update leaves its package lists in this layer",
                          hint="end the same RUN with && rm -rf /var/lib/apt/lists/*")

    def verify(self, finding: Finding, image):
        return files_left_verdict(image, finding, (APT_LISTS,), "the apt package lists")
