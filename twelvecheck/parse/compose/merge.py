"""Merge compose trees the way ``-f a.yaml -f b.yaml`` and ``extends`` do (compose-go rules).

Mappings merge recursively and scalars are replaced; sequences are appended, except the fields
that compose treats specially (a table below, keyed by tree path).  ``!reset`` in the override
removes the value, ``!override`` replaces it whole.  Nodes are reused, never copied into plain
data, so every merged value still knows the file, line and column it came from.
"""

from __future__ import annotations

import json
from typing import Callable

from twelvecheck.parse.compose.nodes import (
    OVERRIDE_TAG, RESET_TAG, Mapping, Node, Scalar, Sequence,
)
from twelvecheck.parse.compose.normalize import context_mapping, key_value_mapping, names_mapping
from twelvecheck.parse.compose.paths import TreePath, first_match
from twelvecheck.parse.compose.volumes import VolumeSyntaxError, split_volume_text

Merger = Callable[[Node, Node, TreePath], Node]


def merge(base: Node, override: Node, path: TreePath = ()) -> Node | None:
    """The value of ``override`` applied on ``base``; None when the override resets it."""
    if override.tag == RESET_TAG:
        return None
    if override.tag == OVERRIDE_TAG:
        return override
    strategy = first_match(path, _STRATEGIES) or _default
    return strategy(base, override, path)


def merge_mappings(base: Mapping, override: Mapping, path: TreePath) -> Mapping:
    entries: dict[str, tuple[Scalar, Node]] = {key.text: (key, value) for key, value in base.entries}
    for key, value in override.entries:
        name = key.text
        if name not in entries or name.startswith("x-"):
            if value.tag == RESET_TAG:
                entries.pop(name, None)
            else:
                entries[name] = (key, value)
            continue
        merged = merge(entries[name][1], value, path + (name,))
        if merged is None:
            del entries[name]
        else:
            entries[name] = (key, merged)
    return Mapping(file=override.file, span=override.span, entries=tuple(entries.values()))


def strip_resets(node: Node) -> Node:
    """Drop ``!reset`` values left where there was nothing to reset (e.g. in the first file)."""
    if isinstance(node, Mapping):
        entries = tuple((k, strip_resets(v)) for k, v in node.entries if v.tag != RESET_TAG)
        return Mapping(file=node.file, span=node.span, tag=node.tag, use_span=node.use_span,
                       entries=entries)
    if isinstance(node, Sequence):
        items = tuple(strip_resets(item) for item in node.items if item.tag != RESET_TAG)
        return Sequence(file=node.file, span=node.span, tag=node.tag, use_span=node.use_span,
                        items=items)
    return node


def _default(base: Node, override: Node, path: TreePath) -> Node:
    if isinstance(base, Mapping) and isinstance(override, Mapping):
        return merge_mappings(base, override, path)
    if isinstance(base, Sequence) and isinstance(override, Sequence):
        return _concatenate(base, override)
    if isinstance(base, Mapping) and isinstance(override, Scalar) and override.value is None:
        return base  # `- net` after `net: {aliases: ...}` adds nothing to remove
    return override


def _replace(base: Node, override: Node, path: TreePath) -> Node:
    return override


def _by_key(normalise: Callable[[Node], Node]) -> Merger:
    """Merge after rewriting both sides to mapping form (list syntax -> keys)."""

    def merger(base: Node, override: Node, path: TreePath) -> Node:
        return _default(normalise(base), normalise(override), path)

    return merger


def _unique(key_of: Callable[[Node], str]) -> Merger:
    """Append, then keep one entry per key: the override's."""

    def merger(base: Node, override: Node, path: TreePath) -> Node:
        if not (isinstance(base, Sequence) and isinstance(override, Sequence)):
            return override
        return _concatenate(base, override, key_of)

    return merger


