"""Position-carrying YAML values for compose files.

Rules report findings at the exact key or value they judge, even after overrides, ``extends``
and ``include`` moved values between files; so every node remembers its own ``file`` and
``span`` instead of relying on a side table that merging would invalidate.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Iterator, Union

from twelvecheck.parse.model import Span

#: The compose custom tags; kept as a marker and applied when files are merged.
RESET_TAG = "!reset"
OVERRIDE_TAG = "!override"

PlainValue = Union[str, int, float, bool, None]
PathKey = Union[str, int]


@dataclass(frozen=True, slots=True)
class ComposeError:
    """A problem in a compose file, returned as a value so one bad file never stops a lint run."""

    message: str
    file: str
    span: Span | None = None
    outside: bool = False  # refused because it leads outside the linted tree

    def __str__(self) -> str:
        where = f"{self.file}:{self.span.line}:{self.span.column}" if self.span else self.file
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class VariableRef:
    """One ``$VAR`` / ``${VAR...}`` in a scalar: lets rules find undefined or unguarded variables."""

    name: str
    file: str
    span: Span
    has_default: bool  # ``-``, ``:-``, ``+`` or ``:+``: an unset variable is not a surprise
    required: bool  # ``?`` or ``:?``
    defined: bool  # whether the interpolation environment held the name


@dataclass(frozen=True, slots=True, kw_only=True)
class Node:
    """Common part of every value: where it is written and how it was tagged.

    ``use_span`` is set on a node reached through an alias (``*name``): ``span`` stays at the
    anchor's definition and ``use_span`` points at the alias.
    """

    file: str
    span: Span
    tag: str | None = None  # RESET_TAG / OVERRIDE_TAG, or another explicit tag as written
    use_span: Span | None = None

    def get(self, key: str, default: Node | None = None) -> Node | None:
        return default

    def at(self, *path: PathKey) -> Node | None:
        """The node at ``path`` (mapping keys and sequence indexes), or None when absent."""
        node: Node | None = self
        for step in path:
            if node is None:
                return None
            node = node._child(step)
        return node

    def _child(self, step: PathKey) -> Node | None:
        return None

    def plain(self) -> Any:
        raise NotImplementedError

    def with_tag(self, tag: str | None) -> Node:
        return dataclasses.replace(self, tag=tag)

    @property
    def location(self) -> str:
        return f"{self.file}:{self.span.line}:{self.span.column}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Scalar(Node):
    """A scalar as the YAML 1.1 safe loader resolves it; ``raw`` is its text before resolution
    and interpolation, ``style`` its quoting (None plain, ``'``, ``"``, ``|``, ``>``)."""

    value: PlainValue
    raw: str
    style: str | None = None
    variables: tuple[VariableRef, ...] = ()

    @property
    def text(self) -> str:
        """The value as compose reads it where a string is expected."""
        if self.value is None:
            return ""
        if isinstance(self.value, bool):
            return "true" if self.value else "false"
        return self.value if isinstance(self.value, str) else self.raw

    def plain(self) -> PlainValue:
        return self.value


@dataclass(frozen=True, slots=True, kw_only=True)
class Sequence(Node):
    items: tuple[Node, ...] = ()

    def __iter__(self) -> Iterator[Node]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> Node:
        return self.items[index]

    def _child(self, step: PathKey) -> Node | None:
        if isinstance(step, int) and -len(self.items) <= step < len(self.items):
            return self.items[step]
        return None

    def plain(self) -> list[Any]:
        return [item.plain() for item in self.items]


@dataclass(frozen=True, slots=True, kw_only=True)
class Mapping(Node):
    """Ordered entries; each key is a Scalar, so the key's own position is kept."""

    entries: tuple[tuple[Scalar, Node], ...] = ()
    _index: dict[str, int] = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {key.text: i for i, (key, _) in enumerate(self.entries)})

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __iter__(self) -> Iterator[str]:
        return (key.text for key, _ in self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def items(self) -> Iterator[tuple[str, Node]]:
        return ((key.text, value) for key, value in self.entries)

    def get(self, key: str, default: Node | None = None) -> Node | None:
        index = self._index.get(key)
        return default if index is None else self.entries[index][1]

    def key(self, key: str) -> Scalar | None:
        """The key node itself: where ``key:`` is written."""
        index = self._index.get(key)
        return None if index is None else self.entries[index][0]

    def _child(self, step: PathKey) -> Node | None:
        return self.get(step) if isinstance(step, str) else None

    def plain(self) -> dict[str, Any]:
        return {key.text: value.plain() for key, value in self.entries}
