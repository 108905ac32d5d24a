"""Service ``volumes`` entries: short syntax (bind, named, anonymous) and long syntax."""

from __future__ import annotations

from dataclasses import dataclass

from twelvecheck.parse.compose.nodes import Mapping, Node, Scalar
from twelvecheck.parse.model import Span
from twelvecheck.lazy_re import lazy_compile

_WINDOWS_DRIVE = lazy_compile(r"^[A-Za-z]:[\\/]")


@dataclass(frozen=True, slots=True)
class VolumeMount:
    type: str  # bind, volume, tmpfs, npipe, cluster, image
    source: str | None  # None for an anonymous volume or tmpfs
    target: str
    read_only: bool
    file: str
    span: Span
    node: Node
    options: tuple[str, ...] = ()  # short syntax mode flags: rw, ro, z, Z, nocopy, ...


class VolumeSyntaxError(ValueError):
    pass


def parse_volume(node: Node) -> VolumeMount:
    if isinstance(node, Mapping):
        return _long_syntax(node)
    if isinstance(node, Scalar) and node.text:
        source, target, options = split_volume_text(node.text)
        kind = "volume" if source is None or not is_path(source) else "bind"
        return VolumeMount(kind, source, target, "ro" in options, node.file, node.span, node,
                           options)
    raise VolumeSyntaxError("a volume must be a string or a mapping")


def split_volume_text(text: str) -> tuple[str | None, str, tuple[str, ...]]:
    """``SOURCE:TARGET[:MODE]`` or ``TARGET``; a Windows drive letter is not a separator."""
    drive = ""
    if _WINDOWS_DRIVE.match(text):
        drive, text = text[:2], text[2:]
    parts = text.split(":")
    parts[0] = drive + parts[0]
    if len(parts) == 1:
        return None, parts[0], ()
    if len(parts) > 3 or not parts[1]:
        raise VolumeSyntaxError(f"invalid volume specification {drive + text!r}")
    options = tuple(parts[2].split(",")) if len(parts) == 3 else ()
    return parts[0], parts[1], options


def is_path(source: str) -> bool:
    """Compose treats a source that looks like a path as a bind mount, else a named volume."""
    return source.startswith((".", "/", "~", "\\")) or bool(_WINDOWS_DRIVE.match(source))


def _long_syntax(node: Mapping) -> VolumeMount:
    target = node.get("target")
    if not isinstance(target, Scalar):
        raise VolumeSyntaxError("a long-syntax volume needs 'target'")
    kind = node.get("type")
    source = node.get("source")
    read_only = node.get("read_only")
    return VolumeMount(
        type=kind.text if isinstance(kind, Scalar) else "volume",
        source=source.text if isinstance(source, Scalar) and source.text else None,
        target=target.text,
        read_only=read_only.value is True if isinstance(read_only, Scalar) else False,
        file=node.file, span=node.span, node=node,
    )
