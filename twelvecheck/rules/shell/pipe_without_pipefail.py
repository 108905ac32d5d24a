from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.parse.shell import Command
from twelvecheck.rules.run_scripts import RunScript
from twelvecheck.rules.shell._base import ShellRule
from twelvecheck.rules.shell._private import shell_wrapper_options

# A pipeline whose left side cannot fail in a way that matters: pipefail adds nothing, and for
# 'yes | cmd' it would turn yes's SIGPIPE into a failed build.
_HARMLESS_WRITERS = frozenset({"echo", "printf", "yes"})


def _sets_pipefail(args: tuple[str, ...]) -> bool:
    return any(value == "pipefail" and flag.startswith("-") and "o" in flag
               for flag, value in zip(args, args[1:]))


class PipeWithoutPipefail(ShellRule):
    """A pipe in RUN whose failure is hidden because `pipefail` is off.

    ## What it does
    Flags the first pipeline of a RUN script (in `$(...)` too) when `pipefail` is not on for
    it. It is on when the stage's `SHELL` has `-o pipefail`
    (`SHELL ["/bin/bash", "-o", "pipefail", "-c"]`), when `set -o pipefail` (or
    `set -euxo pipefail`) runs earlier in the same script, or when the pipeline runs inside
    `bash -o pipefail -c '…'`. Pipelines whose writers are only `echo`, `printf` or `yes`
    are not flagged: their failure does not matter, and `yes | cmd` would even fail with
    pipefail on.

    Which shells can do it: bash, zsh, ksh and busybox ash (Alpine's `/bin/sh`) support
    `set -o pipefail`; dash, Debian's and Ubuntu's `/bin/sh`, does not (`set: Illegal option
    -o pipefail`). So the hint says `set -o pipefail` on Alpine/busybox bases and a bash `SHELL`
    elsewhere.

    ## Why is this bad?
    A pipeline's status is its last command's: in `curl -fsSL URL | tar -xz` a failed
    download still lets the step succeed, and the image is built with a missing or truncated
    file.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN curl -fsSL https://example.com/tool.tgz | tar -xz -C /opt
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    SHELL ["/bin/bash", "-o", "pipefail", "-c"]
    RUN curl -fsSL https://example.com/tool.tgz | tar -xz -C /opt
    ```

    ## References
    - [hadolint DL4006](https://github.com/hadolint/hadolint/wiki/DL4006)
    """

    code = "SH032"
    name = "pipe-without-pipefail"
    severity = "warning"
    aliases = {"hadolint": ("DL4006",)}

    def check_script(self, ctx, run: RunScript) -> Iterator[Finding]:
        if _sets_pipefail(ctx.shell_of(run.instruction)[1:]):
            return
        pipefail_from = [c.start for c in run.all_commands if c.name == "set" and _sets_pipefail(c.args)]
        for command in self._pipeline_heads(run):
            if any(start < command.start for start in pipefail_from):
                continue
            if any(_sets_pipefail(args) for args in shell_wrapper_options(run, command)):
                continue
            yield Finding(run.command_span(command), "a failure before the pipe is hidden: the pipeline's status is its last command's",
                          hint=self._hint(ctx, run))
            return

    @staticmethod
    def _pipeline_heads(run: RunScript) -> Iterator[Command]:
        commands = run.all_commands
        for index, command in enumerate(commands):
            if command.pipeline_length < 2 or command.pipe_position != 0:
                continue
            members = [c for c in commands[index:]
                       if c.depth == command.depth and c.wrapped_by == command.wrapped_by][:command.pipeline_length]
            if all(member.name in _HARMLESS_WRITERS for member in members[:-1]):
                continue
            yield command

    @staticmethod
    def _hint(ctx, run: RunScript) -> str:
        if ctx.sh_is_busybox(run.instruction):
            return "start the RUN with set -o pipefail && (busybox ash supports it)"
        return 'add SHELL ["/bin/bash", "-o", "pipefail", "-c"] before this RUN (dash, Debian\'s /bin/sh, has no pipefail)'
