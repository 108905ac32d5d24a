"""Image references as written in FROM: registry, repository, tag, digest."""

from __future__ import annotations

from dataclasses import dataclass
from twelvecheck.lazy_re import lazy_compile


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


_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_DOMAIN_PART = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"(?:{_DOMAIN_PART}(?:\.{_DOMAIN_PART})*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?"
_REFERENCE = lazy_compile(
    rf"^(?:{_DOMAIN}/)?{_COMPONENT}(?:/{_COMPONENT})*(?::[\w][\w.-]{{0,127}})?"
    r"(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$"
)


def is_valid_reference(reference: str) -> bool:
    """Does ``reference`` follow the distribution reference grammar (as docker's ParseNormalizedNamed)?"""
    if not reference or len(reference) > 255 + 128 + 80:
        return False
    return _REFERENCE.match(reference) is not None
