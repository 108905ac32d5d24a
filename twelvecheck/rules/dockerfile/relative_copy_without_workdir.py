from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import DockerfileRule
from twelvecheck.rules.dockerfile._operands import sources_and_destination
from twelvecheck.rules.dockerfile._paths import is_absolute


class RelativeCopyWithoutWorkdir(DockerfileRule):
    """`COPY`/`ADD` to a relative destination before any `WORKDIR`.

    ## What it does
    Flags a `COPY` or `ADD` whose destination (after variable expansion) is relative while
    no `WORKDIR` is set yet, neither earlier in the stage nor in the stage it is built
    `FROM` (`FROM build AS test` inherits the `WORKDIR` of `build`). Destinations with an
    unknown variable and Windows paths (`C:\\app`) are left alone.

    ## Why is this bad?
    A relative destination lands in the base image's working directory, which you do not
    control: it is `/` for most images and changes when the base does.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    COPY app.py .
    ```

    Use instead:
    ```dockerfile
    FROM python:3.12-slim
    WORKDIR /app
    COPY app.py .
    ```

    ## References
    - [hadolint DL3045](https://github.com/hadolint/hadolint/wiki/DL3045)
    """

    code = "DF019"
    name = "relative-copy-without-workdir"
    severity = "warning"
    aliases = {"hadolint": ("DL3045",)}

    def check(self, ctx) -> Iterator[Finding]:
        stages = ctx.dockerfile.stages
        with_workdir: set[str] = set()  # names of stages that end with a WORKDIR set
        for stage in stages:
            parent = ctx.resolved_base(stage).lower()
            workdir = ctx.is_stage_reference(stage) and parent in with_workdir
            for instruction in stage.instructions:
                if instruction.keyword == "WORKDIR":
                    workdir = True
                elif instruction.keyword in ("COPY", "ADD") and not workdir:
                    yield from self._check_copy(ctx, instruction)
            if workdir and stage.name:
                with_workdir.add(stage.name)

    def _check_copy(self, ctx, instruction) -> Iterator[Finding]:
        _, destination = sources_and_destination(ctx, instruction)
        if destination is None or destination.unknown or not destination.value:
            return
        path = destination.value
        if is_absolute(path):
            return
        yield Finding(destination.span, f"{instruction.keyword} to the relative path '{path}' with no WORKDIR set in this stage",
                      hint="set WORKDIR /some/dir first, or use an absolute destination")
