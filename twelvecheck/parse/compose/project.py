"""Load a compose project: discover files, interpolate, include, extend, merge, model services.

The order follows compose-go: each file is parsed and interpolated on its own, gets its
``include`` resources and resolves its ``extends``; then the files merge in ``-f`` order.  The
interpolation environment is passed in (never read from ``os.environ`` here) and wins over the
project's ``.env`` (or ``--env-file``) values.
"""

from __future__ import annotations

import os

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping as EnvMapping

from twelvecheck.parse.compose.dotenv import read_dotenv
from twelvecheck.parse.compose.extends import ExtendsResolver
from twelvecheck.parse.compose.interpolate_tree import interpolate_tree
from twelvecheck.parse.compose.merge import merge, strip_resets
from twelvecheck.parse.compose.nodes import (
    ComposeError, Mapping, Node, Scalar, Sequence, VariableRef,
)
from twelvecheck.parse.compose.service import Service, ServiceBuilder, _outside
from twelvecheck.parse.compose.yamltree import Limits, read_yaml_file
from twelvecheck.parse.model import Span

DEFAULT_FILE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
#: Top-level sections an ``include`` contributes to the including project.
INCLUDED_SECTIONS = ("services", "networks", "volumes", "secrets", "configs", "models")


@dataclass(slots=True)
class ComposeFile:
    """One file as read: ``root`` is interpolated; ``raw_root`` is as written."""

    path: Path
    root: Node | None
    raw_root: Node | None
    variables: tuple[VariableRef, ...]
    errors: tuple[ComposeError, ...]


@dataclass(slots=True)
class ComposeProject:
    name: str
    project_dir: Path
    files: list[ComposeFile]  # the -f files first, then files read for extends and include
    model: Mapping  # the merged tree
    services: dict[str, Service]
    environment: dict[str, str]  # what interpolation used
    errors: list[ComposeError]
    base_dirs: dict[str, Path] = field(default_factory=dict)

    @property
    def variables(self) -> list[VariableRef]:
        return [ref for file in self.files for ref in file.variables]

    def base_dir(self, node: Node) -> Path:
        """Where ``node``'s relative paths point from."""
        return self.base_dirs.get(node.file, Path(node.file).parent)

    def services_for_profiles(self, active: Iterable[str] = ()) -> dict[str, Service]:
        """Services compose starts with these profiles active (``*`` activates all)."""
        active = set(active)
        return {
            name: service for name, service in self.services.items()
            if not service.profiles or "*" in active or active.intersection(service.profiles)
        }

    def validate(self) -> list[ComposeError]:
        """Schema errors of each file (imports jsonschema)."""
        from twelvecheck.parse.compose.validate import validate

        return [error for file in self.files if file.root is not None for error in validate(file.root)]


def discover_files(directory: Path) -> list[Path]:
    """The default compose file of ``directory`` and its override file, as compose picks them."""
    for name in DEFAULT_FILE_NAMES:
        if (directory / name).is_file():
            stem = name.rsplit(".", 1)[0]
            overrides = [directory / f"{stem}.override.{ext}" for ext in ("yaml", "yml")]
            return [directory / name] + [path for path in overrides if path.is_file()][:1]
    return []


def load_project(
    files: list[Path],
    env: EnvMapping[str, str],
    project_dir: Path | None = None,
    env_files: list[Path] | None = None,
    limits: Limits = Limits(),
    tree: str | None = None,
) -> ComposeProject:
    """Load files (or the default files of directories) as ``docker compose -f ...`` would.

    With ``tree`` (a resolved directory), no file outside it is read: an ``include``,
    ``extends.file`` or ``env_file`` leading out of it is refused with an error (``outside``)."""
    return _ProjectLoader(env, limits, (), tree).load(files, project_dir, env_files)


