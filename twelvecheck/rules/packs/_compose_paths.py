"""Walking compose key paths (``services.*.image``) over the merged project tree.

Apart from the rule class so that defining a compose pack rule, which happens whenever the
built-in packs load (a one-Dockerfile lint too), imports no compose parser and no YAML.
"""

from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.parse.compose import Mapping, Node, Sequence


def walk(node: Node | None, path: tuple[str, ...], steps: tuple[str, ...] = (),
         where: Node | None = None) -> Iterator[tuple[tuple[str, ...], Node, Node]]:
    """(concrete path, where to report it, node) for every node at ``path``; ``*`` takes every
    key of a mapping or item of a list. ``where`` is the key that names the node: a finding
    about something missing from the node is reported there."""
    if node is None:
        return
    if not path:
        yield steps, where or node, node
        return
    step, rest = path[0], path[1:]
    if isinstance(node, Mapping):
        for key, child in node.items():
            if step in ("*", key):
                yield from walk(child, rest, (*steps, key), node.key(key))
    elif isinstance(node, Sequence) and step == "*":
        for index, child in enumerate(node):
            yield from walk(child, rest, (*steps, str(index)), child)


def normalized(value: str, how: str | None) -> str:
    if how == "image-registry":
        from twelvecheck.rules.dockerfile._image import parse_image

        return parse_image(value).registry or "docker.io"
    return value
