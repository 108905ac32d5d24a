from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Edit, Finding
from twelvecheck.rules._fixes import make_fix, text_span
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

    ## Fix safety
    Safe: the legacy form's value is the rest of the line, taken as one word; the fix joins it
    with `=`, in double quotes when it holds spaces (the same value either way). A value with
    blanks and quotes or the escape character gets no fix.

    ## References
    - [BuildKit LegacyKeyValueFormat](https://docs.docker.com/reference/build-checks/legacy-key-value-format/)
    """

    code = "DF040"
    name = "legacy-key-value-format"
    severity = "style"
    aliases = {"buildkit": ("LegacyKeyValueFormat",)}
    keywords = frozenset({"ENV", "LABEL"})
    fixable = True

    def check_instruction(self, ctx, instruction) -> Iterator[Finding]:
        words = ctx.words(instruction.text)
        if words and "=" not in words[0]:
            key = words[0]
            yield Finding(instruction.span, f"{instruction.keyword} {key} … uses the legacy 'key value' form",
                          hint=f"write {instruction.keyword} {key}=<value> (quote values with spaces)",
                          fix=_key_value_fix(ctx, instruction))


def _key_value_fix(ctx, instruction):
    """``ENV key value`` → ``ENV key=value``, or ``key="a b"`` when the value has blanks (the
    legacy value is the rest of the instruction, continuation lines joined, read as one word)."""
    import re

    text = instruction.text
    match = re.match(r"(\S+)(\s+)(.*\S)\s*$", text, re.DOTALL)
    if match is None or "=" in match.group(1):
        return None
    value = match.group(3)
    gap = text_span(instruction, match.end(1), match.start(3))
    if not re.search(r"\s", value):
        return make_fix("write key=value", Edit(gap, "="))
    inner = value[1:-1]
    quoted = len(value) > 1 and value[0] == value[-1] == '"'
    if quoted and not any(c in inner for c in ('"', ctx.dockerfile.escape)):
        return make_fix("write key=value", Edit(gap, "="))  # already one quoted word
    if any(c in value for c in ('"', "'", ctx.dockerfile.escape)):
        return None
    end = text_span(instruction, match.end(3), match.end(3))
    return make_fix('write key="value"', Edit(gap, '="'), Edit(end, '"'))
