"""Compare our Dockerfile parser with BuildKit's (the PyPI ``dockerfile`` package wraps its Go parser)."""

from __future__ import annotations

from twelvecheck.parse.dockerfile import parse
from twelvecheck.parse.model import Instruction


def buildkit_view(text: str) -> list[tuple] | str:
    """BuildKit's parse as comparable tuples, or its error message."""
    import dockerfile

    try:
        commands = dockerfile.parse_string(text)
    except dockerfile.GoParseError as error:
        return str(error)
    return [
        (
            (c.cmd or "").upper(),
            c.sub_cmd.upper() if c.sub_cmd else None,
            c.json,
            c.start_line,
            c.end_line,
            tuple(c.flags),
            tuple(c.value),
            tuple((h.name, h.file_descriptor, h.content) for h in c.heredocs),
        )
        for c in commands
    ]


def _view(instruction: Instruction) -> tuple:
    shown = instruction.onbuild or instruction
    heredocs = instruction.heredocs or shown.heredocs
    return (
        instruction.keyword,
        instruction.onbuild.keyword if instruction.onbuild else None,
        shown.json,
        instruction.span.line,
        instruction.span.end_line,
        tuple(flag.raw for flag in instruction.flags),
        shown.args,
        tuple((h.name, h.file_descriptor, h.body) for h in heredocs),
    )


def our_view(text: str) -> list[tuple]:
    return [_view(instruction) for instruction in parse(text).instructions]
