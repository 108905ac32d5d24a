"""The rule base classes: identity as class attributes, checked when the class is defined.

A rule is a class with a ``code``, a ``name`` and a ``check`` generator. The base class it
derives from says how it walks a file:

* ``InstructionRule``: called for each instruction whose keyword is in ``keywords``;
* ``StageRule``: called for each build stage;
* ``DockerfileRule``: called once per file (a fold: remember facts, decide at the end);
* ``ShellRule`` (``twelvecheck.rules.shell``): called for each shell command in RUN.

Rules yield ``Finding(span, message, hint)``; the engine stamps code, severity, factors, aliases
and the file path, so a rule never repeats its own identity.

A rule about a security risk sets ``security_severity`` to a CVSS-like score from 0.0 to 10.0
(GitHub code scanning's scale: 9.0+ critical, 7.0+ high, 4.0+ medium, below that low); reports
tag it ``security`` and pass the score on. Everything else leaves it ``None``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from twelvecheck.findings import FACTORS, SEVERITIES, Finding
from twelvecheck.lazy_re import lazy_compile

if TYPE_CHECKING:
    from twelvecheck.parse.model import Instruction, Stage
    from twelvecheck.rules.context import DockerfileContext

FAMILIES = {"DF": "dockerfile", "SH": "shell", "DC": "compose", "DI": "dockerignore", "RP": "repository",
            "AP": "application-source", "IM": "image", "TC": "meta"}  # code prefix -> family
CODE = lazy_compile(rf"^({'|'.join(FAMILIES)})\d{{3}}$")
NAME = lazy_compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
STATUSES = ("stable", "preview", "deprecated", "removed")
KINDS = ("any", "dockerfile", "compose", "dockerignore", "repository", "source", "image")
ALIAS_TOOLS = ("hadolint", "buildkit", "checkov", "trivy", "binnacle", "shellcheck", "kics")


class RuleDefinitionError(TypeError):
    """A rule class whose identity is incomplete or malformed."""


class Rule:
    """Base of all rules. Subclasses without ``code`` are abstract shapes."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[str]
    factors: ClassVar[tuple[str, ...]] = ()
    aliases: ClassVar[Mapping[str, tuple[str, ...]]] = {}
    kind: ClassVar[str] = "dockerfile"
    fixable: ClassVar[bool] = False
    # "safe": the fix cannot change what the image (or the compose project) does; "unsafe": it
    # may, in the ways the docstring's ``## Fix safety`` names, and applies only with
    # --unsafe-fixes. A rule some of whose fixes are unsafe says "unsafe".
    fix_safety: ClassVar[str] = "safe"
    options: ClassVar[Mapping[str, Any]] = {}
    status: ClassVar[str] = "stable"
    enabled_by_default: ClassVar[bool] = True
    security_severity: ClassVar[float | None] = None
    # A regex of the extra keys this rule's findings may carry (``SC\d{4}`` for ShellCheck),
    # so pragmas naming them are not reported as unknown rules.
    extra_key_pattern: ClassVar[str | None] = None
    # Defined by a pack the configuration names (``packs:``): found through that configuration,
    # never through the registry, so one configuration's packs do not leak into another's run.
    from_config: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "code" in cls.__dict__:
            _check_identity(cls)

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        self.config = {**self.options, **(options or {})}

    @classmethod
    def all_aliases(cls) -> tuple[str, ...]:
        return tuple(alias for names in cls.aliases.values() for alias in names)

    @classmethod
    def family(cls) -> str:
        return FAMILIES[cls.code[:2]]

    @classmethod
    def summary(cls) -> str:
        doc = (cls.__doc__ or "").strip()
        return doc.splitlines()[0] if doc else cls.name

    def check(self, ctx: Any) -> Iterator[Finding]:
        raise NotImplementedError

    def prepare(self, contexts: Sequence[Any]) -> None:
        """Called once with a batch of file contexts before ``check`` runs on each of them.

        For rules that pay per external process (ShellCheck): one run for many files instead of
        one per file. The default does nothing; ``check`` must still work without it.
        """


def _check_identity(cls: type[Rule]) -> None:
    where = f"{cls.__module__}.{cls.__qualname__}"
    problems = []
    if not CODE.match(cls.code):
        problems.append(f"code {cls.code!r} is not a family prefix plus three digits")
    if not NAME.match(getattr(cls, "name", "")):
        problems.append(f"name {getattr(cls, 'name', None)!r} is not a kebab-case slug")
    if getattr(cls, "severity", None) not in SEVERITIES:
        problems.append(f"severity must be one of {', '.join(SEVERITIES)}")
    if any(factor not in FACTORS for factor in cls.factors):
        problems.append(f"factors {cls.factors!r} must be roman numerals I to XII")
    if any(tool not in ALIAS_TOOLS for tool in cls.aliases):
        problems.append(f"aliases must be keyed by one of {', '.join(ALIAS_TOOLS)}")
    if cls.status not in STATUSES:
        problems.append(f"status must be one of {', '.join(STATUSES)}")
    if cls.fix_safety not in ("safe", "unsafe"):
        problems.append("fix_safety must be 'safe' or 'unsafe'")
    if cls.kind not in KINDS:
        problems.append(f"kind must be one of {', '.join(KINDS)}")
    if cls.security_severity is not None and not 0.0 <= cls.security_severity <= 10.0:
        problems.append("security_severity must be a score from 0.0 to 10.0")
    if not (cls.__doc__ or "").strip():
        problems.append("the docstring (the rule's documentation) is missing")
    if problems:
        raise RuleDefinitionError(f"{where}: " + "; ".join(problems))


class DockerfileRule(Rule):
    """Called once per Dockerfile: override ``check``."""

    kind = "dockerfile"

    def check(self, ctx: DockerfileContext) -> Iterator[Finding]:
        raise NotImplementedError


class InstructionRule(DockerfileRule):
    """Called for each instruction whose keyword is in ``keywords`` (ONBUILD's inner one too)."""

    keywords: ClassVar[frozenset[str]] = frozenset()

    def check(self, ctx: DockerfileContext) -> Iterator[Finding]:
        for instruction in ctx.instructions_with(self.keywords):
            yield from self.check_instruction(ctx, instruction)

    def check_instruction(self, ctx: DockerfileContext, instruction: Instruction) -> Iterator[Finding]:
        raise NotImplementedError


class StageRule(DockerfileRule):
    """Called for each build stage."""

    def check(self, ctx: DockerfileContext) -> Iterator[Finding]:
        for stage in ctx.dockerfile.stages:
            yield from self.check_stage(ctx, stage)

    def check_stage(self, ctx: DockerfileContext, stage: Stage) -> Iterator[Finding]:
        raise NotImplementedError
