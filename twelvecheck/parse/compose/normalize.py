"""Rewrite compose's alternative syntaxes into one mapping form, keeping positions.

``environment: [A=1]`` and ``environment: {A: 1}`` mean the same; merging by key and the
service model both need the mapping form, and a rule pointing at ``A`` needs the column of ``A``
inside the list item, so the split item keeps sub-spans where the source shows them.
"""

from __future__ import annotations

from twelvecheck.parse.compose.nodes import Mapping, Node, Scalar, Sequence
from twelvecheck.parse.model import Span


def key_value_mapping(node: Node, separators: str = "=") -> Node:
    """``[K=V, K2]`` -> ``{K: V, K2: null}``; a mapping (or anything else) is returned as is.

    ``separators`` are tried in order: extra_hosts accepts ``host=ip`` and ``host:ip``.
    """
    if not isinstance(node, Sequence):
        return node
    entries = [_split_item(item, separators) for item in node.items if isinstance(item, Scalar)]
    return Mapping(file=node.file, span=node.span, tag=node.tag, use_span=node.use_span,
                   entries=tuple(entries))


def names_mapping(node: Node) -> Node:
    """``[a, b]`` -> ``{a: null, b: null}`` (depends_on, networks)."""
    if not isinstance(node, Sequence):
        return node
    entries = tuple(
        (item, _null_at(item)) for item in node.items if isinstance(item, Scalar)
    )
    return Mapping(file=node.file, span=node.span, tag=node.tag, use_span=node.use_span,
                   entries=entries)


def context_mapping(node: Node) -> Node:
    """``build: ./dir`` -> ``build: {context: ./dir}``."""
    if not isinstance(node, Scalar):
        return node
    key = Scalar(file=node.file, span=node.span, value="context", raw="context")
    return Mapping(file=node.file, span=node.span, tag=node.tag, use_span=node.use_span,
                   entries=((key, node.with_tag(None)),))


def _null_at(node: Scalar) -> Scalar:
    return Scalar(file=node.file, span=node.span, value=None, raw="")


def _split_item(item: Scalar, separators: str) -> tuple[Scalar, Node]:
    text = item.text
    cut = next((text.find(sep) for sep in separators if sep in text), -1)
    name = text if cut < 0 else text[:cut]
    key_span, value_span = _sub_spans(item, len(name), cut)
    key = Scalar(file=item.file, span=key_span, value=name, raw=name)
    if cut < 0:
        return key, Scalar(file=item.file, span=item.span, value=None, raw="")
    value_text = text[cut + 1 :]
    value = Scalar(file=item.file, span=value_span, value=value_text, raw=value_text,
                   style=item.style, variables=item.variables)
    return key, value


def _sub_spans(item: Scalar, name_length: int, cut: int) -> tuple[Span, Span]:
    """Spans of the name and of the value inside a one-line item; the item's span otherwise."""
    span = item.span
    quote = 1 if item.style in ("'", '"') else 0
    if span.line != span.end_line or item.raw != item.text:
        return span, span
    start = span.column + quote
    key = Span(span.line, start, span.line, start + name_length)
    if cut < 0:
        return key, span
    value = Span(span.line, start + cut + 1, span.line, span.end_column - quote)
    return key, value
