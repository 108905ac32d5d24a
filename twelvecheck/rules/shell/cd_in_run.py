from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.shell._base import ShellRule


class CdInRun(ShellRule):
    """`cd` to change the working directory of later commands in RUN.

    ## What it does
    Flags `cd DIR` in RUN. A `cd` inside a subshell `( cd src && make )` only scopes that
    subshell and is not flagged; neither is `cd -` nor a `cd` that is the last command.

    ## Why is this bad?
    `WORKDIR` says where the following steps run, visibly and for every later instruction;
    `cd` hides it inside one shell line and is easy to lose when the line is split.

    ## Example
    ```dockerfile
    FROM golang:1.23
    RUN cd /src && go build ./...
    ```

    Use instead:
    ```dockerfile
    FROM golang:1.23
    WORKDIR /src
    RUN go build ./...
    ```

    ## References
    - [hadolint DL3003](https://github.com/hadolint/hadolint/wiki/DL3003)
    """

    code = "SH004"
    name = "cd-in-run"
    severity = "warning"
    aliases = {"hadolint": ("DL3003",)}

    def check_script(self, ctx, run) -> Iterator[Finding]:
        commands = run.commands
        for index, command in enumerate(commands):
            if command.name != "cd" or command.in_subshell or command.args[:1] == ("-",):
                continue
            if index == len(commands) - 1:
                continue
            target = command.args[0] if command.args else "~"
            yield Finding(run.command_span(command), f"cd {target} changes directory inside RUN, where nobody sees it",
                          hint=f"use WORKDIR {target} before the RUN")
