"""What compose rules see: one project (a file and its override files merged), with positions,
and the Dockerfile and ``.dockerignore`` behind each service that builds.

The project is loaded with an empty process environment: a linter must give the same answer on
every machine, so only the project's ``.env`` file defines variables.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from twelvecheck.files import Unreadable, read_bytes
from twelvecheck.findings import Finding
from twelvecheck.parse.compose import ComposeProject, Node, Service, load_project
from twelvecheck.parse.dockerignore import Dockerignore, parse_dockerignore
from twelvecheck.parse.model import Dockerfile, Span
from twelvecheck.rules.context import FileContext
from twelvecheck.suppress import Problem, Suppressions, collect_yaml
from twelvecheck.lazy_re import lazy_compile

_PRODUCTION_NAME = lazy_compile(r"(^|[._-])(prod|production|live|release)([._-]|$)", re.IGNORECASE)
# A file or directory for development or tests (docker/devenv/, .ci/compose.cypress.yaml,
# pkg/e2e/testdata/): its variables are exported by the scripts that start it, not by a deploy.
_DEVELOPMENT_NAME = lazy_compile(r"(^|[._-])(dev|devenv|devel|development|local|test|tests|testdata|testing|e2e|ci|cypress)([._-]|$)",
                               re.IGNORECASE)
_FAMILY = lazy_compile(r"(?P<family>.*compose)(?P<variant>(?:[._-].*)?)$", re.IGNORECASE)
_WHOLE_FILE = Span(1, 1, 1, 2)
_DEPLOY_TIME = lazy_compile(r"required variable \S+ is missing a value|env file .* not found")
# Env files that document a project's variables for people to copy to .env (mattermost's
# env.example): the variables they list are defined, by the deploy.
EXAMPLE_ENV_FILES = (".env.example", "env.example", ".env.sample", "env.sample", ".env.dist", ".env.template",
                     "example.env", "sample.env", ".env.defaults")
# What an unset variable stands for when checking that a file is valid once its variables are
# set: a number, so ports, sizes and names (container_name wants two characters) accept it.
_PLACEHOLDER = "1024"


@dataclass(frozen=True, slots=True)
class ComposeProblem:
    """A parse or schema error, with the file it is in (an override file, an env file...)."""

    message: str
    span: Span
    file: str


@dataclass(frozen=True, slots=True)
class BuildLink:
    """A service's build: its context directory, Dockerfile (parsed) and .dockerignore."""

    context_dir: Path
    dockerfile_path: Path
    dockerfile: Dockerfile | None  # None: missing or unreadable
    dockerignore: Dockerignore | None


