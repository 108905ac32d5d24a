from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Edit, Finding
from twelvecheck.rules._fixes import keyword_span, make_fix
from twelvecheck.rules.base import DockerfileRule


def _case(word: str) -> str | None:
    if word == word.upper():
        return "upper"
    if word == word.lower():
        return "lower"
    return None  # mixed: 'From', 'EntryPoint'


class InconsistentInstructionCasing(DockerfileRule):
    """Instruction keywords in mixed case, or in the minority case of the file.

    ## What it does
    Counts the all-upper and all-lower keywords of the file; the majority (upper case on a
    tie) is the file's style. Flags each keyword in the other case and each keyword that
    mixes cases (`From`, `EntryPoint`).

    ## Why is this bad?
    Cosmetic: a file that mixes styles is harder to scan.

    ## Example
    ```dockerfile
    From alpine:3.20
    RUN echo hello > /greeting.txt
    ENTRYPOINT ["cat", "/greeting.txt"]
    ```

    Use instead:
    ```dockerfile
    FROM alpine:3.20
    RUN echo hello > /greeting.txt
    ENTRYPOINT ["cat", "/greeting.txt"]
    ```

    ## Fix safety
    Safe: instruction keywords are case-insensitive; only the spelling changes.

    ## References
    - [BuildKit ConsistentInstructionCasing](https://docs.docker.com/reference/build-checks/consistent-instruction-casing/)
    """

    code = "DF036"
    name = "inconsistent-instruction-casing"
    severity = "style"
    aliases = {"buildkit": ("ConsistentInstructionCasing",)}
    fixable = True

    def check(self, ctx) -> Iterator[Finding]:
        instructions = ctx.dockerfile.instructions
        cases = [_case(i.written_keyword) for i in instructions]
        majority = "lower" if cases.count("lower") > cases.count("upper") else "upper"
        for instruction, case in zip(instructions, cases):
            if case == majority:
                continue
            keyword = instruction.written_keyword
            what = "mixes upper and lower case" if case is None else f"is {case} case"
            wanted = keyword.upper() if majority == "upper" else keyword.lower()
            yield Finding(instruction.span, f"'{keyword}' {what}, while most instructions of this file are {majority} case",
                          hint=f"write {wanted}",
                          fix=make_fix(f"write {wanted}", Edit(keyword_span(instruction), wanted)))
