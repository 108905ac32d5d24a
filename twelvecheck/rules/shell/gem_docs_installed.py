from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._fixes import option_fix
from twelvecheck.rules.shell._base import ShellRule


class GemDocsInstalled(ShellRule):
    """`gem install` or `gem update` that also generates documentation.

    ## What it does
    Flags `gem install` and `gem update` without `--no-document` (`-N`, or the old
    `--no-ri --no-rdoc`), unless an earlier step of the file writes `--no-document` into a
    gemrc (`echo 'gem: --no-document' > ~/.gemrc`) or the stage is built FROM an official `ruby`
    image, whose `/usr/local/etc/gemrc` already says so.

    ## Why is this bad?
    ri and rdoc documentation is generated for every gem: build time and megabytes nobody reads
    inside a container.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN gem install bundler:2.5.22
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    RUN gem install --no-document bundler:2.5.22
    ```

    ## Fix safety
    Safe: the same gems are installed, without their ri/rdoc documentation.

    ## References
    - binnacle rule `gemUpdateNoDocument` (Henkel et al., ICSE 2020)
    """

    code = "SH044"
    name = "gem-docs-installed"
    severity = "info"
    aliases = {"binnacle": ("gemUpdateNoDocument",)}
    fixable = True

    def check_script(self, ctx, run) -> Iterator[Finding]:
        installs = [(command, gem) for command in run.commands
                    for gem in [run.invocation(command) if command.name == "gem" else None]
                    if gem is not None and gem.subcommand in ("install", "update") and not gem.no_document]
        if not installs:
            return
        stage = ctx.stage_of(run.instruction)
        image = ctx.resolved_base(stage).lower().rsplit("/", 1)[-1] if stage is not None else ""
        if image.split(":")[0] == "ruby" or _gemrc_line(ctx) <= run.instruction.span.line:
            return
        for command, gem in installs:
            yield Finding(run.command_span(command), f"gem {gem.subcommand} generates ri/rdoc documentation",
                          hint=f"add --no-document: gem {gem.subcommand} --no-document …",
                          fix=option_fix(run, command, "--no-document", frozenset({gem.subcommand})))


def _gemrc_line(ctx) -> float:
    """The line of the first RUN writing ``no-document`` into a gemrc (infinity: none); found
    once per file, kept on the file's context."""
    cached = ctx.__dict__.get("_gemrc_no_document_line")
    if cached is None:
        cached = next((run.instruction.span.line for run in ctx.run_scripts for command in run.commands
                       if command.name in ("echo", "printf") and any("no-document" in a or "no-rdoc" in a for a in command.args)
                       and any(r.target.value.endswith("gemrc") for r in command.redirects)), float("inf"))
        ctx.__dict__["_gemrc_no_document_line"] = cached
    return cached
