"""The source and destination operands of COPY and ADD, expanded, with their source spans."""

from __future__ import annotations

from dataclasses import dataclass

from twelvecheck.parse.model import Instruction, Span
from twelvecheck.rules.dockerfile._variables import is_unknown


@dataclass(frozen=True, slots=True)
class Operand:
    written: str  # as written (quotes kept in the shell form)
    value: str  # after variable expansion and quote removal
    unknown: bool  # uses a variable with no known value
    heredoc: bool  # '<<EOF': the content comes from a heredoc, not the context
    span: Span

    @property
    def is_url(self) -> bool:
        return self.value.lower().startswith(("http://", "https://"))

    @property
    def is_git(self) -> bool:
        lowered = self.value.lower()
        return lowered.startswith(("git@", "git://", "ssh://")) or (self.is_url and lowered.split("#")[0].endswith(".git"))


def operands(ctx, instruction: Instruction) -> list[Operand]:
    """Every operand of a COPY/ADD, the destination last.

    BuildKit splits the shell form of COPY/ADD at whitespace *before* removing quotes (its
    ``args``), so ``COPY "a b" /x`` has the two sources ``a`` and ``b``; so do we.
    Computed once per instruction for all rules.
    """
    return list(ctx.per_instruction("operands", instruction, lambda: _operands(ctx, instruction)))


def _operands(ctx, instruction: Instruction) -> list[Operand]:
    if instruction.json:
        words = [(arg, instruction.span) for arg in instruction.args]
    else:
        words = list(_located(instruction))
    heredocs = {heredoc.name for heredoc in instruction.heredocs}
    result = []
    for written, span in words:
        is_heredoc = written.startswith("<<") and written.lstrip("<-").strip("'\"") in heredocs
        expansion = ctx.expansion(written, instruction) if not instruction.json else ctx.expansion(_quote(written), instruction)
        result.append(Operand(written, expansion.value, is_unknown(ctx, instruction, expansion), is_heredoc, span))
    return result


def _located(instruction: Instruction):
    cursor = 0
    for arg in instruction.args:
        start = instruction.text.find(arg, cursor)
        if start < 0:
            yield arg, instruction.span
            continue
        cursor = start + len(arg)
        yield arg, instruction.text_map.span(start, cursor)


def _quote(text: str) -> str:
    """A JSON-form operand is one word already: protect its spaces from the word splitter."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def sources_and_destination(ctx, instruction: Instruction) -> tuple[list[Operand], Operand | None]:
    found = operands(ctx, instruction)
    if len(found) < 2:
        return [], None
    return found[:-1], found[-1]
