from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import DockerfileRule
from twelvecheck.rules.dockerfile._operands import sources_and_destination

# Archives ADD unpacks by itself (tar, plain or compressed). ADD does not unpack zip files, so
# suggesting ADD for a copied .zip would be wrong advice.
TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tb2", ".tar.xz", ".txz",
                ".tar.zst", ".tzst", ".tar.lzma", ".tlz")
DECOMPRESSORS = frozenset({"gunzip", "bunzip2", "unxz", "unlzma", "unzstd", "zcat", "gzcat", "uncompress"})


def is_tar_archive(path: str) -> bool:
    return path.lower().endswith(TAR_SUFFIXES)


def _basename(path: str) -> str:
    return path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


def _extracts(command) -> bool:
    if command.name in DECOMPRESSORS:
        return True
    if command.name not in {"tar", "bsdtar", "gtar"} or not command.args:
        return False
    first = command.args[0]
    if not first.startswith("-") and "x" in first:  # old-style 'tar xzf file.tgz'
        return True
    return any(arg in ("--extract", "--get") or (arg.startswith("-") and not arg.startswith("--") and "x" in arg)
               for arg in command.args)


class CopiedArchiveExtracted(DockerfileRule):
    """A tar archive is `COPY`ed into the image and then unpacked by a `RUN`.

    ## What it does
    Flags a `COPY` of a local tar archive (`.tar`, `.tar.gz`, `.tgz`, `.tar.xz`, …) when a later
    `RUN` of the same stage unpacks that file with `tar -x` or a decompressor. Zip files are not
    flagged: `ADD` does not unpack them.

    ## Why is this bad?
    The copied archive stays in its own layer even after the `RUN` deletes it, so the image ships
    the files twice. `ADD` unpacks a local tar archive into the destination in one step.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    COPY vendor.tar.gz /tmp/
    RUN tar -xzf /tmp/vendor.tar.gz -C /opt && rm /tmp/vendor.tar.gz
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    ADD vendor.tar.gz /opt/
    ```

    ## References
    - [hadolint DL3010](https://github.com/hadolint/hadolint/wiki/DL3010)
    """

    code = "DF010"
    name = "copied-archive-extracted"
    severity = "info"
    aliases = {"hadolint": ("DL3010",)}

    def check(self, ctx) -> Iterator[Finding]:
        scripts_by_instruction: dict[int, list] = {}
        for run in ctx.run_scripts:
            scripts_by_instruction.setdefault(id(run.instruction), []).append(run)
        for stage in ctx.dockerfile.stages:
            copied: dict[str, object] = {}  # archive basename -> the COPY that brought it
            for instruction in stage.instructions:
                if instruction.keyword == "COPY" and instruction.flag("from") is None:
                    sources, destination = sources_and_destination(ctx, instruction)
                    if destination is None or any(s.heredoc for s in sources):
                        continue
                    if is_tar_archive(destination.value):
                        copied[_basename(destination.value)] = instruction
                    else:
                        for source in sources:
                            if is_tar_archive(source.value):
                                copied[_basename(source.value)] = instruction
                elif instruction.keyword == "RUN" and copied:
                    for run in scripts_by_instruction.get(id(instruction), []):
                        for command in run.commands:
                            if not _extracts(command):
                                continue
                            for arg in command.args:
                                name = _basename(arg)
                                copy = copied.pop(name, None)
                                if copy is not None:
                                    yield Finding(copy.span, f"'{name}' is copied here and unpacked by the RUN on line {instruction.span.line}: the archive stays in a layer",
                                                  hint="use ADD, which unpacks a local tar archive into the destination")
