"""The shape of shell rules: called for each command (or each script) of each RUN."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from twelvecheck.findings import Finding
from twelvecheck.parse.shell import Command
from twelvecheck.rules.base import DockerfileRule
from twelvecheck.rules.run_scripts import RunScript


class ShellRule(DockerfileRule):
    """Override ``check_command`` (one command at a time, only those named in ``commands``;
    all when it is empty) or ``check_script`` (a whole script, for rules about sequences)."""

    commands: ClassVar[frozenset[str]] = frozenset()

    def check(self, ctx) -> Iterator[Finding]:
        for run in ctx.run_scripts:
            yield from self.check_script(ctx, run)

    def check_script(self, ctx, run: RunScript) -> Iterator[Finding]:
        for command in run.commands_named(self.commands):
            yield from self.check_command(ctx, run, command)

    def check_command(self, ctx, run: RunScript, command: Command) -> Iterator[Finding]:
        raise NotImplementedError