def _concatenate(
    base: Sequence, override: Sequence, key_of: Callable[[Node], str] | None = None
) -> Sequence:
    """Base items then override items; with ``key_of``, base items the override redefines go."""
    replaced = {key_of(item) for item in override.items} if key_of else set()
    kept = tuple(item for item in base.items if key_of is None or key_of(item) not in replaced)
    return Sequence(file=override.file, span=override.span, items=kept + override.items)


def _merge_logging(base: Node, override: Node, path: TreePath) -> Node:
    """Options merge only when both sides use the same driver (or one names none)."""
    if isinstance(base, Mapping) and isinstance(override, Mapping):
        base_driver, new_driver = base.get("driver"), override.get("driver")
        if base_driver is None or new_driver is None or base_driver.plain() == new_driver.plain():
            return merge_mappings(base, override, path)
    return override


def _value_key(node: Node) -> str:
    return json.dumps(node.plain(), sort_keys=True, default=str)


def _field_key(*fields: str) -> Callable[[Node], str]:
    """Key of a long-syntax entry by its first present field; short syntax keys by its text."""

    def key_of(node: Node) -> str:
        if isinstance(node, Mapping):
            for name in fields:
                value = node.get(name)
                if isinstance(value, Scalar):
                    return value.text
        return _value_key(node)

    return key_of


def _volume_target(node: Node) -> str:
    if isinstance(node, Scalar):
        try:
            return split_volume_text(node.text)[1]
        except VolumeSyntaxError:
            return node.text
    return _field_key("target")(node)


def _device_target(node: Node) -> str:
    if isinstance(node, Scalar):
        parts = node.text.split(":")
        return parts[1] if len(parts) > 1 else parts[0]
    return _field_key("target")(node)


def _secret_source(node: Node) -> str:
    return node.text if isinstance(node, Scalar) else _field_key("source", "target")(node)


_BY_EQUALS = _by_key(key_value_mapping)
_BY_HOST = _by_key(lambda node: key_value_mapping(node, "=:"))
_BY_NAME = _by_key(names_mapping)
_BY_VALUE = _unique(_value_key)

_STRATEGIES: dict[str, Merger] = {
    "services.*.command": _replace,
    "services.*.entrypoint": _replace,
    "services.*.healthcheck.test": _replace,
    "services.*.environment": _BY_EQUALS,
    "services.*.labels": _BY_EQUALS,
    "services.*.annotations": _BY_EQUALS,
    "services.*.sysctls": _BY_EQUALS,
    "services.*.extra_hosts": _BY_HOST,
    "services.*.build": _by_key(context_mapping),
    "services.*.build.args": _BY_EQUALS,
    "services.*.build.labels": _BY_EQUALS,
    "services.*.build.extra_hosts": _BY_HOST,
    "services.*.deploy.labels": _BY_EQUALS,
    "networks.*.labels": _BY_EQUALS,
    "volumes.*.labels": _BY_EQUALS,
    "services.*.depends_on": _BY_NAME,
    "services.*.networks": _BY_NAME,
    "services.*.logging": _merge_logging,
    "services.*.ports": _BY_VALUE,
    "services.*.expose": _BY_VALUE,
    "services.*.external_links": _BY_VALUE,
    "services.*.links": _BY_VALUE,
    "services.*.dns": _BY_VALUE,
    "services.*.dns_opt": _BY_VALUE,
    "services.*.dns_search": _BY_VALUE,
    "services.*.tmpfs": _BY_VALUE,
    "services.*.cap_add": _BY_VALUE,
    "services.*.cap_drop": _BY_VALUE,
    "services.*.security_opt": _BY_VALUE,
    "services.*.profiles": _BY_VALUE,
    "services.*.env_file": _unique(_field_key("path")),
    "services.*.volumes": _unique(_volume_target),
    "services.*.devices": _unique(_device_target),
    "services.*.secrets": _unique(_secret_source),
    "services.*.configs": _unique(_secret_source),
}
