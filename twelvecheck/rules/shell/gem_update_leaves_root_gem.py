from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.shell._base import ShellRule
from twelvecheck.rules.shell._private import kept_in_layer


GEM = frozenset({"gem"})


class GemUpdateLeavesRootGem(ShellRule):
    """`gem update --system` leaving `/root/.gem` in the image.

    ## What it does
    Flags `gem update --system` in the stages that make the final image when the same RUN does
    not remove `/root/.gem` afterwards.

    ## Why is this bad?
    The RubyGems update leaves its downloads and specs under `/root/.gem`: megabytes nothing
    uses once the update is installed.

    ## Example
    ```dockerfile
    FROM ruby:3.3-slim
    RUN gem update --system 3.5.22
    ```

    Use instead:
    ```dockerfile
    FROM ruby:3.3-slim
    RUN gem update --system 3.5.22 && rm -rf /root/.gem
    ```

    ## References
    - binnacle rule `gemUpdateSystemRmRootGem` (Henkel et al., ICSE 2020)
    """

    code = "SH045"
    name = "gem-update-leaves-root-gem"
    severity = "info"
    aliases = {"binnacle": ("gemUpdateSystemRmRootGem",)}

    def check_script(self, ctx, run) -> Iterator[Finding]:
        if not ctx.in_final_image(run.instruction):
            return
        for command in run.commands_named(GEM):
            gem = run.invocation(command)
            if gem is not None and gem.subcommand == "update" and gem.has("system") \
                    and kept_in_layer(run, ("/root/.gem",), command.start):
                yield Finding(run.command_span(command), "gem update --system leaves /root/.gem in this layer",
                              hint="end the RUN with && rm -rf /root/.gem")
