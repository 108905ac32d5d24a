from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import StageRule

DOWNLOADERS = ("curl", "wget")


class CurlAndWgetBothUsed(StageRule):
    """Both `curl` and `wget` used in one stage.

    ## What it does
    Flags, in a stage whose RUN steps run both `curl` and `wget`, each command of the tool
    that was not used first. Installing a tool (`apt-get install wget`) is not a use.

    ## Why is this bad?
    Both tools do the same job here; keeping both means two packages to install, patch and
    ship, and two sets of flags to get right (`curl -f`, `wget --progress`).

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN curl -fsSLo /tmp/a.tgz https://example.com/a.tgz
    RUN wget -q https://example.com/b.tgz
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    RUN curl -fsSLo /tmp/a.tgz https://example.com/a.tgz
    RUN curl -fsSLO https://example.com/b.tgz
    ```

    ## References
    - [hadolint DL4001](https://github.com/hadolint/hadolint/wiki/DL4001)
    """

    code = "SH031"
    name = "curl-and-wget-both-used"
    severity = "info"
    aliases = {"hadolint": ("DL4001",)}

    def check_stage(self, ctx, stage) -> Iterator[Finding]:
        uses = [(run, command) for run in ctx.run_scripts_in(stage)
                for command in run.all_commands if command.name in DOWNLOADERS]
        if len({command.name for _, command in uses}) < 2:
            return
        first = uses[0][1].name
        for run, command in uses:
            if command.name != first:
                yield Finding(run.command_span(command), f"{command.name} here, while this stage also downloads with {first}",
                              hint=f"use {first} for every download of the stage")
