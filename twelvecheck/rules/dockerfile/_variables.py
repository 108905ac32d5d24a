"""Names of variables: which ones a FROM may use, and a 'did you mean' for misspelt ones."""

from __future__ import annotations

from collections.abc import Iterable

from twelvecheck.parse.model import Stage
from twelvecheck.rules.context import PREDEFINED_ARGS, arg_pairs

# Plausible values of the platform ARGs BuildKit predefines, to judge FROM lines that use them.
PLATFORM_EXAMPLES = {
    "TARGETPLATFORM": "linux/amd64", "TARGETOS": "linux", "TARGETARCH": "amd64", "TARGETVARIANT": "",
    "BUILDPLATFORM": "linux/amd64", "BUILDOS": "linux", "BUILDARCH": "amd64", "BUILDVARIANT": "",
}  # fmt: skip


def declared_global_args(ctx) -> dict[str, str]:
    """ARGs before the first FROM, as BuildKit sees them without --build-arg: no default is ''.
    Worked out once per file (kept on its context); do not modify the result."""
    declared = ctx.__dict__.get("_declared_global_args")
    if declared is None:
        declared = {}
        for instruction in ctx.dockerfile.global_args:
            for name, default in arg_pairs(instruction):
                declared[name] = ctx.expand(default, instruction) if default is not None else declared.get(name, "")
        ctx.__dict__["_declared_global_args"] = declared
    return declared


def from_environment(ctx) -> dict[str, str]:
    """What a FROM line's variables expand to with no build arguments given."""
    return {**PLATFORM_EXAMPLES, **declared_global_args(ctx)}


def suggestion(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate ``name`` is most likely a typo of: same letters in another case, or one or
    two edits away (one for short names, where two edits make a different word)."""
    options = sorted(c for c in candidates if c != name)
    for candidate in options:
        if candidate.lower() == name.lower():
            return candidate
    allowed = 1 if len(name) <= 5 else 2
    # GOPATH is not a typo of PATH: a near miss keeps its length within one letter.
    scored = [(distance(name, c), c) for c in options if abs(len(c) - len(name)) <= 1]
    best = min(scored, default=None)
    return best[1] if best and best[0] <= allowed else None


def distance(a: str, b: str) -> int:
    """Edit distance with adjacent transpositions (optimal string alignment)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


def is_unknown(ctx, instruction, expansion) -> bool:
    """The expanded text depends on a value the build supplies: a variable that is not set, or an
    ARG without a default (empty until --build-arg fills it)."""
    scope = ctx.variables_at(instruction)
    return bool(expansion.missing) or any(not scope.get(name) for name in expansion.used)


def known_names(ctx) -> set[str]:
    return set(PREDEFINED_ARGS) | set(declared_global_args(ctx))


def chain_from_scratch(ctx, stage: Stage) -> bool:
    """The stage (through the stages it is built FROM) starts from scratch: all its variables are ours."""
    by_name = ctx.stages_by_name
    seen: set[int] = set()
    while stage.index not in seen:
        seen.add(stage.index)
        base = ctx.resolved_base(stage).lower()
        if base == "scratch":
            return True
        parent = by_name.get(base)
        if parent is None or parent.index >= stage.index:
            return False
        stage = parent
    return False