class _ProjectLoader:
    def __init__(self, env: EnvMapping[str, str], limits: Limits, include_stack: tuple,
                 tree: str | None = None) -> None:
        self.tree = tree
        self.process_env = dict(env)
        self.limits = limits
        self.include_stack = include_stack
        self.errors: list[ComposeError] = []
        self.files: dict[str, ComposeFile] = {}
        self.base_dirs: dict[str, Path] = {}
        self.env: dict[str, str] = {}

    def load(self, files, project_dir, env_files) -> ComposeProject:
        paths = self._resolve_paths(files, project_dir)
        project_dir = Path(project_dir or (paths[0].parent if paths else Path.cwd())).resolve()
        self.env = self._environment(project_dir, env_files)
        model: Node | None = None
        for path in paths:
            root = self._prepared_root(path, project_dir)
            if isinstance(root, Mapping):
                model = root if model is None else merge(model, root, ())
        model = strip_resets(model) if isinstance(model, Mapping) else _empty(str(project_dir))
        # A value shared through an alias reports its problem once, not once per use.
        self.errors[:] = dict.fromkeys(self.errors)
        project = ComposeProject(
            name=self._name(model, project_dir), project_dir=project_dir,
            files=list(self.files.values()), model=model, services={},
            environment=self.env, errors=self.errors, base_dirs=self.base_dirs,
        )
        builder = ServiceBuilder(project.base_dir, self.env, self.errors, self.tree)
        services = model.get("services")
        for key, node in services.entries if isinstance(services, Mapping) else ():
            service = builder.build(key, node)
            if service is not None:
                project.services[key.text] = service
        return project

    def _resolve_paths(self, files: list[Path], project_dir: Path | None) -> list[Path]:
        requested = [Path(f) for f in files] or [Path(project_dir or Path.cwd())]
        paths: list[Path] = []
        for path in requested:
            found = discover_files(path) if os.path.isdir(path) else [path]
            if not found:
                self.errors.append(ComposeError("no compose file found", str(path)))
            paths.extend(p.resolve() for p in found)
        return paths

    def _environment(self, project_dir: Path, env_files: list[Path] | None) -> dict[str, str]:
        if env_files is None:
            default = project_dir / ".env"
            env_files = [default] if os.path.isfile(default) else []
        values: dict[str, str] = {}
        for path in env_files:
            dotenv = read_dotenv(Path(path), {**values, **self.process_env}, self.tree)
            self.errors.extend(dotenv.errors)
            values.update(dotenv.as_dict())
        return {**values, **self.process_env}

    def _prepared_root(self, path: Path, base_dir: Path) -> Node | None:
        """One -f file, interpolated, with its includes added and its extends resolved."""
        root = self._read(path, base_dir)
        if not isinstance(root, Mapping):
            if root is not None:
                self.errors.append(ComposeError("top level must be a mapping", str(path), root.span))
            return None
        root = self._apply_includes(root, path)
        refuse = lambda target: _outside(target, self.tree)  # noqa: E731
        return ExtendsResolver(self._read_for_extends, self.errors, refuse).resolve(root, path)

    def _read(self, path: Path, base_dir: Path) -> Node | None:
        key = str(path)
        if key not in self.files:
            document = read_yaml_file(path, self.limits, self.tree)
            self.errors.extend(document.errors)
            self.base_dirs.setdefault(key, base_dir)
            if document.root is None:
                self.files[key] = ComposeFile(path, None, None, (), document.errors)
            else:
                result = interpolate_tree(document.root, self.env, document.text)
                self.errors.extend(result.errors)
                self.files[key] = ComposeFile(
                    path, result.root, document.root, result.variables,
                    document.errors + result.errors,
                )
        return self.files[key].root

    def _read_for_extends(self, path: Path) -> Mapping | None:
        root = self._read(path, path.parent)
        return root if isinstance(root, Mapping) else None

    def _apply_includes(self, root: Mapping, path: Path) -> Mapping:
        include = root.get("include")
        if not isinstance(include, Sequence):
            return root
        sections = {name: dict(_entries(root.get(name))) for name in INCLUDED_SECTIONS}
        for item in include.items:
            project = self._included_project(item, path)
            if project is None:
                continue
            for name in INCLUDED_SECTIONS:
                for key, value in _entries(project.model.get(name)):
                    if key.text in {k.text for k in sections[name]}:
                        self.errors.append(ComposeError(
                            f"{name}.{key.text} conflicts with an imported resource",
                            item.file, item.span,
                        ))
                        continue
                    sections[name][key] = value
        return _with_sections(root, sections)

    def _included_project(self, item: Node, including: Path) -> ComposeProject | None:
        paths, project_dir, env_files = _include_options(item, including.parent)
        if not paths:
            self.errors.append(ComposeError("include entry needs a path", item.file, item.span))
            return None
        for target in [*paths, *(env_files or ()), *([project_dir] if project_dir else [])]:
            refused = _outside(target, self.tree)
            if refused is not None:
                self.errors.append(ComposeError(f"include {target.name!r}: {refused}", item.file, item.span, True))
                return None
        if any(str(p) in self.include_stack or p == including for p in paths):
            self.errors.append(ComposeError("include cycle", item.file, item.span))
            return None
        missing = [p for p in paths if not os.path.isfile(p)]
        if missing:
            self.errors.append(ComposeError(f"included file {missing[0]} not found", item.file, item.span))
            return None
        loader = _ProjectLoader(self.env, self.limits, self.include_stack + (str(including),), self.tree)
        project = loader.load(paths, project_dir, env_files)
        self.errors.extend(project.errors)
        for file in project.files:
            self.files.setdefault(str(file.path), file)
        for file, base in project.base_dirs.items():
            self.base_dirs.setdefault(file, base)
        return project

    def _name(self, model: Mapping, project_dir: Path) -> str:
        name = model.get("name")
        chosen = name.text if isinstance(name, Scalar) and name.text else None
        chosen = self.process_env.get("COMPOSE_PROJECT_NAME") or chosen or project_dir.name
        return re.sub(r"[^a-z0-9_-]", "", chosen.lower())


