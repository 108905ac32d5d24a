"""Image references as written in FROM: registry, repository, tag, digest."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ImageRef:
    registry: str | None
    repository: str
    tag: str | None
    digest: str | None

    @property
    def has_variables(self) -> bool:
        return "$" in self.repository or "$" in (self.tag or "")


def parse_image(reference: str) -> ImageRef:
    """Split ``[registry/]repository[:tag][@digest]`` the way the Docker reference grammar does."""
    name, _, digest = reference.partition("@")
    slash = name.rfind("/")
    colon = name.rfind(":")
    tag = None
    if colon > slash:
        name, tag = name[:colon], name[colon + 1 :]
    registry = None
    first, sep, rest = name.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost"):
        registry, name = first, rest
    return ImageRef(registry, name, tag, digest or None)
