from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import DockerfileRule


class DuplicateStageName(DockerfileRule):
    """Two build stages with the same name.

    ## What it does
    Flags a `FROM … AS name` whose name (compared case-insensitively, as BuildKit does) was
    already used by an earlier stage.

    ## Why is this bad?
    BuildKit refuses the file: `COPY --from=name` and `--target name` would be ambiguous.

    ## Example
    ```dockerfile
    FROM golang:1.23 AS build
    FROM alpine:3.20 AS build
    ```

    Use instead:
    ```dockerfile
    FROM golang:1.23 AS build
    FROM alpine:3.20 AS runtime
    ```

    ## References
    - [hadolint DL3024](https://github.com/hadolint/hadolint/wiki/DL3024)
    - [BuildKit DuplicateStageName](https://docs.docker.com/reference/build-checks/duplicate-stage-name/)
    """

    code = "DF007"
    name = "duplicate-stage-name"
    severity = "error"
    aliases = {"hadolint": ("DL3024",), "buildkit": ("DuplicateStageName",)}

    def check(self, ctx) -> Iterator[Finding]:
        first_line: dict[str, int] = {}
        for stage in ctx.dockerfile.stages:
            if stage.name is None:
                continue
            if stage.name in first_line:
                yield Finding(stage.from_instruction.span,
                              f"stage name '{stage.written_name}' is already used by the stage on line {first_line[stage.name]}",
                              hint="give each stage a unique name")
            else:
                first_line[stage.name] = stage.from_instruction.span.line
