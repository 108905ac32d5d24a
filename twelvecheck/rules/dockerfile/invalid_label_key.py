from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import InstructionRule
from twelvecheck.rules.context import env_pairs
from twelvecheck.rules.dockerfile._variables import is_unknown

RESERVED_NAMESPACES = ("com.docker.", "io.docker.", "org.dockerproject.")
_ALLOWED = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-")


def key_problem(key: str) -> str | None:
    if key.startswith(RESERVED_NAMESPACES):
        return "uses a namespace reserved for Docker"
    if not key[0].isascii() or not key[0].islower():
        return "must start with a lower-case letter"
    if not (key[-1].islower() or key[-1].isdigit()) or not key[-1].isascii():
        return "must end with a lower-case letter or a digit"
    if any(char not in _ALLOWED for char in key):
        return "may only hold lower-case letters, digits, '.' and '-'"
    if ".." in key or "--" in key:
        return "must not repeat a separator ('..' or '--')"
    return None


class InvalidLabelKey(InstructionRule):
    """A `LABEL` key that breaks Docker's key format.

    ## What it does
    Checks each label key (after variable expansion): lower-case letters, digits, `.` and `-`
    only, starting with a letter and ending with a letter or digit, no `..` or `--`, and not in
    the namespaces Docker reserves (`com.docker.*`, `io.docker.*`, `org.dockerproject.*`).

    ## Why is this bad?
    Tools that read labels (registries, scanners, `docker inspect` filters) expect the
    reverse-DNS form; keys in other shapes are hard to query and may clash with Docker's own.

    ## Example
    ```dockerfile
    FROM alpine:3.20
    LABEL Maintainer_Name="ops team"
    ```

    Use instead:
    ```dockerfile
    FROM alpine:3.20
    LABEL org.opencontainers.image.authors="ops team"
    ```

    ## References
    - [hadolint DL3048](https://github.com/hadolint/hadolint/wiki/DL3048)
    - [Docker object labels](https://docs.docker.com/engine/manage-resources/labels/)
    """

    code = "DF020"
    name = "invalid-label-key"
    severity = "style"
    aliases = {"hadolint": ("DL3048",)}
    keywords = frozenset({"LABEL"})

    def check_instruction(self, ctx, instruction) -> Iterator[Finding]:
        for raw_key, _ in env_pairs(instruction):
            key = ctx.expansion(raw_key, instruction)
            if not key.value or is_unknown(ctx, instruction, key):
                continue
            problem = key_problem(key.value)
            if problem:
                yield Finding(instruction.span, f"label key '{key.value}' {problem}",
                              hint="use a lower-case reverse-DNS key such as org.opencontainers.image.title")
