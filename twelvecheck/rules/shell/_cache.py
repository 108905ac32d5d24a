"""The shape of "package cache left in the image" rules: an installing command whose cache is
neither cleaned later in the same RUN nor kept out of the layer by a cache/tmpfs mount."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from twelvecheck.findings import Finding
from twelvecheck.parse.shell import Command
from twelvecheck.rules.run_scripts import RunScript
from twelvecheck.rules.shell._base import ShellRule
from twelvecheck.rules.shell._private import kept_in_layer


class CacheKeptRule(ShellRule):
    """Subclasses name the cache ``paths``, say which commands fill it (``fills``) and which
    clean it (``cleans``). Only stages whose layers ship (the final stage and its bases) are
    judged: a build stage's cache is never copied out."""

    paths: ClassVar[tuple[str, ...]] = ()
    clean_hint: ClassVar[str] = ""

    def fills(self, ctx, run: RunScript, command: Command) -> bool:
        raise NotImplementedError

    def cleans(self, run: RunScript, command: Command) -> bool:
        return False

    def check_script(self, ctx, run: RunScript) -> Iterator[Finding]:
        if not ctx.in_final_image(run.instruction):
            return
        for command in run.commands:
            if self.commands and command.name not in self.commands:
                continue
            if not self.fills(ctx, run, command):
                continue
            later = [c for c in run.commands if c.start > command.start]
            if any(self.cleans(run, c) for c in later if not self.commands or c.name in self.commands) or not kept_in_layer(run, self.paths, command.start):
                continue
            yield Finding(run.command_span(command), self.message(run, command), hint=self.clean_hint)
            return  # one finding per script: the cleanup goes at its end

    def message(self, run: RunScript, command: Command) -> str:
        return f"{command.name} leaves its package cache ({self.paths[0]}) in this layer"
