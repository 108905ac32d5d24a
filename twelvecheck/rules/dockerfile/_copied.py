"""Files COPY/ADD brings from the build context into the final image, read so rules can point
at their lines (supervisord programs, crontab entries)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from twelvecheck.files import inside, is_regular_file, read_text, real_root
from twelvecheck.parse.model import Instruction
from twelvecheck.rules.dockerfile._startup import final_chain

MAX_FILES_PER_DIRECTORY = 50


@dataclass(frozen=True, slots=True)
class CopiedFile:
    instruction: Instruction  # the COPY/ADD that brought it
    display: str  # its path as reports show it (beside the Dockerfile's)
    destination: str  # where it lands in the image (a directory when it ends with /)
    text: str


def copied_files(ctx, wanted: Callable[[str, str], bool]) -> Iterator[CopiedFile]:
    """Context files copied into the final image for which ``wanted(source_name, destination)``
    holds; a copied directory yields its files (one level deep)."""
    if not ctx.directory:
        return
    for stage in final_chain(ctx):
        for instruction in stage.instructions:
            if instruction.keyword not in ("COPY", "ADD") or instruction.flag("from") or len(instruction.args) < 2:
                continue
            *sources, destination = instruction.args
            for source in sources:
                if "://" in source or "*" in source or "$" in source:
                    continue
                for relative in _files_of(ctx.directory, source):
                    if wanted(os.path.basename(relative), destination):
                        text = read_text(os.path.join(ctx.directory, relative), root=ctx.context_root)
                        if isinstance(text, str):
                            display = os.path.normpath(os.path.join(os.path.dirname(ctx.path), relative))
                            yield CopiedFile(instruction, display, destination, text)


def _files_of(directory: str, source: str) -> list[str]:
    path = os.path.normpath(os.path.join(directory, source))
    if not path.startswith(os.path.abspath(directory)):
        return []
    if is_regular_file(path, real_root(directory)):
        return [source]
    if os.path.isdir(path) and inside(path, real_root(directory)):
        names = sorted(n for n in os.listdir(path) if is_regular_file(os.path.join(path, n), real_root(directory)))
        return [os.path.join(source, n) for n in names[:MAX_FILES_PER_DIRECTORY]]
    return []
