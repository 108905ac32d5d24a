"""Service ``ports`` entries, short (``"127.0.0.1:8080-8081:80-81/udp"``) and long syntax."""

from __future__ import annotations

import re
from dataclasses import dataclass

from twelvecheck.parse.compose.nodes import Mapping, Node, Scalar
from twelvecheck.parse.model import Span
from twelvecheck.parse.words import bounded_int


@dataclass(frozen=True, slots=True)
class PortRange:
    """A port or a ``start-end`` range; numbers are kept even when out of range, for rules."""

    start: int
    end: int

    def __str__(self) -> str:
        return str(self.start) if self.start == self.end else f"{self.start}-{self.end}"


@dataclass(frozen=True, slots=True)
class PortBinding:
    host_ip: str | None
    published: PortRange | None  # None: an ephemeral host port
    target: PortRange
    protocol: str
    file: str
    span: Span
    node: Node


class PortSyntaxError(ValueError):
    pass


def parse_port(node: Node) -> PortBinding:
    if isinstance(node, Mapping):
        return _long_syntax(node)
    if isinstance(node, Scalar):
        host_ip, published, target, protocol = split_port_text(node.text)
        return PortBinding(host_ip, published, target, protocol, node.file, node.span, node)
    raise PortSyntaxError("a port must be a string, a number or a mapping")


def split_port_text(text: str) -> tuple[str | None, PortRange | None, PortRange, str]:
    text = text.strip()
    addresses, _, protocol = text.partition("/")
    host_ip = None
    if addresses.startswith("["):
        close = addresses.find("]")
        if close < 0 or addresses[close + 1 : close + 2] != ":":
            raise PortSyntaxError(f"invalid IPv6 port mapping {text!r}")
        host_ip, addresses = addresses[1:close], addresses[close + 2 :]
        parts = addresses.split(":")
        if len(parts) == 1:
            parts = ["", parts[0]]
    else:
        parts = addresses.split(":")
        if len(parts) == 3:
            host_ip, parts = parts[0], parts[1:]
    if len(parts) > 2:
        raise PortSyntaxError(f"invalid port mapping {text!r}")
    published = port_range(parts[0]) if len(parts) == 2 and parts[0] else None
    return host_ip or None, published, port_range(parts[-1]), protocol or "tcp"


def port_range(text: str) -> PortRange:
    match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", text)
    if not match:
        raise PortSyntaxError(f"invalid port {text!r}")
    start = bounded_int(match.group(1))
    end = bounded_int(match.group(2)) if match.group(2) else start
    if start is None or end is None:
        raise PortSyntaxError(f"invalid port {text[:40]!r}")
    return PortRange(start, end)


def _long_syntax(node: Mapping) -> PortBinding:
    target = node.get("target")
    if not isinstance(target, Scalar):
        raise PortSyntaxError("a long-syntax port needs 'target'")
    published = node.get("published")
    host_ip = node.get("host_ip")
    protocol = node.get("protocol")
    return PortBinding(
        host_ip=host_ip.text or None if isinstance(host_ip, Scalar) else None,
        published=port_range(published.text) if isinstance(published, Scalar)
        and published.text else None,
        target=port_range(target.text),
        protocol=protocol.text if isinstance(protocol, Scalar) else "tcp",
        file=node.file, span=node.span, node=node,
    )
