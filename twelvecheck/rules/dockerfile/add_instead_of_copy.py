from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Edit, Finding
from twelvecheck.rules._fixes import keyword_span, make_fix
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

    ## Fix safety
    Safe when every source is a heredoc, a folder, or a file of the build context (the
    Dockerfile's folder) that is not an archive by its content: ADD would only have copied it.
    Unsafe otherwise (a glob, a file missing here): ADD unpacks a local archive whatever its
    name, and COPY would copy it packed.

    ## References
    - [hadolint DL3020](https://github.com/hadolint/hadolint/wiki/DL3020)
    """

    code = "DF012"
    name = "add-instead-of-copy"
    severity = "warning"
    aliases = {"hadolint": ("DL3020",)}
    keywords = frozenset({"ADD"})
    fixable = True
    fix_safety = "unsafe"

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
        copy = "COPY" if instruction.written_keyword.isupper() else "copy"
        fix = make_fix("use COPY", Edit(keyword_span(instruction), copy),
                       safe=all(_plain_in_context(ctx, source) for source in sources))
        yield Finding(instruction.span, f"ADD of plain files ({names}): none is a URL or an archive to unpack",
                      hint="use COPY, which only copies", fix=fix)


_ARCHIVE_MAGIC = (b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00", b"\x28\xb5\x2f\xfd")


def _plain_in_context(ctx, source) -> bool:
    """The source is a heredoc, a folder, or a context file that is not an archive by content."""
    import os
    import stat

    if source.heredoc:
        return True
    if ctx.directory is None or any(c in source.value for c in "*?[$"):
        return False
    path = os.path.join(ctx.directory, source.value.lstrip("/"))
    if os.path.commonpath([os.path.realpath(path), os.path.realpath(ctx.directory)]) != os.path.realpath(ctx.directory):
        return False
    try:
        info = os.lstat(path)
        if stat.S_ISDIR(info.st_mode):
            return True
        if not stat.S_ISREG(info.st_mode):
            return False
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        try:
            head = os.read(fd, 262)
        finally:
            os.close(fd)
    except OSError:
        return False
    return not head.startswith(_ARCHIVE_MAGIC) and head[257:262] != b"ustar"