class ComposeContext(FileContext):
    kind = "compose"

    def __init__(self, path: str, files: list[Path], root: str = ".",
                 known_rule_keys: frozenset[str] = frozenset(), tree: str | None = None):
        super().__init__(path)
        self.root = os.path.abspath(root)
        self.tree = tree  # nothing outside it is read (twelvecheck.files)
        self.known_rule_keys = known_rule_keys
        self.files = files
        self.project: ComposeProject = load_project(files, env={}, tree=tree)
        self.main_file = files[0].resolve()
        self._links: dict[str, BuildLink | None] = {}

    # -- where things are -------------------------------------------------------------------
    def display(self, file: str | os.PathLike) -> str:
        """A file path as reports show it: relative to the root when below it."""
        relative = os.path.relpath(os.path.abspath(file), self.root)
        return str(file) if relative.startswith("..") else relative

    def finding(self, where: Node | Service, message: str, hint: str | None = None) -> Finding:
        """A finding at a node (or a service's key), in whichever file it was written."""
        return Finding(where.span, message, hint, file=self.display(where.file))

    def finding_at(self, file: str, span: Span, message: str, hint: str | None = None) -> Finding:
        return Finding(span, message, hint, file=self.display(file))

    # -- what the project holds -------------------------------------------------------------
    @property
    def services(self) -> dict[str, Service]:
        return self.project.services

    @cached_property
    def repository_root(self) -> Path:
        """The repository the project belongs to: git's top level when the lint root is inside a
        checkout (linting a subdirectory still knows the whole repository), else the lint root."""
        stat = os.stat(self.root)
        return _repository_root(self.root, stat.st_ino, stat.st_mtime_ns)

    @property
    def is_production_file(self) -> bool:
        """The file's name says it is for production (``docker-compose.prod.yml``)."""
        return any(_PRODUCTION_NAME.search(Path(f.path).stem) for f in self.project.files)

    @property
    def is_development_file(self) -> bool:
        """The file's name or a directory below the lint root says it is for development or
        tests (``docker/devenv/docker-compose.main.yml``, ``tests/compose.ci.yaml``)."""
        shown = Path(self.display(self.main_file))
        # Outside the lint root only the name counts: /home/dev/ says nothing about the file.
        parts = (shown.name,) if shown.is_absolute() else shown.parts
        return any(_DEVELOPMENT_NAME.search(part) for part in parts)

    @cached_property
    def outside_tree(self) -> tuple[ComposeProblem, ...]:
        """Files the project names (include, extends, env_file) or is (a symbolic link) that lead
        outside the linted tree, and so were not read."""
        return tuple(ComposeProblem(e.message, e.span or _WHOLE_FILE, self.display(e.file))
                     for e in dict.fromkeys(self.project.errors) if e.outside)

    @cached_property
    def parse_errors(self) -> tuple[ComposeProblem, ...]:
        return tuple(ComposeProblem(e.message, e.span or _WHOLE_FILE, self.display(e.file)) for e in self._checked[0])

    @property
    def errors_from_unset_variables(self) -> dict[str, str]:
        """Errors the file has only because a variable is unset (``ports: ["${PORT}:80"]``
        gives ``invalid port ''``), by the variable: DC023 reports them as one unset variable."""
        return self._checked[1]

    @cached_property
    def _checked(self) -> tuple[list, dict[str, str]]:
        errors = _problems(self.project)
        unset = {ref.name for ref in self.project.variables if not ref.defined and not ref.has_default}
        if not errors or not unset:
            return errors, {}
        # The file's own errors are those left once every unset variable has a value; the rest
        # come from the empty strings compose substitutes, which the deploy's environment fills.
        filled = _problems(load_project(self.files, env=dict.fromkeys(unset, _PLACEHOLDER), tree=self.tree))
        real = {(e.message, e.file, e.span) for e in filled}
        by_variable: dict[str, str] = {}
        for error in errors:
            if (error.message, error.file, error.span) not in real:
                by_variable.setdefault(self._unset_variable_near(error, unset), error.message)
        return filled, by_variable

    def _unset_variable_near(self, error, unset: set[str]) -> str:
        """The unset variable used on the error's line (else the project's first unset one)."""
        refs = [ref for ref in self.project.variables if ref.name in unset]
        line = error.span.line if error.span else 0
        same_line = [ref for ref in refs if ref.file == error.file and ref.span.line <= line <= ref.span.end_line]
        return (same_line or refs)[0].name

    @cached_property
    def documented_variables(self) -> frozenset[str]:
        """Variables listed by an example env file beside the compose file (``.env.example``)."""
        from twelvecheck.parse.compose.dotenv import read_dotenv

        names: set[str] = set()
        for name in EXAMPLE_ENV_FILES:
            path = self.main_file.parent / name
            if os.path.isfile(path):
                names.update(entry.name for entry in read_dotenv(path, tree=self.tree).entries)
        return frozenset(names)

    # -- suppressions -----------------------------------------------------------------------
    @cached_property
    def _suppressions_by_file(self) -> dict[str, Suppressions]:
        found = {}
        for compose_file in self.project.files:
            if compose_file.raw_root is None:
                continue
            data = read_bytes(str(compose_file.path), root=self.tree)
            if isinstance(data, Unreadable):
                continue
            text = data.decode("utf-8", errors="replace")
            found[self.display(compose_file.path)] = collect_yaml(text, set(self.known_rule_keys))
        return found

    @property
    def suppressions(self) -> Suppressions:
        return self._suppressions_by_file.get(self.path, Suppressions())

    def suppressions_for(self, file: str) -> Suppressions:
        return self._suppressions_by_file.get(file, Suppressions())

    @property
    def pragma_problems(self) -> list[Problem]:
        return [Problem(p.message, p.span, file) for file, s in self._suppressions_by_file.items() for p in s.problems]

    # -- across files -----------------------------------------------------------------------
    def build_link(self, service: Service) -> BuildLink | None:
        """The Dockerfile and .dockerignore a service builds from, when the context is local."""
        if service.build is None or service.build.dockerfile_inline is not None:
            return None
        if service.name not in self._links:
            self._links[service.name] = _link(service, self.tree)
        return self._links[service.name]

    @cached_property
    def base_variant_of(self) -> Path | None:
        """The base file this file is a variant of, beside it (``docker-compose.yml`` for
        ``docker-compose.prod.yml`` or ``docker-compose-dev.yml``): the same application for
        another environment. None for a base file, or a variant whose base is not there
        (``overrides/compose.mariadb.yaml`` is one choice among alternatives, not an environment)."""
        family, variant = _variant_name(self.main_file.name)
        if not variant:
            return None
        loaded = {Path(f.path).resolve() for f in self.project.files}
        bases = (self.main_file.parent / f"{family}.{ext}" for ext in ("yml", "yaml"))
        return next((path for path in bases if os.path.isfile(path) and path.resolve() not in loaded), None)


