from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import InstructionRule
from twelvecheck.lazy_re import lazy_compile
from twelvecheck.parse.words import bounded_int

_PORT = lazy_compile(r"^(?P<first>\d+)(?:-(?P<last>\d+))?(?:/(?P<proto>[A-Za-z]+))?$")
PROTOCOLS = frozenset({"tcp", "udp", "sctp"})


class InvalidExposePort(InstructionRule):
    """`EXPOSE` of something that is not a port: out of range, a host mapping, a bad protocol.

    ## What it does
    Checks each `EXPOSE` value after variable expansion: a port or range from 1 to 65535,
    optionally with `/tcp`, `/udp` or `/sctp`. `EXPOSE 8080:80` (a host mapping) is flagged:
    publishing is decided at run time, not in the image.

    ## Why is this bad?
    The build fails on a bad port, or the value silently means something else (factor VII: port
    binding is declared by the image, published by the runtime).

    ## Example
    ```dockerfile
    FROM nginx:1.27
    EXPOSE 80000
    ```

    Use instead:
    ```dockerfile
    FROM nginx:1.27
    EXPOSE 8080/tcp
    ```

    ## References
    - [hadolint DL3011](https://github.com/hadolint/hadolint/wiki/DL3011)
    - [BuildKit ExposeInvalidFormat](https://docs.docker.com/reference/build-checks/expose-invalid-format/)
    """

    code = "DF008"
    name = "invalid-expose-port"
    severity = "error"
    factors = ("VII",)
    aliases = {"hadolint": ("DL3011",), "buildkit": ("ExposeInvalidFormat",)}
    keywords = frozenset({"EXPOSE"})

    def check_instruction(self, ctx, instruction) -> Iterator[Finding]:
        for word, span in ctx.argument_words(instruction):
            expansion = ctx.expansion(word, instruction)
            value = expansion.value
            if expansion.missing or not value:
                continue
            problem = _problem(value)
            if problem:
                yield Finding(span, f"EXPOSE {value}: {problem}",
                              hint="expose a container port from 1 to 65535, e.g. EXPOSE 8080/tcp")


def _problem(value: str) -> str | None:
    if ":" in value:
        return "a host:container mapping; EXPOSE takes only the container port, publish with -p or compose ports"
    match = _PORT.match(value)
    if match is None:
        return "not a port number"
    first = bounded_int(match.group("first"))
    last = bounded_int(match.group("last")) if match.group("last") else first
    if not (1 <= first <= 65535 and 1 <= last <= 65535):
        return "port out of range 1-65535"
    if last < first:
        return "the range ends before it starts"
    proto = match.group("proto")
    if proto and proto.lower() not in PROTOCOLS:
        return f"unknown protocol '{proto}' (tcp, udp or sctp)"
    return None
