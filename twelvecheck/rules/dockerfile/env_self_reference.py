from __future__ import annotations

import re
from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import InstructionRule
from twelvecheck.rules.context import env_pairs


def _references(value: str, name: str) -> bool:
    return re.search(r"\$(\{" + re.escape(name) + r"([:}+?#%/-]|$)|" + re.escape(name) + r"\b)", value) is not None


class EnvSelfReference(InstructionRule):
    """An `ENV` that refers to a variable set in the same instruction.

    ## What it does
    Flags `ENV A=1 B=$A`: within one `ENV`, `$A` expands to the value *before* the instruction,
    not the `1` set beside it. Appending to a variable defined earlier (`ENV PATH=/x:$PATH`) is
    fine.

    ## Why is this bad?
    The value is not what it reads as, and the difference shows up only at run time.

    ## Example
    ```dockerfile
    FROM alpine:3.20
    ENV APP_HOME=/srv/app APP_BIN=$APP_HOME/bin
    ```

    Use instead:
    ```dockerfile
    FROM alpine:3.20
    ENV APP_HOME=/srv/app
    ENV APP_BIN=$APP_HOME/bin
    ```

    ## References
    - [hadolint DL3044](https://github.com/hadolint/hadolint/wiki/DL3044)
    """

    code = "DF009"
    name = "env-self-reference"
    severity = "error"
    aliases = {"hadolint": ("DL3044",)}
    keywords = frozenset({"ENV"})

    def check_instruction(self, ctx, instruction) -> Iterator[Finding]:
        defined_here: list[str] = []
        before = ctx.variables_at(instruction)
        for key, value in env_pairs(instruction):
            for name in defined_here:
                if name not in before and _references(value, name):
                    yield Finding(instruction.span, f"ENV {key} refers to ${name}, which this same ENV sets: it expands to the old, empty value",
                                  hint=f"set {name} in an earlier ENV instruction")
            defined_here.append(key)
