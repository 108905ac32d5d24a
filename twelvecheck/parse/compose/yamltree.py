"""Read one YAML document into position-carrying nodes, refusing hostile input.

PyYAML's node API (``compose``) gives every key and scalar its marks without constructing Python
objects, so nothing in a file can instantiate a class.  Aliases share converted subtrees (no
re-conversion), while the *expanded* size is counted so a billion-laughs file is refused before
anything walks it.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from twelvecheck.parse.compose.nodes import ComposeError, Mapping, Node, Scalar, Sequence
from twelvecheck.parse.model import Span

_MERGE_TAG = "tag:yaml.org,2002:merge"
_RESOLVED_TAGS = {
    "tag:yaml.org,2002:int": "construct_yaml_int",
    "tag:yaml.org,2002:float": "construct_yaml_float",
    "tag:yaml.org,2002:bool": "construct_yaml_bool",
    "tag:yaml.org,2002:null": "construct_yaml_null",
}


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on what one file may cost; generous for real compose files."""

    max_bytes: int = 10 * 1024 * 1024
    max_expanded_nodes: int = 1_000_000
    max_alias_depth: int = 64


@dataclass(frozen=True, slots=True)
class YamlDocument:
    file: str
    root: Node | None
    errors: tuple[ComposeError, ...]
    text: str = ""  # the decoded source, to place positions inside scalars


class _AliasTrackingLoader(yaml.SafeLoader):
    """A safe loader whose alias nodes are marked copies, so the alias's own position survives."""

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        if self.check_event(AliasEvent):
            alias_event = self.peek_event()
            target = super().compose_node(parent, index)
            alias = copy.copy(target)
            alias.alias_target = getattr(target, "alias_target", target)
            alias.start_mark, alias.end_mark = alias_event.start_mark, alias_event.end_mark
            return alias
        return super().compose_node(parent, index)


class _Refused(Exception):
    """Internal: stops conversion; carries the ComposeError to return."""

    def __init__(self, error: ComposeError) -> None:
        super().__init__(error.message)
        self.error = error


def span_of(node: yaml.Node) -> Span:
    start, end = node.start_mark, node.end_mark
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def read_yaml_file(path: Path, limits: Limits = Limits(), tree: str | None = None) -> YamlDocument:
    """Read a compose file: a regular file inside ``tree`` (see twelvecheck.files), its size
    checked before reading it."""
    from twelvecheck.files import Unreadable, read_bytes

    file = str(path)
    data = read_bytes(file, limits.max_bytes, tree)  # an editor's unsaved text too (the language server)
    if isinstance(data, Unreadable):
        return YamlDocument(file, None, (ComposeError(data.reason, file, None, data.outside),))
    return parse_yaml_bytes(data, file, limits)


def parse_yaml_bytes(data: bytes, file: str, limits: Limits = Limits()) -> YamlDocument:
    if len(data) > limits.max_bytes:
        return _failed(file, f"file is {len(data)} bytes, over the {limits.max_bytes} byte limit")
    if b"\0" in data:
        return _failed(file, "binary file (NUL byte)", _point_at(data, data.index(b"\0")))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return _failed(file, f"not UTF-8: {exc.reason}", _point_at(data, exc.start))
    return parse_yaml_text(text, file, limits)


def parse_yaml_text(text: str, file: str, limits: Limits = Limits()) -> YamlDocument:
    try:
        loader = _AliasTrackingLoader(text)  # its reader rejects control characters at once
    except yaml.YAMLError as exc:
        return YamlDocument(file, None, (_yaml_error(exc, file, text),))
    try:
        yaml_root = loader.get_single_node()
        if yaml_root is None:
            return YamlDocument(file, Mapping(file=file, span=Span.point(1)), (), text)
        root = _Converter(loader, file, limits).convert_root(yaml_root)
        return YamlDocument(file, root, (), text)
    except _Refused as refused:
        return YamlDocument(file, None, (refused.error,))
    except yaml.YAMLError as exc:
        return YamlDocument(file, None, (_yaml_error(exc, file, text),))
    except RecursionError:
        return _failed(file, "YAML nested too deeply")
    finally:
        loader.dispose()


def _yaml_error(exc: yaml.YAMLError, file: str, text: str) -> ComposeError:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        span = Span.point(mark.line + 1, mark.column + 1) if mark else None
        message = " ".join(part for part in (exc.context, exc.problem) if part) or str(exc)
        return ComposeError(f"invalid YAML: {message}", file, span)
    if isinstance(exc, yaml.reader.ReaderError):
        span = _point_at(text.encode("utf-8"), len(text[: exc.position].encode("utf-8")))
        return ComposeError(
            f"invalid YAML: {exc.reason} (character #x{exc.character:04x})", file, span
        )
    return ComposeError(f"invalid YAML: {exc}", file)


def _failed(file: str, message: str, span: Span | None = None) -> YamlDocument:
    return YamlDocument(file, None, (ComposeError(message, file, span),))


def _point_at(data: bytes, offset: int) -> Span:
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return Span.point(line, column)


