"""twelvecheck: lint container files for image best practices and the twelve-factor principles.

The library API: ``lint(paths, config) -> Report``, ``audit(root, config) -> Report`` and
``verify(context, dockerfile, config) -> Report``. Everything heavy is imported on use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from twelvecheck.config import Config
    from twelvecheck.results import Report


def lint(paths: list[str], config: Config | None = None, **options: Any) -> Report:
    """Lint files and directories; see ``twelvecheck.engine.lint``."""
    from twelvecheck.engine import lint as run

    return run(paths, config, **options)


def audit(root: str = ".", config: Config | None = None, **options: Any) -> Report:
    """Audit a repository, with the twelve-factor scorecard; see ``twelvecheck.repository_audit``."""
    from twelvecheck.repository_audit import audit as run

    return run(root, config, **options)


def verify(context: str = ".", dockerfile: str | None = None, config: Config | None = None, **options: Any) -> Report:
    """Lint, build (or read ``image=``) and verify a Dockerfile; see ``twelvecheck.verification.verify``."""
    from twelvecheck.verification import verify as run

    return run(context, dockerfile, config, **options)


def __getattr__(name: str) -> Any:
    """``twelvecheck.build(...)`` (DESIGN.md's API) is the ``twelvecheck.build`` package, made
    callable; importing it here, on first use, keeps the builder off the lint path."""
    if name == "build":
        import twelvecheck.build as package

        return package
    raise AttributeError(name)
