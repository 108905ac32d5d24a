"""The compose files beside and above a directory, read cheaply (plain YAML, no interpolation):
what a Dockerfile or a ``.dockerignore`` needs to know about the builds that use it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

COMPOSE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
LEVELS = 4  # the directory and three above it: a repository's compose file sits near its services


def built_services(directory: Path, tree: str | None = None) -> Iterator[tuple[Path, dict, dict]]:
    """(compose file's folder, service, build mapping) for each service with a ``build``.

    Read like every input (regular files inside ``tree`` only, size and alias limits, no deep
    nesting): a compose file is as untrusted as the Dockerfile beside it. Without ``tree``,
    nothing above ``directory`` is read."""
    start = directory.resolve()
    folders = [start, *start.parents][:LEVELS]
    if tree is None:
        folders = folders[:1]
    else:
        folders = [folder for folder in folders if folder == Path(tree) or Path(tree) in folder.parents]
    for folder in folders:
        for name in COMPOSE_NAMES:
            if not (folder / name).is_file():
                continue
            # only when there is a compose file: linting one Dockerfile stays light
            from twelvecheck.parse.compose.yamltree import read_yaml_file

            parsed = read_yaml_file(folder / name, tree=tree or str(start))
            if parsed.errors or parsed.root is None:
                continue
            try:
                document = parsed.root.plain()
            except RecursionError:
                continue
            services = document.get("services") if isinstance(document, dict) else None
            for service in services.values() if isinstance(services, dict) else ():
                build = service.get("build") if isinstance(service, dict) else None
                if isinstance(build, str):
                    build = {"context": build}
                if isinstance(build, dict):
                    yield folder, service, build


def builds_context(directory: Path, tree: str | None = None) -> bool:
    """A compose service builds with ``directory`` as its context."""
    target = directory.resolve()
    return any(isinstance(build.get("context", "."), str) and "://" not in build.get("context", ".")
               and (folder / build.get("context", ".")).resolve() == target
               for folder, _, build in built_services(directory, tree))


def locally_built_images(directory: Path, tree: str | None = None) -> set[str]:
    """``image:`` names of services the compose files near ``directory`` build themselves."""
    names = {service["image"] for _, service, _ in built_services(directory, tree)
             if isinstance(service.get("image"), str)}
    return names | {name.removesuffix(":latest") for name in names}
