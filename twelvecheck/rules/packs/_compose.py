"""The shape of a compose pack rule: key paths with wildcards over the merged project, with
tests on scalar values, reported at the exact node in whichever file wrote it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule
from twelvecheck.rules.packs._format import ComposeMatch

if TYPE_CHECKING:
    from twelvecheck.parse.compose import Node
    from twelvecheck.rules.compose_context import ComposeContext


class ComposePackRule(Rule):
    """Reports each node at ``match.path`` whose value passes the tests (or, with ``when:
    absent``, each node at the path up to its last ``*`` that lacks the rest of the path)."""

    kind = "compose"
    match: ClassVar[ComposeMatch]
    message: ClassVar[str]
    hint: ClassVar[str | None] = None

    def check(self, ctx: ComposeContext) -> Iterator[Finding]:
        from twelvecheck.parse.compose import Mapping, Scalar
        from twelvecheck.rules.packs._compose_paths import walk

        path = self.match.path
        if self.match.when == "absent":
            # Anchored at the last wildcard: `services.*.labels.owner` asks each service for
            # `labels.owner`, so a service without any labels lacks it too.
            anchor = max((i + 1 for i, step in enumerate(path) if step == "*"), default=0)
            for steps, where, node in walk(ctx.project.model, path[:anchor]):
                if isinstance(node, Mapping) and node.at(*path[anchor:]) is None:
                    yield self._finding(ctx, where, ".".join((*steps, *path[anchor:])), "")
            return
        for steps, _, node in walk(ctx.project.model, path):
            value = node.text if isinstance(node, Scalar) else ""
            if self._value_matches(node, value):
                yield self._finding(ctx, node, ".".join(steps), value)

    def _value_matches(self, node: Node, value: str) -> bool:
        match = self.match
        if match.value is None and match.value_not is None and match.value_not_in is None:
            return True
        from twelvecheck.parse.compose import Scalar
        from twelvecheck.rules.packs._compose_paths import normalized

        if not isinstance(node, Scalar):
            return False  # value tests judge scalars; a path to a list names its items with '*'
        compared = normalized(value, match.normalize)
        return (match.value is None or bool(match.value.search(compared))) \
            and (match.value_not is None or not match.value_not.search(compared)) \
            and (match.value_not_in is None or compared not in self.config[match.value_not_in])

    def _finding(self, ctx: ComposeContext, where: Node, path: str, value: str) -> Finding:
        fields = {"path": path, "value": value}
        hint = self.hint.format_map(fields) if self.hint else None
        return ctx.finding(where, self.message.format_map(fields), hint)

