from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._verify import files_left_verdict
from twelvecheck.parse.model import Instruction
from twelvecheck.rules.shell._base import ShellRule
from twelvecheck.rules.shell._private import mounted, removes


class UsrSrcNotRemoved(ShellRule):
    """A build directory under `/usr/src` left in the image.

    ## What it does
    Flags `mkdir /usr/src/…` in the stages that make the final image when no later `rm` in the
    same RUN removes it (or a parent), and no mount covers it. A directory that is a WORKDIR or a
    COPY/ADD destination of those stages (ONBUILD's included) is where the application lives,
    not a build directory: `mkdir -p /usr/src/app` before `WORKDIR /usr/src/app` is not flagged.

    ## Why is this bad?
    Sources unpacked and built under `/usr/src` are only needed while building: left behind
    they often weigh more than the program installed from them.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN mkdir -p /usr/src/app && tar -xzf /tmp/app.tgz -C /usr/src/app && make -C /usr/src/app install
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    RUN mkdir -p /usr/src/app && tar -xzf /tmp/app.tgz -C /usr/src/app && make -C /usr/src/app install \
        && rm -rf /usr/src/app
    ```

    ## References
    - binnacle rule `mkdirUsrSrcThenRemove` (Henkel et al., ICSE 2020)
    """

    code = "SH037"
    name = "usr-src-not-removed"
    severity = "info"
    aliases = {"binnacle": ("mkdirUsrSrcThenRemove",)}

    def check_script(self, ctx, run) -> Iterator[Finding]:
        if not ctx.in_final_image(run.instruction):
            return
        for command in run.commands:
            mkdir = run.invocation(command) if command.name == "mkdir" else None
            for path in mkdir.paths if mkdir is not None else ():
                if path.startswith("/usr/src/") and not removes(run, path, command.start) and not mounted(run, path) \
                        and not _holds_app(path, _app_directories(ctx)):
                    yield Finding(run.command_span(command), f"{path} is created for the build and not removed in this RUN",
                                  hint=f"end the RUN with && rm -rf {path}", subject=path)


    def verify(self, finding: Finding, image):
        return files_left_verdict(image, finding, (finding.subject or "/usr/src",), "the build directory")


def _holds_app(path: str, app_directories: set[str]) -> bool:
    path = path.rstrip("/")
    return any(directory == path or directory.startswith(path + "/") for directory in app_directories)


def _app_directories(ctx) -> set[str]:
    """WORKDIRs and COPY/ADD destinations of the final image's stages (ONBUILD's too)."""
    directories: set[str] = set()
    for stage in ctx.dockerfile.stages:
        if stage.index not in ctx.final_image_stages:
            continue
        for instruction in stage.instructions:
            inner = instruction.onbuild or instruction
            directory = _destination(ctx, inner, instruction)
            if directory:
                directories.add(directory.rstrip("/") or "/")
    return directories


def _destination(ctx, inner: Instruction, outer: Instruction) -> str | None:
    if inner.keyword == "WORKDIR" and inner.args:
        return ctx.expand(inner.args[0], outer)
    if inner.keyword in ("COPY", "ADD") and len(inner.args) >= 2:
        return ctx.expand(inner.args[-1], outer)
    return None
