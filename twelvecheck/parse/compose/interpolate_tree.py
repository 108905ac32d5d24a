"""Apply interpolation to every string value of a compose tree (keys are left alone).

Each substituted scalar keeps its position and gains the ``VariableRef`` list of what it used,
placed at the reference's own line and column when the source text shows it.  Like compose-go,
values at fields that must be numbers or booleans are converted after substitution, so
``replicas: ${N:-2}`` validates as an integer.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Mapping as EnvMapping

from twelvecheck.parse.compose.interpolation import Reference, substitute
from twelvecheck.parse.compose.nodes import (
    ComposeError, Mapping, Node, Scalar, Sequence, VariableRef,
)
from twelvecheck.parse.compose.paths import TreePath, dotted, first_match
from twelvecheck.parse.model import Span
from twelvecheck.parse.words import bounded_int

_TRUE = {"true", "yes", "y", "on"}
_FALSE = {"false", "no", "n", "off"}


def _to_int(text: str) -> int | None:
    text = text.strip()
    if not re.fullmatch(r"[+-]?\d+", text):
        return None
    value = bounded_int(text.lstrip("+-"))
    return None if value is None else -value if text.startswith("-") else value


def _to_float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _to_bool(text: str) -> bool | None:
    lowered = text.strip().lower()
    return True if lowered in _TRUE else False if lowered in _FALSE else None


# compose-go's interpolation type casts (loader/interpolate.go), the fields people interpolate.
_CASTS = {
    "services.*.configs.[].mode": _to_int,
    "services.*.secrets.[].mode": _to_int,
    "services.*.cpu_count": _to_int,
    "services.*.cpu_percent": _to_float,
    "services.*.cpu_period": _to_int,
    "services.*.cpu_quota": _to_int,
    "services.*.cpu_rt_period": _to_int,
    "services.*.cpu_rt_runtime": _to_int,
    "services.*.cpus": _to_float,
    "services.*.cpu_shares": _to_int,
    "services.*.init": _to_bool,
    "services.*.deploy.replicas": _to_int,
    "services.*.deploy.update_config.parallelism": _to_int,
    "services.*.deploy.update_config.max_failure_ratio": _to_float,
    "services.*.deploy.rollback_config.parallelism": _to_int,
    "services.*.deploy.rollback_config.max_failure_ratio": _to_float,
    "services.*.deploy.restart_policy.max_attempts": _to_int,
    "services.*.deploy.placement.max_replicas_per_node": _to_int,
    "services.*.healthcheck.retries": _to_int,
    "services.*.healthcheck.disable": _to_bool,
    "services.*.oom_kill_disable": _to_bool,
    "services.*.oom_score_adj": _to_int,
    "services.*.pids_limit": _to_int,
    "services.*.ports.[].target": _to_int,
    "services.*.privileged": _to_bool,
    "services.*.read_only": _to_bool,
    "services.*.scale": _to_int,
    "services.*.stdin_open": _to_bool,
    "services.*.tty": _to_bool,
    "services.*.ulimits.*": _to_int,
    "services.*.ulimits.*.hard": _to_int,
    "services.*.ulimits.*.soft": _to_int,
    "services.*.volumes.[].read_only": _to_bool,
    "services.*.volumes.[].volume.nocopy": _to_bool,
    "networks.*.external": _to_bool,
    "networks.*.internal": _to_bool,
    "networks.*.attachable": _to_bool,
    "networks.*.enable_ipv6": _to_bool,
    "volumes.*.external": _to_bool,
    "secrets.*.external": _to_bool,
    "configs.*.external": _to_bool,
}


@dataclass(frozen=True, slots=True)
class Interpolated:
    root: Node
    variables: tuple[VariableRef, ...]
    errors: tuple[ComposeError, ...]


def interpolate_tree(root: Node, env: EnvMapping[str, str], source: str = "") -> Interpolated:
    walker = _Walker(env, _SourceIndex(source))
    new_root = walker.node(root, ())
    return Interpolated(new_root, tuple(walker.variables), tuple(walker.errors))


class _SourceIndex:
    """Offsets of line starts, to turn a scalar's span into a slice of the source and back."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def offset(self, line: int, column: int) -> int:
        if line - 1 >= len(self.starts):
            return len(self.text)
        return self.starts[line - 1] + column - 1

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def locate(self, scalar: Scalar, references: tuple[Reference, ...]) -> list[Span]:
        """Each reference's span, searched in order inside the scalar's source text; the
        scalar's own span when the source does not show it (escapes, folding)."""
        start = self.offset(scalar.span.line, scalar.span.column)
        end = self.offset(scalar.span.end_line, scalar.span.end_column)
        spans, cursor = [], start
        for reference in references:
            needle = scalar.raw[reference.start : reference.end]
            found = self.text.find(needle, cursor, end) if self.text else -1
            if found < 0:
                spans.append(scalar.span)
                continue
            line, column = self.position(found)
            end_line, end_column = self.position(found + len(needle))
            spans.append(Span(line, column, end_line, end_column))
            cursor = found + 1
        return spans


class _Walker:
    def __init__(self, env: EnvMapping[str, str], source: _SourceIndex) -> None:
        self.env = env
        self.source = source
        self.variables: list[VariableRef] = []
        self.errors: list[ComposeError] = []

    def node(self, node: Node, path: TreePath) -> Node:
        if isinstance(node, Mapping):
            entries = tuple((key, self.node(value, path + (key.text,))) for key, value in node.entries)
            return dataclasses.replace(node, entries=entries)
        if isinstance(node, Sequence):
            items = tuple(self.node(item, path + (i,)) for i, item in enumerate(node.items))
            return dataclasses.replace(node, items=items)
        if isinstance(node, Scalar):
            return self.scalar(node, path)
        return node

    def scalar(self, scalar: Scalar, path: TreePath) -> Scalar:
        value = scalar.value
        if isinstance(value, str) and "$" in value:
            result = substitute(value, self.env)
            spans = self.source.locate(scalar, result.references)
            refs = tuple(
                VariableRef(ref.name, scalar.file, span, ref.has_default, ref.required, ref.defined)
                for ref, span in zip(result.references, spans)
            )
            self.variables.extend(refs)
            if result.error:
                self.errors.append(ComposeError(
                    f"{dotted(path)}: {result.error}"
                    + ("" if result.error.startswith("required") else
                       "; you may need to escape any $ with another $"),
                    scalar.file, scalar.span,
                ))
            scalar = dataclasses.replace(scalar, value=result.value, variables=refs)
        cast = first_match(path, _CASTS)
        if cast and isinstance(scalar.value, str):
            converted = cast(scalar.value)
            if converted is not None:
                scalar = dataclasses.replace(scalar, value=converted)
        return scalar