def _include_options(item: Node, directory: Path) -> tuple[list[Path], Path | None, list[Path] | None]:
    if isinstance(item, Scalar):
        return [(directory / item.text).resolve()], None, None
    if not isinstance(item, Mapping):
        return [], None, None
    paths = [(directory / p.text).resolve() for p in _scalars(item.get("path"))]
    project_node = item.get("project_directory")
    project_dir = (directory / project_node.text).resolve() if isinstance(project_node, Scalar) else None
    env_nodes = _scalars(item.get("env_file"))
    env_files = [(directory / e.text).resolve() for e in env_nodes] if env_nodes else None
    return paths, project_dir, env_files


def _scalars(node: Node | None) -> list[Scalar]:
    if isinstance(node, Scalar):
        return [node]
    return [i for i in node.items if isinstance(i, Scalar)] if isinstance(node, Sequence) else []


def _entries(node: Node | None) -> tuple[tuple[Scalar, Node], ...]:
    return node.entries if isinstance(node, Mapping) else ()


def _with_sections(root: Mapping, sections: dict[str, dict[Scalar, Node]]) -> Mapping:
    """``root`` with each non-empty section replaced by the given entries (added if absent)."""
    entries = []
    for key, value in root.entries:
        if key.text in sections and sections[key.text] and isinstance(value, (Mapping, Scalar)):
            value = Mapping(file=value.file, span=value.span,
                            entries=tuple(sections.pop(key.text).items()))
        entries.append((key, value))
    for name, section in sections.items():
        if section and root.get(name) is None:
            first = next(iter(section))
            key = Scalar(file=first.file, span=first.span, value=name, raw=name)
            entries.append((key, Mapping(file=first.file, span=first.span,
                                         entries=tuple(section.items()))))
    return Mapping(file=root.file, span=root.span, tag=root.tag, entries=tuple(entries))


def _empty(file: str) -> Mapping:
    return Mapping(file=file, span=Span.point(1))
