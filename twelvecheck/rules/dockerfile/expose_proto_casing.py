from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Edit, Finding
from twelvecheck.rules._fixes import make_fix
from twelvecheck.rules.base import InstructionRule


class ExposeProtoCasing(InstructionRule):
    """`EXPOSE` with an upper-case protocol (`80/TCP`).

    ## What it does
    Flags an `EXPOSE` value whose protocol (after variable expansion) is not lower case.

    ## Why is this bad?
    Docker accepts it, but the protocol is stored and compared in lower case elsewhere
    (compose, `docker inspect`), so the mixed spelling only confuses.

    ## Example
    ```dockerfile
    FROM nginx:1.27
    EXPOSE 80/TCP
    ```

    Use instead:
    ```dockerfile
    FROM nginx:1.27
    EXPOSE 80/tcp
    ```

    ## Fix safety
    Safe: the protocol is read case-insensitively; only the spelling changes.

    ## References
    - [BuildKit ExposeProtoCasing](https://docs.docker.com/reference/build-checks/expose-proto-casing/)
    """

    code = "DF044"
    name = "expose-proto-casing"
    severity = "style"
    aliases = {"buildkit": ("ExposeProtoCasing",)}
    keywords = frozenset({"EXPOSE"})
    fixable = True

    def check_instruction(self, ctx, instruction) -> Iterator[Finding]:
        for word, span in ctx.argument_words(instruction):
            expansion = ctx.expansion(word, instruction)
            _, slash, protocol = expansion.value.partition("/")
            if slash and protocol and not expansion.missing and protocol != protocol.lower():
                port = word.partition("/")[0]
                fix = make_fix(f"write {port}/{protocol.lower()}", Edit(span, f"{port}/{protocol.lower()}")) \
                    if "$" not in word and word.partition("/")[2] == protocol \
                    and span.line == span.end_line and span.end_column - span.column == len(word) else None
                yield Finding(span, f"EXPOSE {expansion.value}: the protocol '{protocol}' is not lower case",
                              hint=f"write {expansion.value.partition('/')[0]}/{protocol.lower()}", fix=fix)