def _variant_name(name: str) -> tuple[str, str]:
    """A compose file name as its family and its variant: ``docker-compose.prod.yml`` ->
    (``docker-compose``, ``.prod``); ``docker-compose.yml`` -> (``docker-compose``, ``""``).
    The family ends at the last ``compose`` word, so a prefix (``api-compose.yml``, a flattened
    ``owner__repo__docker-compose.yml``) stays part of it."""
    stem = re.sub(r"\.ya?ml$", "", name, flags=re.IGNORECASE)
    match = _FAMILY.match(stem)
    return (match["family"], match["variant"]) if match else (stem, "")


@lru_cache(maxsize=64)
def _repository_root(root: str, _inode: int, _mtime_ns: int) -> Path:
    """Asked of git once per lint root and process, not once per compose file (a ``git``
    process each); the root's inode and modification time in the key notice a ``git init``."""
    from twelvecheck.rules.repository_context import git_toplevel

    return git_toplevel(root) or Path(root).resolve()


def _problems(project: ComposeProject) -> list:
    """Parse errors, else schema errors. A required variable or an env file the deploy provides
    is absent from a checkout by design (factor III); compose would stop, a linter must not call
    the file broken."""
    errors = [e for e in project.errors if not e.outside and not _DEPLOY_TIME.search(e.message)]
    return errors or project.validate()


def _link(service: Service, tree: str | None = None) -> BuildLink | None:
    from twelvecheck.files import is_regular_file, read_text
    from twelvecheck.parse.dockerfile import parse

    context = Path(service.build.context)
    if not os.path.isdir(context):
        return None
    dockerfile_path = (context / (service.build.dockerfile or "Dockerfile")).resolve()
    text = read_text(str(dockerfile_path), root=tree) if os.path.isfile(dockerfile_path) else None
    dockerfile = parse(text, str(dockerfile_path)) if isinstance(text, str) else None
    ignore_path = next((p for p in (Path(f"{dockerfile_path}.dockerignore"), context / ".dockerignore")
                        if is_regular_file(str(p), tree)), None)
    ignore_text = read_text(str(ignore_path), root=tree) if ignore_path else None
    dockerignore = parse_dockerignore(ignore_text, str(ignore_path)) if isinstance(ignore_text, str) else None
    return BuildLink(context, dockerfile_path, dockerfile, dockerignore)
