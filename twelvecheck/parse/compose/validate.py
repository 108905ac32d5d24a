"""Check a compose tree against the compose specification's JSON schema.

``jsonschema`` does the checking (it is well kept and complete; our own checker would not be);
this module maps each error's path back to the key that carries it, so the finding lands on the
right line.  jsonschema is imported only here, when validation is asked for.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.resources import files
from typing import Any

from twelvecheck.parse.compose.nodes import ComposeError, Mapping, Node
from twelvecheck.parse.compose.paths import dotted
from twelvecheck.parse.model import Span


@cache
def _validator() -> Any:
    import jsonschema  # lazy: costs ~0.1 s and is only needed when validating

    schema = json.loads(files("twelvecheck.parse").joinpath("compose_spec.json").read_text())
    # The schema says draft-07 in a spelling ("…/draft-07/schema", no "#") that jsonschema's
    # lookup does not recognise, so name the draft here.
    return jsonschema.Draft7Validator(schema)


def validate(root: Node) -> list[ComposeError]:
    """Schema errors of one interpolated compose file, in document order."""
    errors: list[ComposeError] = []
    for error in _validator().iter_errors(root.plain()):
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties":
            errors.extend(_unexpected_keys(root, path, error))
        else:
            where = dotted(path) or "(root)"
            errors.append(ComposeError(f"{where}: {error.message}", root.file, _span_of(root, path)))
    return sorted(errors, key=lambda e: (e.span.line, e.span.column) if e.span else (0, 0))


def _unexpected_keys(root: Node, path: tuple, error: Any) -> list[ComposeError]:
    known = error.schema.get("properties", {})
    patterns = error.schema.get("patternProperties", {})
    node = root.at(*path)
    extras = [
        key for key in error.instance
        if key not in known and not any(re.search(p, key) for p in patterns)
    ]
    return [
        ComposeError(
            f"{dotted(path + (key,))}: additional property not allowed",
            root.file,
            node.key(key).span if isinstance(node, Mapping) and node.key(key) else root.span,
        )
        for key in extras
    ]


def _span_of(root: Node, path: tuple) -> Span:
    """The key holding the value at ``path`` (its line is what people look for), else the value."""
    parent = root.at(*path[:-1]) if path else None
    if isinstance(parent, Mapping) and isinstance(path[-1], str) and parent.key(path[-1]):
        return parent.key(path[-1]).span
    node = root.at(*path)
    return (node or root).span
