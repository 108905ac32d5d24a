"""The compose files beside and above a directory, read cheaply (plain YAML, no interpolation):
what a Dockerfile or a ``.dockerignore`` needs to know about the builds that use it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

COMPOSE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
LEVELS = 4  # the directory and three above it: a repository's compose file sits near its services


def built_services(directory: Path) -> Iterator[tuple[Path, dict, dict]]:
    """(compose file's folder, service, build mapping) for each service with a ``build``."""
    start = directory.resolve()
    for folder in [start, *start.parents][:LEVELS]:
        for name in COMPOSE_NAMES:
            if not (folder / name).is_file():
                continue
            import yaml  # only when there is a compose file: linting one Dockerfile stays light

            try:
                document = yaml.safe_load((folder / name).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError):
                continue
            services = document.get("services") if isinstance(document, dict) else None
            for service in services.values() if isinstance(services, dict) else ():
                build = service.get("build") if isinstance(service, dict) else None
                if isinstance(build, str):
                    build = {"context": build}
                if isinstance(build, dict):
                    yield folder, service, build


def builds_context(directory: Path) -> bool:
    """A compose service builds with ``directory`` as its context."""
    target = directory.resolve()
    return any(isinstance(build.get("context", "."), str) and "://" not in build.get("context", ".")
               and (folder / build.get("context", ".")).resolve() == target
               for folder, _, build in built_services(directory))


def locally_built_images(directory: Path) -> set[str]:
    """``image:`` names of services the compose files near ``directory`` build themselves."""
    names = {service["image"] for _, service, _ in built_services(directory) if isinstance(service.get("image"), str)}
    return names | {name.removesuffix(":latest") for name in names}
