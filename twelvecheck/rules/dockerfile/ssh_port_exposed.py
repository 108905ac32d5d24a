from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._verify import config_verdict
from twelvecheck.parse.model import Instruction
from twelvecheck.rules.base import InstructionRule

SSH_PORT = 22


def _ports(text: str) -> range | None:
    """The port range of one EXPOSE word (``22``, ``22/tcp``, ``20-25``), or None."""
    number = text.split("/", 1)[0]
    low, _, high = number.partition("-")
    if not low.isdigit() or (high and not high.isdigit()):
        return None
    return range(int(low), int(high or low) + 1)


class SshPortExposed(InstructionRule):
    """`EXPOSE 22`: the image offers SSH.

    ## What it does
    Reports an `EXPOSE` of port 22 (alone, as `22/tcp`, or inside a range), with ARG and ENV
    values substituted, in the stages the final image is built from.

    ## Why is this bad?
    An SSH server in a container is a second way in, with its own keys and passwords to leak,
    and a sign that the container is treated as a virtual machine. `docker exec` (or
    `kubectl exec`) gives a shell without it.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    EXPOSE 22 8080
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    EXPOSE 8080
    ```

    ## References
    - [Checkov CKV_DOCKER_1](https://docs.prismacloud.io/en/enterprise-edition/policy-reference/docker-policies/docker-policy-index/ensure-port-22-is-not-exposed)
    - [Trivy DS-0004](https://avd.aquasec.com/misconfig/ds004)
    """

    code = "DF101"
    name = "ssh-port-exposed"
    severity = "warning"
    aliases = {"checkov": ("CKV_DOCKER_1",), "trivy": ("DS-0004",)}
    keywords = frozenset({"EXPOSE"})

    def check_instruction(self, ctx, instruction: Instruction) -> Iterator[Finding]:
        if not ctx.in_final_image(instruction):
            return
        for word, span in ctx.argument_words(instruction):
            ports = _ports(ctx.expand(word, instruction))
            if ports is not None and SSH_PORT in ports:
                yield Finding(span, f"EXPOSE {word} offers SSH (port 22) from the container",
                              hint="remove the SSH server; use docker exec / kubectl exec for a shell")

    def verify(self, finding: Finding, image):
        ports = list(image.config.config.exposed_ports)
        return config_verdict(image, "exposed_ports", "22/tcp" in ports, ports,
                              "the image config's ExposedPorts has 22/tcp", f"the image config exposes {ports}, not 22")
