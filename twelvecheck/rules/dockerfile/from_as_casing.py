from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Edit, Finding
from twelvecheck.rules._fixes import make_fix, text_span, written_words
from twelvecheck.rules.base import StageRule


class FromAsCasing(StageRule):
    """`FROM` and `AS` written in different cases.

    ## What it does
    Flags `FROM image as name` and `from image AS name`. A `FROM` keyword in mixed case is
    left to `inconsistent-instruction-casing`.

    ## Why is this bad?
    Cosmetic: the keywords of one instruction should read alike.

    ## Example
    ```dockerfile
    FROM debian:12-slim as build
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim AS build
    ```

    ## Fix safety
    Safe: `AS` is case-insensitive; only the spelling changes.

    ## References
    - [BuildKit FromAsCasing](https://docs.docker.com/reference/build-checks/from-as-casing/)
    """

    code = "DF034"
    name = "from-as-casing"
    severity = "style"
    aliases = {"buildkit": ("FromAsCasing",)}
    fixable = True

    def check_stage(self, ctx, stage) -> Iterator[Finding]:
        instruction = stage.from_instruction
        if len(instruction.args) < 3 or instruction.args[1].lower() != "as":
            return
        keyword, as_word = instruction.written_keyword, instruction.args[1]
        if keyword == keyword.upper():
            expected = "AS"
        elif keyword == keyword.lower():
            expected = "as"
        else:
            return
        if as_word != expected:
            yield Finding(instruction.span, f"'{as_word}' does not match the case of '{keyword}'",
                          hint=f"write {keyword} … {expected} …", fix=_as_fix(instruction, expected))


def _as_fix(instruction, expected: str):
    words = written_words(instruction)
    if len(words) < 3 or words[1][2].lower() != "as":
        return None
    start, end, _ = words[1]
    return make_fix(f"write {expected}", Edit(text_span(instruction, start, end), expected))
