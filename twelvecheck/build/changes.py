"""How a build step's filesystem change is recorded: with an overlayfs upper directory when the
kernel allows it (overlay.py), else by snapshot-and-compare (diff.py).  Both give the same layer;
overlay does not walk the untouched part of the rootfs.  ``TWELVECHECK_DIFF=overlay|snapshot``
overrides the automatic choice (benchmarks, and ruling one out when debugging a layer).
"""

from __future__ import annotations

import os
from typing import Callable, Protocol, TypeVar

from twelvecheck.build import diff, overlay

METHODS = ("overlay", "snapshot")
ENVIRONMENT_VARIABLE = "TWELVECHECK_DIFF"

Kept = TypeVar("Kept")


class ChangeTracker(Protocol):
    def refresh(self) -> None:
        """The rootfs changed outside a step (layers unpacked into it)."""

    def record(self, execute: Callable[[str], None], keep: Callable[[str, diff.Diff], Kept]) -> tuple[diff.Diff, Kept]:
        """Run ``execute(root)``; call ``keep(tree, changes)`` while ``tree`` holds every changed
        entry (to write the layer); leave the rootfs showing the step's result."""


class SnapshotTracker:
    def __init__(self, rootfs: str):
        self.rootfs = rootfs
        self.before: diff.Snapshot = {}

    def refresh(self) -> None:
        self.before = diff.snapshot(self.rootfs)

    def record(self, execute, keep):
        execute(self.rootfs)
        after = diff.snapshot(self.rootfs)
        changes = diff.compare(self.before, after)
        self.before = after
        return changes, keep(self.rootfs, changes)


class DiffMethodError(RuntimeError):
    pass


def choose_method(work: str) -> str:
    """``overlay`` when it works under ``work``, else ``snapshot``; the environment may insist."""
    wanted = os.environ.get(ENVIRONMENT_VARIABLE, "") or "auto"
    if wanted not in (*METHODS, "auto"):
        raise DiffMethodError(f"{ENVIRONMENT_VARIABLE}={wanted}: use one of {', '.join(METHODS)}")
    if wanted == "snapshot":
        return "snapshot"
    reason = overlay.unavailable_reason(work)
    if reason is None:
        return "overlay"
    if wanted == "overlay":
        raise DiffMethodError(f"{ENVIRONMENT_VARIABLE}=overlay, but {reason}")
    return "snapshot"


def tracker(method: str, rootfs: str, work: str) -> ChangeTracker:
    return overlay.OverlayTracker(rootfs, work) if method == "overlay" else SnapshotTracker(rootfs)
