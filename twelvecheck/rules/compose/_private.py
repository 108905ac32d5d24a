"""Reading compose values the way several rules need them."""

from __future__ import annotations

import re
from collections.abc import Iterator

from twelvecheck.parse.compose import Mapping, Node, Scalar, Sequence, Service
from twelvecheck.rules.dockerfile._image import ImageRef, parse_image
from twelvecheck.lazy_re import lazy_compile

_DURATION = lazy_compile(r"(\d+(?:\.\d+)?)(us|ms|s|m|h)")
_UNIT_SECONDS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def scalar(node: Node | None) -> Scalar | None:
    return node if isinstance(node, Scalar) else None


def is_true(node: Node | None) -> bool:
    return isinstance(node, Scalar) and node.value is True


def items(node: Node | None) -> tuple[Node, ...]:
    """A sequence's items; a lone scalar counts as a one-item list."""
    if isinstance(node, Sequence):
        return node.items
    return (node,) if isinstance(node, Scalar) else ()


def image_of(service: Service) -> ImageRef | None:
    """The service's image reference, or None when absent or built from variables."""
    node = scalar(service.image)
    if node is None or not node.text or "$" in node.raw:
        return None
    return parse_image(node.text)


def duration_seconds(text: str) -> float | None:
    """Compose durations: ``1m30s``, ``500ms``, ``10s``; a bare number is seconds."""
    text = text.strip()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    parts = _DURATION.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        return None
    return sum(float(number) * _UNIT_SECONDS[unit] for number, unit in parts)


def command_text(node: Node | None) -> str | None:
    """``command``/``entrypoint`` as one shell string (a list is joined with quoting)."""
    import shlex

    if isinstance(node, Scalar):
        return node.text
    if isinstance(node, Sequence):
        return shlex.join(item.text for item in node.items if isinstance(item, Scalar))
    return None


def mapping_entries(node: Node | None) -> Iterator[tuple[Scalar, Node]]:
    return iter(node.entries) if isinstance(node, Mapping) else iter(())


def has_healthcheck(service: Service) -> bool:
    """The service defines a healthcheck in compose that is not disabled."""
    node = service.get("healthcheck")
    if not isinstance(node, Mapping):
        return False
    test = node.get("test")
    disabled = is_true(node.get("disable")) or (
        isinstance(test, Sequence) and test.items and isinstance(test.items[0], Scalar) and test.items[0].text == "NONE")
    return not disabled and test is not None
