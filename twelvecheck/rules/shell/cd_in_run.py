from __future__ import annotations

import re
from collections.abc import Iterator

from twelvecheck.findings import Edit, Finding, Fix
from twelvecheck.rules._fixes import exact, line_before, make_fix, point
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

    ## Fix safety
    Unsafe: `RUN cd /abs/dir && rest` becomes `WORKDIR /abs/dir` then `RUN rest`, and the new
    working directory stays for every later instruction of the stage (and the image's start
    command), where `cd` changed nothing; WORKDIR also creates a missing directory where `cd`
    failed. Only a RUN that starts with `cd` to a literal absolute path followed by `&&` gets
    this fix.

    A `cd` later in the script gets a safe fix instead: it and the rest of the script go into
    a subshell, `a && (cd dir && b)`, which runs the same commands in the same directories and
    ends the script with the same status, and shows where the `cd` stops counting. It is
    offered only when the parentheses cannot regroup anything: no `||` after the `cd`, and the
    `cd` not inside an `if`, loop or group.

    ## References
    - [hadolint DL3003](https://github.com/hadolint/hadolint/wiki/DL3003)
    """

    code = "SH004"
    name = "cd-in-run"
    severity = "warning"
    aliases = {"hadolint": ("DL3003",)}
    fixable = True
    fix_safety = "unsafe"

    def check_script(self, ctx, run) -> Iterator[Finding]:
        commands = run.commands
        subshell_offered = False  # one per script and round: the next cd is inside it then
        for index, command in enumerate(commands):
            if command.name != "cd" or command.in_subshell or command.args[:1] == ("-",):
                continue
            if index == len(commands) - 1:
                continue
            target = command.args[0] if command.args else "~"
            fix = _workdir_fix(ctx, run, commands, index)
            if fix is None and not subshell_offered:
                fix = _subshell_fix(run, commands, index)
                subshell_offered = fix is not None
            yield Finding(run.command_span(command), f"cd {target} changes directory inside RUN, where nobody sees it",
                          hint=f"use WORKDIR {target} before the RUN", fix=fix)


def _workdir_fix(ctx, run, commands, index) -> Fix | None:
    """``RUN cd /dir && rest`` → ``WORKDIR /dir`` + ``RUN rest`` (the first command only)."""
    command = commands[index]
    instruction = run.instruction
    stage = ctx.stage_of(instruction)
    if index != 0 or run.heredoc is not None or command.depth or command.wrapped_by or command.connector != "&&" \
            or len(command.argv) != 2 or stage is None or ctx.is_onbuild_trigger(instruction):
        return None
    target = command.argv[1]
    if not exact(run, target) or target.raw != target.value or not target.value.startswith("/") \
            or any(c in target.value for c in "$*?[]{}~\\"):
        return None
    joint = re.match(r"\s*&&\s*", run.text[command.end:])
    if run.text[:command.start].strip() or not exact(run, command.argv[0]) or joint is None:
        return None
    rest = command.end + joint.end()  # what followed `cd DIR &&` starts the RUN now
    return make_fix(f"use WORKDIR {target.value}", line_before(instruction, f"WORKDIR {target.value}"),
                    Edit(run.span(command.start, rest), ""), safe=False)


def _subshell_fix(run, commands, index) -> Fix | None:
    """``a && cd dir && b; c`` → ``a && (cd dir && b; c)``: the cd's scope written out, when the
    cd and everything after it form the end of the script's top-level list (no ``||`` that
    the parentheses would regroup, no compound command they would cut)."""
    from twelvecheck.parse.shell import parse_script

    command = commands[index]
    text = run.text
    if command.depth or command.wrapped_by or command.pipeline_length != 1 or not exact(run, command.argv[0]):
        return None
    before = [c for c in commands[:index] if not c.depth and not c.wrapped_by]
    after = [c for c in commands[index:] if not c.wrapped_by]
    if before and before[-1].connector not in ("&&", ";") or any(c.connector == "||" for c in after):
        return None
    end = len(text.rstrip())
    if "#" in text[max(c.end for c in commands):] or text[:end].endswith(("&", "\\")):
        return None
    wrapped = text[:command.start] + "(" + text[command.start:end] + ")" + text[end:]
    reparsed = parse_script(wrapped)
    if reparsed.errors or len(reparsed.commands) != len(commands):
        return None
    line, column = run.position(end - 1)
    return make_fix("scope the cd in a subshell", Edit(point(run.position(command.start)), "("),
                    Edit(point((line, column + 1)), ")"))