class _Converter:
    """Turns PyYAML nodes into our nodes, once per distinct node, counting expanded size."""

    def __init__(self, loader: yaml.SafeLoader, file: str, limits: Limits) -> None:
        self.loader = loader
        self.file = file
        self.limits = limits
        self.converted: dict[int, tuple[Node, int, int]] = {}  # id -> (node, size, alias depth)
        self.in_progress: set[int] = set()

    def convert_root(self, yaml_root: yaml.Node) -> Node:
        node, _, _ = self.convert(yaml_root)
        return node

    def convert(self, yaml_node: yaml.Node) -> tuple[Node, int, int]:
        """Return (node, expanded node count, alias nesting depth)."""
        target = getattr(yaml_node, "alias_target", None)
        if target is None:
            return self._convert_definition(yaml_node)
        node, size, depth = self._convert_definition(target)
        if depth + 1 > self.limits.max_alias_depth:
            self._refuse(f"aliases nested deeper than {self.limits.max_alias_depth}", yaml_node)
        return dataclasses.replace(node, use_span=span_of(yaml_node)), size, depth + 1

    def _convert_definition(self, yaml_node: yaml.Node) -> tuple[Node, int, int]:
        key = id(yaml_node)
        if key in self.converted:
            return self.converted[key]
        if key in self.in_progress:
            self._refuse("recursive alias", yaml_node)
        self.in_progress.add(key)
        if isinstance(yaml_node, ScalarNode):
            result = (self._scalar(yaml_node), 1, 0)
        elif isinstance(yaml_node, SequenceNode):
            result = self._sequence(yaml_node)
        else:
            result = self._mapping(yaml_node)
        self.in_progress.discard(key)
        if result[1] > self.limits.max_expanded_nodes:
            self._refuse(
                f"alias expansion exceeds {self.limits.max_expanded_nodes} nodes (YAML bomb?)",
                yaml_node,
            )
        self.converted[key] = result
        return result

    def _refuse(self, message: str, yaml_node: yaml.Node) -> None:
        raise _Refused(ComposeError(message, self.file, span_of(yaml_node)))

    def _own_tag(self, yaml_node: yaml.Node) -> str | None:
        """The explicit local tag (``!reset``) if any; YAML's standard tags are not markers."""
        return yaml_node.tag if yaml_node.tag.startswith("!") else None

    def _scalar(self, yaml_node: ScalarNode) -> Scalar:
        tag = yaml_node.tag
        if tag.startswith("!") and yaml_node.style is None:
            tag = self.loader.resolve(ScalarNode, yaml_node.value, (True, False))
        constructor = _RESOLVED_TAGS.get(tag)
        value = yaml_node.value
        if constructor:
            try:
                value = getattr(self.loader, constructor)(ScalarNode(tag, yaml_node.value))
            except ValueError:  # an integer of thousands of digits: kept as the text it is
                value = yaml_node.value
        return Scalar(
            file=self.file,
            span=span_of(yaml_node),
            tag=self._own_tag(yaml_node),
            value=value,
            raw=yaml_node.value,
            style=yaml_node.style or None,
        )

    def _sequence(self, yaml_node: SequenceNode) -> tuple[Node, int, int]:
        items, size, depth = [], 1, 0
        for child in yaml_node.value:
            node, child_size, child_depth = self.convert(child)
            items.append(node)
            size, depth = size + child_size, max(depth, child_depth)
        sequence = Sequence(
            file=self.file, span=span_of(yaml_node), tag=self._own_tag(yaml_node), items=tuple(items)
        )
        return sequence, size, depth

    def _mapping(self, yaml_node: MappingNode) -> tuple[Node, int, int]:
        explicit: list[tuple[Scalar, Node]] = []
        merged: list[tuple[Scalar, Node]] = []
        seen: dict[str, Scalar] = {}
        size, depth = 1, 0
        for key_yaml, value_yaml in yaml_node.value:
            value, value_size, value_depth = self.convert(value_yaml)
            size, depth = size + value_size, max(depth, value_depth)
            if key_yaml.tag == _MERGE_TAG:
                merged.extend(self._merge_sources(value, value_yaml))
                continue
            key = self._key(key_yaml)
            if key.text in seen:
                first = seen[key.text]
                raise _Refused(ComposeError(
                    f"duplicate key '{key.text}' (lines {first.span.line} and {key.span.line})",
                    self.file, key.span,
                ))
            seen[key.text] = key
            size += 1
            explicit.append((key, value))
        # YAML merge: explicit keys win; among merged maps the first one listed wins.
        for key, value in merged:
            if key.text not in seen:
                seen[key.text] = key
                explicit.append((key, value))
        mapping = Mapping(
            file=self.file, span=span_of(yaml_node), tag=self._own_tag(yaml_node),
            entries=tuple(explicit),
        )
        return mapping, size, depth

    def _key(self, key_yaml: yaml.Node) -> Scalar:
        if not isinstance(key_yaml, ScalarNode):
            self._refuse("mapping keys must be scalars", key_yaml)
        return self._scalar(key_yaml)

    def _merge_sources(self, value: Node, value_yaml: yaml.Node) -> list[tuple[Scalar, Node]]:
        sources = value.items if isinstance(value, Sequence) else (value,)
        entries: list[tuple[Scalar, Node]] = []
        for source in sources:
            if not isinstance(source, Mapping):
                self._refuse("merge key '<<' expects a mapping or a list of mappings", value_yaml)
            entries.extend(source.entries)
        return entries
