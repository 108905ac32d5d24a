from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._verify import files_left_verdict
from twelvecheck.rules.shell._base import ShellRule
from twelvecheck.rules.shell._private import assigned_variable


class MktempDirNotRemoved(ShellRule):
    """A `mktemp -d` directory left in the image.

    ## What it does
    Flags `mktemp -d` in the stages that make the final image when no later `rm -r` in the
    same RUN removes the directory: the variable it was stored in (`dir="$(mktemp -d)"`), or
    any `rm -r` when it was not stored.

    ## Why is this bad?
    The temporary directory and whatever was unpacked or built in it ship with the layer.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN dir="$(mktemp -d)" && cd "$dir" && echo work > file
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    RUN dir="$(mktemp -d)" && cd "$dir" && echo work > file && rm -rf "$dir"
    ```

    ## References
    - binnacle rule `rmRecursiveAfterMktempD` (Henkel et al., ICSE 2020)
    """

    code = "SH036"
    name = "mktemp-dir-not-removed"
    severity = "info"
    aliases = {"binnacle": ("rmRecursiveAfterMktempD",)}

    def check_script(self, ctx, run) -> Iterator[Finding]:
        if not ctx.in_final_image(run.instruction):
            return
        for command in run.all_commands:
            mktemp = run.invocation(command) if command.name == "mktemp" else None
            if mktemp is None or not mktemp.has("directory"):
                continue
            variable = assigned_variable(run, command)
            removed = [path for c in run.commands if c.name == "rm" and c.start > command.start
                       and run.invocation(c).recursive for path in run.invocation(c).paths]
            if variable is None and removed or variable is not None and any(
                    path.rstrip("/") in (f"${variable}", f"${{{variable}}}") for path in removed):
                continue
            shown = f"${variable}" if variable else "dir"
            yield Finding(run.command_span(command), f"the mktemp -d directory {shown} is not removed in this RUN",
                          hint=f'end the RUN with && rm -rf "{shown}"')

    def verify(self, finding: Finding, image):
        """mktemp -d makes its directory under $TMPDIR, /tmp by default."""
        return files_left_verdict(image, finding, ("/tmp", "/var/tmp"), "the mktemp directory")
