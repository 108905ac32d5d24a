from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._fixes import removal_fix
from twelvecheck.rules._verify import files_left_verdict, not_checkable
from twelvecheck.rules.shell._base import ShellRule
from twelvecheck.rules.shell._private import in_working_directory, left_behind


TAR = frozenset({"tar", "gtar", "bsdtar"})


class ArchiveNotRemoved(ShellRule):
    r"""A downloaded archive left in the image after extracting it.

    ## What it does
    Flags `tar -x -f ARCHIVE` in the stages that make the final image when the same RUN
    downloaded the archive (`curl -o`, `wget`) and does not remove it afterwards. Archives that
    came in by COPY are not flagged: removing them would not shrink the image. A relative archive
    is looked up in the directory the RUN's `cd` steps lead to, so `cd "$tmp" && tar -xf x.tgz`
    followed by `rm -rf "$tmp"` is not flagged.

    ## Why is this bad?
    The image then holds every file twice, compressed and extracted.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN curl -fsSLo /tmp/app.tgz https://example.com/app.tgz && tar -xzf /tmp/app.tgz -C /opt
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    RUN curl -fsSLo /tmp/app.tgz https://example.com/app.tgz && tar -xzf /tmp/app.tgz -C /opt \
        && rm /tmp/app.tgz
    ```

    ## Fix safety
    Unsafe: the archive leaves the image, and something outside the Dockerfile may have used it.
    The fix puts `&& rm -f ARCHIVE` right after the extracting command (same directory), only
    when no later command of the RUN and no later instruction of the stage names the file.

    ## References
    - binnacle rule `tarSomethingRmTheSomething` (Henkel et al., ICSE 2020)
    """

    code = "SH042"
    name = "archive-not-removed"
    severity = "info"
    aliases = {"binnacle": ("tarSomethingRmTheSomething",)}
    fixable = True
    fix_safety = "unsafe"

    def check_script(self, ctx, run) -> Iterator[Finding]:
        if not ctx.in_final_image(run.instruction):
            return
        for command in run.commands_named(TAR):
            tar = run.invocation(command)
            archive = tar.value("file") if tar is not None and tar.has("extract") else None
            where = in_working_directory(run, archive, command) if archive and archive != "-" else None
            if where and left_behind(run, where, command.start):
                yield Finding(run.command_span(command), f"{archive} is extracted but stays in this layer",
                              hint=f"remove it in the same RUN: && rm {archive}",
                              fix=removal_fix(ctx, run, command, archive, "extracting it"), subject=where)

    def verify(self, finding: Finding, image):
        if not finding.subject or not finding.subject.startswith("/"):
            return not_checkable("the archive's path depends on the working directory of the RUN")
        return files_left_verdict(image, finding, (finding.subject,), "the extracted archive")
