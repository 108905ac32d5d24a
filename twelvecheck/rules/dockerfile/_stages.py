"""Which stage a name (``COPY --from``, ``FROM``) refers to, judged the way BuildKit does."""

from __future__ import annotations

from twelvecheck.parse.model import Instruction, Stage


def copy_from(ctx, instruction: Instruction) -> tuple[str, bool] | None:
    """The expanded ``--from`` value of a COPY, and whether it holds an unknown variable."""
    flag = instruction.flag("from")
    if flag is None or flag.value is None:
        return None
    expansion = ctx.expansion(flag.value, instruction)
    return expansion.value, bool(expansion.missing)


def earlier_stage(ctx, name: str, stage: Stage) -> Stage | None:
    """The stage before ``stage`` named ``name`` (case-insensitive) or with that index."""
    lowered = name.lower()
    named = ctx.first_stage_named(lowered)
    indexes = [named] if named is not None else []
    if lowered.isdigit() and len(lowered) < 10:  # a stage index (never a 5000-digit int)
        indexes.append(int(lowered))
    found = min((index for index in indexes if index < stage.index), default=None)
    return ctx.dockerfile.stages[found] if found is not None else None


def looks_like_image(name: str) -> bool:
    """``nginx:1.27``, ``ghcr.io/x/y``, ``img@sha256:…``: an image reference, not a stage name."""
    return any(char in name for char in ":/@")
