"""Resolve ``extends`` in a file's services (same file or ``file:``), with the override rules.

A base service may itself extend another; cycles and missing targets are errors at the
``extends`` key.  Values inherited from another file keep that file in their positions, which
is also what makes their relative paths resolve against the right directory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from twelvecheck.parse.compose.merge import merge
from twelvecheck.parse.compose.nodes import ComposeError, Mapping, Node, Scalar

#: Loads (parses and interpolates) another compose file; None when it cannot be read.
FileLoader = Callable[[Path], Mapping | None]


class ExtendsResolver:
    def __init__(self, load_file: FileLoader, errors: list[ComposeError],
                 refuse: Callable[[Path], str | None] = lambda path: None) -> None:
        self.load_file = load_file
        self.errors = errors
        self.refuse = refuse  # why a file must not be read (outside the linted tree), or None
        self.resolved: dict[tuple[str, str], Node] = {}

    def resolve(self, root: Mapping, path: Path) -> Mapping:
        """``root`` with every service's ``extends`` applied."""
        services = root.get("services")
        if not isinstance(services, Mapping) or not any(
            isinstance(s, Mapping) and "extends" in s for _, s in services.items()
        ):
            return root
        entries = tuple(
            (key, self._service(root, path, key.text, ())) for key, _ in services.entries
        )
        new_services = Mapping(file=services.file, span=services.span, entries=entries)
        return Mapping(file=root.file, span=root.span, entries=tuple(
            (key, new_services if key.text == "services" else value) for key, value in root.entries
        ))

    def _service(self, root: Mapping, path: Path, name: str, stack: tuple) -> Node:
        service = root.at("services", name)
        identity = (str(path), name)
        if identity in self.resolved:
            return self.resolved[identity]
        if not isinstance(service, Mapping) or "extends" not in service:
            return service
        extends = service.get("extends")
        if identity in stack:
            self._error(f"services.{name}.extends: circular reference", extends)
            return _without_extends(service)
        base = self._base(root, path, extends, name, stack + (identity,))
        result = _without_extends(service)
        if base is not None:
            result = merge(_without_extends(base), result, ("services", name)) or result
        self.resolved[identity] = result
        return result

    def _base(
        self, root: Mapping, path: Path, extends: Node, name: str, stack: tuple
    ) -> Mapping | None:
        base_name, base_path = _target(extends, path)
        if base_name is None:
            self._error(f"services.{name}.extends: needs a service name", extends)
            return None
        refused = None if base_path == path else self.refuse(base_path)
        if refused is not None:
            self.errors.append(ComposeError(f"services.{name}.extends: file {base_path.name!r} {refused}",
                                            extends.file, extends.span, True))
            return None
        base_root = root if base_path == path else self.load_file(base_path)
        if base_root is None:
            self._error(f"services.{name}.extends: cannot load {base_path}", extends)
            return None
        base = self._service(base_root, base_path, base_name, stack)
        if not isinstance(base, Mapping):
            self._error(f"services.{name}.extends: no service '{base_name}' in {base_path}", extends)
            return None
        return base

    def _error(self, message: str, node: Node) -> None:
        self.errors.append(ComposeError(message, node.file, node.span))


def _target(extends: Node, path: Path) -> tuple[str | None, Path]:
    if isinstance(extends, Scalar):
        return extends.text or None, path
    if isinstance(extends, Mapping):
        service, file = extends.get("service"), extends.get("file")
        name = service.text if isinstance(service, Scalar) else None
        if isinstance(file, Scalar) and file.text:
            return name, (Path(extends.file).parent / file.text).resolve()
        return name, path
    return None, path


def _without_extends(service: Mapping) -> Mapping:
    return Mapping(file=service.file, span=service.span, tag=service.tag,
                   entries=tuple((k, v) for k, v in service.entries if k.text != "extends"))
