from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import DockerfileRule
from twelvecheck.rules.dockerfile._startup import final_chain

GIT_SOURCES = ("git@", "git://", ".git", "github.com/", "gitlab.com/", "bitbucket.org/")


class AppCodeFetchedAtBuild(DockerfileRule):
    """The application's code is fetched at build time (`git clone`, `ADD <git url>`).

    ## What it does
    In the final image's stages, flags `RUN git clone` and `ADD` of a git repository.

    ## Why is this bad?
    Factor I (codebase): one codebase tracked in version control, many deploys. A build that
    clones a branch builds whatever the branch holds at that moment, not the commit being
    released; the build context stops being the codebase.

    ## Example
    ```dockerfile
    FROM node:22.11-slim
    RUN git clone https://github.com/example/shop.git /app
    ```

    Use instead:
    ```dockerfile
    FROM node:22.11-slim
    COPY . /app
    ```
    """

    code = "DF209"
    name = "app-code-fetched-at-build"
    severity = "warning"
    factors = ("I",)

    def check(self, ctx) -> Iterator[Finding]:
        for stage in final_chain(ctx):
            for instruction in stage.instructions:
                if instruction.keyword == "ADD" and any(s.startswith(GIT_SOURCES[:2]) or s.split("#")[0].endswith(".git")
                                                        for s in instruction.args[:-1]):
                    yield Finding(instruction.span, "ADD fetches a git repository into the image",
                                  hint="COPY the code from the build context (the checked-out commit)")
                if instruction.keyword == "RUN" and not instruction.json and ctx.uses_posix_shell(instruction):
                    for command in ctx.scripts_of(instruction)[0].commands:  # the RUN's own line, parsed once per file
                        if command.name == "git" and command.args[:1] == ("clone",):
                            yield Finding(instruction.text_map.span(command.start, command.end),
                                          "RUN clones a git repository into the final image",
                                          hint="COPY the code from the build context (the checked-out commit)")
