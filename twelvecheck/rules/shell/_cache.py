"""The shape of "package cache left in the image" rules: an installing command whose cache is
neither cleaned later in the same RUN nor kept out of the layer by a cache/tmpfs mount."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from twelvecheck.findings import Finding, Fix
from twelvecheck.parse.shell import Command
from twelvecheck.rules._fixes import append_step, make_fix
from twelvecheck.rules.run_scripts import RunScript
from twelvecheck.rules.shell._base import ShellRule
from twelvecheck.rules.shell._private import kept_in_layer
from twelvecheck.rules._verify import files_left_verdict


class CacheKeptRule(ShellRule):
    """Subclasses name the tool's ``commands`` and its cache ``paths``. By default an install
    fills the cache (unless ``cache_option`` moves it to a path that does not stay in the layer)
    and the tool's ``cleans_cache`` command empties it; rules override ``fills``/``cleans`` where
    their tool differs. Only stages whose layers ship (the final stage and its bases) are
    judged: a build stage's cache is never copied out."""

    paths: ClassVar[tuple[str, ...]] = ()
    clean_hint: ClassVar[str] = ""
    cache_option: ClassVar[str | None] = None  # an option naming another cache directory
    # The step that empties the cache, run last in the RUN ("{tool}": the command's name).
    clean_step: ClassVar[str | None] = None
    fixable = True

    def fills(self, ctx, run: RunScript, command: Command) -> bool:
        invocation = run.invocation(command)
        if invocation is None or not invocation.is_install:
            return False
        folder = invocation.value(self.cache_option) if self.cache_option else None
        return folder is None or kept_in_layer(run, (folder,), command.start)

    def cleans(self, run: RunScript, command: Command) -> bool:
        invocation = run.invocation(command)
        return bool(getattr(invocation, "cleans_cache", False))

    def check_script(self, ctx, run: RunScript) -> Iterator[Finding]:
        if not ctx.in_final_image(run.instruction):
            return
        tools = run.commands_named(self.commands)
        # where the last cleanup starts: an install before it has its cache emptied
        last_clean = max((c.start for c in tools if self.cleans(run, c)), default=-1)
        for command in tools:
            if not self.fills(ctx, run, command):
                continue
            if command.start < last_clean or not kept_in_layer(run, self.paths, command.start):
                continue
            yield Finding(run.command_span(command), self.message(run, command), hint=self.clean_hint,
                          fix=self.fix(ctx, run, command))
            return  # one finding per script: the cleanup goes at its end

    def fix(self, ctx, run: RunScript, command: Command) -> Fix | None:
        """By default the tool's ``clean_step`` appended to the RUN (after every install of it)."""
        if self.clean_step is None:
            return None
        step = self.clean_step.format(tool=command.name)
        return make_fix(f"end the RUN with {step}", append_step(run, step))

    def message(self, run: RunScript, command: Command) -> str:
        invocation = run.invocation(command)
        action = f"{command.name} {invocation.subcommand}" if invocation and invocation.subcommand else command.name
        return f"{action} leaves its package cache ({self.paths[0]}) in this layer"

    def verify(self, finding: Finding, image):
        """Bytes the step left in the cache directories (a later deletion still ships them)."""
        return files_left_verdict(image, finding, self.paths, "the package cache")
