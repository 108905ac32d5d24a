"""``twelvecheck audit DIR``: every container-related file of a repository plus repository-level
checks, linted together, with the twelve-factor scorecard."""

from __future__ import annotations

import os
from collections.abc import Callable

from twelvecheck.config import Config
from twelvecheck.discover import Candidate, discover, group_compose_projects
from twelvecheck.engine import by_config, display_path, lint_jobs, skipped
from twelvecheck.results import Report
from twelvecheck.rules.registry import configured_rules_for, rules_for

AUDIT_KINDS = frozenset({"dockerfile", "compose", "dockerignore", "repository", "source"})


def audit(root: str = ".", config: Config | None = None,
          progress: Callable[[int, int], Callable[[int], None]] | None = None) -> Report:
    """Audit the repository at ``root``; ``progress(total, ...)`` makes a per-file callback."""
    from twelvecheck.engine import split_notices
    from twelvecheck.scorecard import overall_score, scorecard, skipped_codes

    config = config or Config()
    candidates = group_compose_projects(c for c in discover([root], AUDIT_KINDS) if c.kind is None or c.kind in AUDIT_KINDS)
    candidates.append(Candidate(root, "repository"))
    jobs = [(c, "." if c.kind == "repository" else display_path(c.path, root)) for c in candidates]
    jobs = [(c, shown) for c, shown in jobs if not skipped(config, c, shown)]
    tick = progress(len(jobs)) if progress is not None else None
    findings, suppressed, present = lint_jobs(jobs, config, root, tick)
    findings, notices = split_notices(findings)
    # a rule counts as checked when the configuration of some file enables it
    configs = [own for own, _ in by_config(jobs, config)]
    enabled = list({cls.code: cls for own in configs for cls in rules_for(present) + configured_rules_for(present, own)
                    if own.is_enabled(cls)}.values())
    files = [shown for c, shown in jobs if c.kind != "repository"]
    # an empty directory: the repository-level rules alone have nothing to judge
    judged = present if files else frozenset()
    card = scorecard(findings, enabled, judged, skipped_codes(notices, enabled))
    return Report(findings=findings, files=files, suppressed=suppressed, factors=card,
                  root=os.path.abspath(root), score=overall_score(card), notices=notices)
