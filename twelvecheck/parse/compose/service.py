"""The normalised service model rules read: ports, volumes, environment, depends_on, build.

Everything else stays a Node (``service.get('deploy')``), so a rule sees exactly what was
written and where.  Malformed entries become ComposeErrors, and the rest of the service is kept.
"""

from __future__ import annotations

import os

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping as EnvMapping

from twelvecheck.parse.compose.dotenv import read_dotenv
from twelvecheck.parse.compose.nodes import ComposeError, Mapping, Node, Scalar, Sequence
from twelvecheck.parse.compose.normalize import context_mapping, key_value_mapping, names_mapping
from twelvecheck.parse.compose.ports import PortBinding, PortSyntaxError, parse_port
from twelvecheck.parse.compose.volumes import VolumeMount, VolumeSyntaxError, parse_volume
from twelvecheck.parse.model import Span
from twelvecheck.lazy_re import lazy_compile

#: Gives the directory a node's relative paths are resolved against.
BaseDir = Callable[[Node], Path]

_REMOTE_CONTEXT = lazy_compile(r"^(?:[a-z][a-z0-9+.-]*://|git@|github\.com/)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class EnvVar:
    name: str
    value: str | None  # None: declared without a value (taken from the shell at run time)
    file: str
    span: Span
    source: str  # "environment" or "env_file"


@dataclass(frozen=True, slots=True)
class DependsOn:
    service: str
    condition: str  # service_started, service_healthy, service_completed_successfully
    required: bool
    restart: bool
    file: str
    span: Span


@dataclass(frozen=True, slots=True)
class BuildSpec:
    context: str  # an absolute path, or a remote context (git URL, http URL) as written
    dockerfile: str | None
    dockerfile_inline: str | None
    target: str | None
    args: dict[str, str | None]
    file: str
    span: Span
    node: Node


@dataclass(slots=True)
class Service:
    name: str
    node: Mapping
    file: str
    span: Span  # the service's key
    image: Node | None = None
    build: BuildSpec | None = None
    ports: tuple[PortBinding, ...] = ()
    volumes: tuple[VolumeMount, ...] = ()
    environment: dict[str, EnvVar] = field(default_factory=dict)
    depends_on: tuple[DependsOn, ...] = ()
    profiles: tuple[str, ...] = ()
    missing_env_files: tuple[str, ...] = ()  # env_file entries not found (as written): they may set anything

    def get(self, key: str) -> Node | None:
        """Any other field as written: secrets, configs, healthcheck, deploy, logging, ..."""
        return self.node.get(key)


class ServiceBuilder:
    def __init__(self, base_dir: BaseDir, env: EnvMapping[str, str], errors: list[ComposeError],
                 tree: str | None = None):
        self.base_dir = base_dir
        self.env = env
        self.errors = errors
        self.tree = tree  # env files outside it are refused (see twelvecheck.files)

    def build(self, key: Scalar, node: Node) -> Service | None:
        if not isinstance(node, Mapping):
            self._error(f"services.{key.text} must be a mapping", node)
            return None
        missing: list[str] = []
        return Service(
            name=key.text, node=node, file=key.file, span=key.span,
            image=node.get("image"),
            build=self._build_spec(node.get("build")),
            ports=self._parsed(node.get("ports"), parse_port, PortSyntaxError),
            volumes=self._parsed(node.get("volumes"), parse_volume, VolumeSyntaxError),
            environment=self._environment(node, missing),
            depends_on=self._depends_on(node.get("depends_on")),
            profiles=tuple(p.text for p in _items(node.get("profiles")) if isinstance(p, Scalar)),
            missing_env_files=tuple(missing),
        )

    def _parsed(self, node: Node | None, parse, error_type) -> tuple:
        parsed = []
        for item in _items(node):
            try:
                parsed.append(parse(item))
            except error_type as exc:
                self._error(str(exc), item)
        return tuple(parsed)

    def _environment(self, service: Mapping, missing: list[str]) -> dict[str, EnvVar]:
        variables: dict[str, EnvVar] = {}
        for entry in self._env_files(service.get("env_file"), missing):
            variables[entry.name] = entry
        environment = key_value_mapping(service.get("environment")) if "environment" in service else None
        if isinstance(environment, Mapping):
            for key, value in environment.entries:
                text = None if isinstance(value, Scalar) and value.value is None else _text(value)
                variables[key.text] = EnvVar(key.text, text, key.file, key.span, "environment")
        return variables

    def _env_files(self, node: Node | None, missing: list[str]) -> list[EnvVar]:
        entries: list[EnvVar] = []
        items = [node] if isinstance(node, (Scalar, Mapping)) else list(_items(node))
        for item in items:
            path_node = item.get("path") if isinstance(item, Mapping) else item
            required_node = item.get("required") if isinstance(item, Mapping) else None
            if not isinstance(path_node, Scalar):
                continue
            path = self.base_dir(path_node) / path_node.text
            refused = _outside(path, self.tree)
            if refused is not None:
                self.errors.append(ComposeError(f"env_file {path_node.text!r}: {refused}", path_node.file,
                                                path_node.span, True))
                continue
            if not os.path.isfile(path):
                if not (isinstance(required_node, Scalar) and required_node.value is False):
                    self._error(f"env file {path} not found", path_node)
                missing.append(path_node.text)
                continue
            dotenv = read_dotenv(path, self.env, self.tree)
            self.errors.extend(dotenv.errors)
            entries.extend(
                EnvVar(e.name, e.value, e.file, e.span, "env_file") for e in dotenv.entries
            )
        return entries

    def _depends_on(self, node: Node | None) -> tuple[DependsOn, ...]:
        dependencies = []
        mapping = names_mapping(node) if node is not None else None
        if not isinstance(mapping, Mapping):
            return ()
        for key, value in mapping.entries:
            options = value if isinstance(value, Mapping) else None
            dependencies.append(DependsOn(
                service=key.text,
                condition=_option(options, "condition", "service_started"),
                required=_option(options, "required", True),
                restart=_option(options, "restart", False),
                file=key.file, span=key.span,
            ))
        return tuple(dependencies)

    def _build_spec(self, node: Node | None) -> BuildSpec | None:
        mapping = context_mapping(node) if node is not None else None
        if not isinstance(mapping, Mapping):
            return None
        context_node = mapping.get("context")
        context = _text(context_node) if context_node is not None else "."
        if not _REMOTE_CONTEXT.match(context):
            base = self.base_dir(context_node or mapping)
            context = str((base / Path(context).expanduser()).resolve())
        args = key_value_mapping(mapping.get("args")) if "args" in mapping else None
        return BuildSpec(
            context=context,
            dockerfile=_optional_text(mapping.get("dockerfile")),
            dockerfile_inline=_optional_text(mapping.get("dockerfile_inline")),
            target=_optional_text(mapping.get("target")),
            args={k: _optional_text(v) for k, v in args.items()} if isinstance(args, Mapping) else {},
            file=mapping.file, span=(node or mapping).span, node=node,
        )

    def _error(self, message: str, node: Node) -> None:
        self.errors.append(ComposeError(message, node.file, node.span))


def _items(node: Node | None) -> tuple[Node, ...]:
    return node.items if isinstance(node, Sequence) else ()


def _text(node: Node) -> str:
    return node.text if isinstance(node, Scalar) else str(node.plain())


def _optional_text(node: Node | None) -> str | None:
    if node is None or (isinstance(node, Scalar) and node.value is None):
        return None
    return _text(node)


def _option(options: Mapping | None, name: str, default):
    value = options.get(name) if options is not None else None
    return value.value if isinstance(value, Scalar) and value.value is not None else default


def _outside(path, tree: str | None) -> str | None:
    """Why a referenced file must not be read: it lies outside the linted tree. A reference to
    nothing is left to the "not found" handling: an absolute ``env_file`` that exists only on the
    deploy host is normal (factor III), and is not read either way."""
    import os

    from twelvecheck.files import inside

    if tree is None or not os.path.lexists(path) or inside(str(path), tree):
        return None
    return "leads outside the linted tree; not read"
