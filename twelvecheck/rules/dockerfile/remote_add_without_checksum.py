from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.parse.model import Instruction
from twelvecheck.rules.base import InstructionRule


def _is_git(url: str) -> bool:
    """BuildKit treats these as git sources (their checksum is a commit, not a file digest)."""
    base = url.split("#", 1)[0]
    return base.endswith(".git") or url.startswith(("git@", "git://")) or "#" in url


class RemoteAddWithoutChecksum(InstructionRule):
    """`ADD https://…` without `--checksum`: the download is not verified.

    ## What it does
    Reports an `ADD` whose source is an `http://` or `https://` URL (not a git repository) and
    that has no `--checksum=sha256:…` flag.

    ## Why is this bad?
    Whatever the server returns goes into the image: a compromised or changed release file,
    a truncated download. `--checksum` (Dockerfile syntax 1.6 and later) makes the build fail
    instead, and makes the build reproducible.

    ## Example
    ```dockerfile
    FROM alpine:3.20
    ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini-static /tini
    ```

    Use instead:
    ```dockerfile
    FROM alpine:3.20
    ADD --checksum=sha256:c5b0666b4cb676901f90dfcb37106783c5fe2077b04590973b885950611b30ee https://github.com/krallin/tini/releases/download/v0.19.0/tini-static /tini
    ```

    ## References
    - [Dockerfile reference: ADD --checksum](https://docs.docker.com/reference/dockerfile/#add---checksum)
    """

    code = "DF105"
    name = "remote-add-without-checksum"
    severity = "warning"
    keywords = frozenset({"ADD"})

    def check_instruction(self, ctx, instruction: Instruction) -> Iterator[Finding]:
        if instruction.flag("checksum") is not None:
            return
        words = ctx.argument_words(instruction) if not instruction.json else [(arg, instruction.span) for arg in instruction.args]
        for word, span in words[:-1]:
            url = ctx.expand(word, instruction)
            if url.lower().startswith(("http://", "https://")) and not _is_git(url):
                yield Finding(span, f"ADD {word} downloads without --checksum, so the content is not verified",
                              hint="add --checksum=sha256:<digest> (or download with curl and check with sha256sum -c)")
