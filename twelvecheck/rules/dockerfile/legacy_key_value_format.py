from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import InstructionRule


class LegacyKeyValueFormat(InstructionRule):
    """`ENV key value` or `LABEL key value`, the legacy form without `=`.

    ## What it does
    Flags an `ENV` or `LABEL` whose first word has no `=`: everything after the key becomes
    one value.

    ## Why is this bad?
    `ENV A 1 B 2` sets `A` to `"1 B 2"`, not two variables. The `key=value` form says what it
    does and allows several pairs per instruction.

    ## Example
    ```dockerfile
    FROM alpine:3.20
    ENV APP_HOME /srv/app
    ```

    Use instead:
    ```dockerfile
    FROM alpine:3.20
    ENV APP_HOME=/srv/app
    ```

    ## References
    - [BuildKit LegacyKeyValueFormat](https://docs.docker.com/reference/build-checks/legacy-key-value-format/)
    """

    code = "DF040"
    name = "legacy-key-value-format"
    severity = "style"
    aliases = {"buildkit": ("LegacyKeyValueFormat",)}
    keywords = frozenset({"ENV", "LABEL"})

    def check_instruction(self, ctx, instruction) -> Iterator[Finding]:
        words = ctx.words(instruction.text)
        if words and "=" not in words[0]:
            key = words[0]
            yield Finding(instruction.span, f"{instruction.keyword} {key} … uses the legacy 'key value' form",
                          hint=f"write {instruction.keyword} {key}=<value> (quote values with spaces)")
