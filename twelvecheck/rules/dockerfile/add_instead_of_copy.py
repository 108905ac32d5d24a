from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import InstructionRule
from twelvecheck.rules.dockerfile._operands import sources_and_destination
from twelvecheck.rules.dockerfile.copied_archive_extracted import is_tar_archive

# What only ADD can do: fetch URLs and git repositories, unpack local tar archives.
ADD_ONLY_FLAGS = frozenset({"checksum", "keep-git-dir", "unpack"})


class AddInsteadOfCopy(InstructionRule):
    """`ADD` used for plain files and folders.

    ## What it does
    Flags an `ADD` whose sources are all local files or folders that are not tar archives.
    `ADD` of a URL, a git repository, a local tar archive (which `ADD` unpacks) or with an
    ADD-only flag (`--checksum`, `--keep-git-dir`, `--unpack`) is left alone, as is a source
    whose variable has no known value.

    ## Why is this bad?
    `ADD` has side effects `COPY` lacks: it unpacks archives and fetches URLs. Using it for a
    plain file hides which of those behaviours is wanted, and a renamed file can start being
    unpacked.

    ## Example
    ```dockerfile
    FROM nginx:1.27
    ADD site/ /usr/share/nginx/html/
    ```

    Use instead:
    ```dockerfile
    FROM nginx:1.27
    COPY site/ /usr/share/nginx/html/
    ```

    ## References
    - [hadolint DL3020](https://github.com/hadolint/hadolint/wiki/DL3020)
    """

    code = "DF012"
    name = "add-instead-of-copy"
    severity = "warning"
    aliases = {"hadolint": ("DL3020",)}
    keywords = frozenset({"ADD"})

    def check_instruction(self, ctx, instruction) -> Iterator[Finding]:
        if any(flag.name in ADD_ONLY_FLAGS for flag in instruction.flags):
            return
        sources, _ = sources_and_destination(ctx, instruction)
        if not sources:
            return
        for source in sources:
            if source.unknown or source.is_url or source.is_git or is_tar_archive(source.value):
                return
        names = ", ".join(s.value if not s.heredoc else s.written for s in sources)
        yield Finding(instruction.span, f"ADD of plain files ({names}): none is a URL or an archive to unpack",
                      hint="use COPY, which only copies")
