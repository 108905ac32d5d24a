from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._fixes import removal_fix
from twelvecheck.rules._verify import files_left_verdict, not_checkable
from twelvecheck.rules.shell._base import ShellRule
from twelvecheck.rules.shell._private import in_working_directory, left_behind, mounted, removes


_SUFFIXES = (".asc", ".sig", ".sign")


GPG = frozenset({"gpg", "gpg2"})


class SignatureFileNotRemoved(ShellRule):
    r"""A downloaded signature (`.asc`) left in the image after `gpg --verify`.

    ## What it does
    Flags `gpg --verify FILE.asc` in the stages that make the final image when the RUN
    downloaded that file and does not remove it afterwards (by path, parent directory or glob).
    A signature kept beside the file it signs, when that file is kept too, is not flagged: the
    image ships the artifact on purpose (docker-library's php keeps `php.tar.xz` and its `.asc`
    in `/usr/src` for `docker-php-source`), and its few hundred bytes let users verify it again.

    ## Why is this bad?
    Once verified, the signature is dead weight; removing it in a later RUN does not help
    because the layer that added it stays in the image.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN curl -fsSLo app.tgz https://example.com/app.tgz \
        && curl -fsSLo app.tgz.asc https://example.com/app.tgz.asc \
        && gpg --batch --verify app.tgz.asc app.tgz && rm app.tgz
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    RUN curl -fsSLo app.tgz https://example.com/app.tgz \
        && curl -fsSLo app.tgz.asc https://example.com/app.tgz.asc \
        && gpg --batch --verify app.tgz.asc app.tgz && rm app.tgz app.tgz.asc
    ```

    ## Fix safety
    Unsafe: the signature leaves the image. The fix puts `&& rm -f FILE.asc` right after
    `gpg --verify`, only when no later command of the RUN and no later instruction of the stage
    names the file.

    ## References
    - binnacle rule `gpgVerifyAscRmAsc` (Henkel et al., ICSE 2020)
    """

    code = "SH041"
    name = "signature-file-not-removed"
    severity = "info"
    aliases = {"binnacle": ("gpgVerifyAscRmAsc",)}
    fixable = True
    fix_safety = "unsafe"

    def check_script(self, ctx, run) -> Iterator[Finding]:
        if not ctx.in_final_image(run.instruction):
            return
        for command in run.commands_named(GPG):
            gpg = run.invocation(command)
            if gpg is None or not gpg.has("verify"):
                continue
            paths = [in_working_directory(run, path, command) for path in gpg.paths]
            for path in paths:
                signed = paths[1] if len(paths) > 1 and path == paths[0] else path.rpartition(".")[0]
                kept_with_artifact = not removes(run, signed, command.start) and not mounted(run, signed)
                if path.endswith(_SUFFIXES) and left_behind(run, path, command.start) and not kept_with_artifact:
                    yield Finding(run.command_span(command), f"{path} is verified but stays in this layer",
                                  hint=f"remove it in the same RUN: && rm {path}",
                                  fix=removal_fix(ctx, run, command, path, "verifying it"), subject=path)

    def verify(self, finding: Finding, image):
        if not finding.subject or not finding.subject.startswith("/"):
            return not_checkable("the signature's path depends on the working directory of the RUN")
        return files_left_verdict(image, finding, (finding.subject,), "the signature file")
