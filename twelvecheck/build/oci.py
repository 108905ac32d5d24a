"""The OCI image model: immutable values, each serialised once to canonical JSON bytes.

A value's ``data`` is those bytes and its ``digest`` is taken from them, so what is written to a
layout, what a manifest points at and what a registry receives are the same bytes.  Canonical
means sorted keys and no insignificant whitespace (image spec ``considerations.md``); empty
optional fields are left out rather than written as ``null``.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Callable, Mapping

from twelvecheck.build import mediatypes
from twelvecheck.build.digest import Digest


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


class DocumentError(ValueError):
    """A manifest, index or config that is not JSON or lacks a field (or has one of the wrong type)."""


def _parsed(kind: str) -> Callable:
    """Turn a ``from_bytes`` into one that raises only DocumentError, whatever the bytes hold."""
    def decorate(function: Callable) -> Callable:
        @functools.wraps(function)
        def parse(cls, data: bytes):
            try:
                document = json.loads(data)
            except (ValueError, RecursionError) as error:
                raise DocumentError(f"{kind} is not valid JSON ({str(error)[:100]})") from None
            if not isinstance(document, dict):
                raise DocumentError(f"{kind} is not a JSON object")
            try:
                return function(cls, document)
            except DocumentError:
                raise
            except KeyError as error:
                raise DocumentError(f"{kind} lacks field {error}") from None
            except (TypeError, AttributeError, ValueError) as error:
                raise DocumentError(f"{kind} has a malformed field ({str(error)[:100]})") from None
        return parse
    return decorate


def _size(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"size {value!r} is not a byte count")
    return value


def _without_empty(mapping: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in mapping.items() if value not in (None, {}, ())}


@dataclass(frozen=True)
class Platform:
    os: str = "linux"
    architecture: str = "amd64"
    variant: str | None = None

    def to_json(self) -> dict[str, Any]:
        return _without_empty({"os": self.os, "architecture": self.architecture, "variant": self.variant})

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Platform:
        return cls(data.get("os", "linux"), data.get("architecture", "amd64"), data.get("variant"))


@dataclass(frozen=True)
class Descriptor:
    """``descriptor.md``: what a blob is, where to find it, how big it is."""

    media_type: str
    digest: Digest
    size: int
    annotations: tuple[tuple[str, str], ...] = ()
    platform: Platform | None = None

    def to_json(self) -> dict[str, Any]:
        return _without_empty({
            "mediaType": self.media_type,
            "digest": str(self.digest),
            "size": self.size,
            "annotations": dict(self.annotations),
            "platform": self.platform.to_json() if self.platform else None,
        })

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Descriptor:
        return cls(
            media_type=data["mediaType"],
            digest=Digest.parse(data["digest"]),
            size=_size(data["size"]),
            annotations=tuple(sorted((data.get("annotations") or {}).items())),
            platform=Platform.from_json(data["platform"]) if data.get("platform") else None,
        )

    def annotation(self, name: str) -> str | None:
        return dict(self.annotations).get(name)


@dataclass(frozen=True)
class Healthcheck:
    """Docker's extension of the config: HEALTHCHECK; durations in nanoseconds."""

    test: tuple[str, ...]
    interval: int = 0
    timeout: int = 0
    start_period: int = 0
    start_interval: int = 0
    retries: int = 0

    def to_json(self) -> dict[str, Any]:
        return _without_empty({
            "Test": list(self.test), "Interval": self.interval or None, "Timeout": self.timeout or None,
            "StartPeriod": self.start_period or None, "StartInterval": self.start_interval or None,
            "Retries": self.retries or None,
        })

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Healthcheck:
        return cls(tuple(data.get("Test") or ()), data.get("Interval", 0), data.get("Timeout", 0),
                   data.get("StartPeriod", 0), data.get("StartInterval", 0), data.get("Retries", 0))


@dataclass(frozen=True)
class RuntimeConfig:
    """``config.md`` ``config``: how a container of the image runs (plus Docker's extensions)."""

    user: str = ""
    env: tuple[str, ...] = ()
    entrypoint: tuple[str, ...] | None = None
    cmd: tuple[str, ...] | None = None
    working_dir: str = ""
    exposed_ports: tuple[str, ...] = ()
    volumes: tuple[str, ...] = ()
    labels: tuple[tuple[str, str], ...] = ()
    stop_signal: str = ""
    healthcheck: Healthcheck | None = None
    shell: tuple[str, ...] | None = None
    on_build: tuple[str, ...] = ()
    args_escaped: bool = False

    def env_map(self) -> dict[str, str]:
        return dict(entry.partition("=")[::2] for entry in self.env)

    def with_env(self, name: str, value: str) -> RuntimeConfig:
        """Replace ``name`` where it is (Docker keeps an ENV's first position) or append it."""
        entry = f"{name}={value}"
        names = [item.partition("=")[0] for item in self.env]
        if name in names:
            env = list(self.env)
            env[names.index(name)] = entry
            return replace(self, env=tuple(env))
        return replace(self, env=self.env + (entry,))

    def to_json(self) -> dict[str, Any]:
        return _without_empty({
            "User": self.user or None,
            "Env": list(self.env) or None,
            "Entrypoint": None if self.entrypoint is None else list(self.entrypoint),
            "Cmd": None if self.cmd is None else list(self.cmd),
            "WorkingDir": self.working_dir or None,
            "ExposedPorts": {port: {} for port in self.exposed_ports} or None,
            "Volumes": {volume: {} for volume in self.volumes} or None,
            "Labels": dict(self.labels) or None,
            "StopSignal": self.stop_signal or None,
            "Healthcheck": self.healthcheck.to_json() if self.healthcheck else None,
            "Shell": None if self.shell is None else list(self.shell),
            "OnBuild": list(self.on_build) or None,
            "ArgsEscaped": self.args_escaped or None,
        })

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RuntimeConfig:
        def optional_tuple(key: str) -> tuple[str, ...] | None:
            return None if data.get(key) is None else tuple(data[key])

        return cls(
            user=data.get("User") or "",
            env=tuple(data.get("Env") or ()),
            entrypoint=optional_tuple("Entrypoint"),
            cmd=optional_tuple("Cmd"),
            working_dir=data.get("WorkingDir") or "",
            exposed_ports=tuple(sorted(data.get("ExposedPorts") or {})),
            volumes=tuple(sorted(data.get("Volumes") or {})),
            labels=tuple(sorted((data.get("Labels") or {}).items())),
            stop_signal=data.get("StopSignal") or "",
            healthcheck=Healthcheck.from_json(data["Healthcheck"]) if data.get("Healthcheck") else None,
            shell=optional_tuple("Shell"),
            on_build=tuple(data.get("OnBuild") or ()),
            args_escaped=bool(data.get("ArgsEscaped")),
        )


@dataclass(frozen=True)
class History:
    created: str
    created_by: str
    comment: str = ""
    empty_layer: bool = False

    def to_json(self) -> dict[str, Any]:
        return _without_empty({"created": self.created, "created_by": self.created_by,
                               "comment": self.comment or None, "empty_layer": self.empty_layer or None})

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> History:
        return cls(data.get("created", ""), data.get("created_by", ""), data.get("comment", ""),
                   bool(data.get("empty_layer")))


@dataclass(frozen=True)
class Blob:
    """Shared by every JSON document: canonical bytes computed once, digest and descriptor from them."""

    media_type = ""

    def to_json(self) -> dict[str, Any]:
        raise NotImplementedError

    @cached_property
    def data(self) -> bytes:
        return canonical_json(self.to_json())

    @cached_property
    def digest(self) -> Digest:
        return Digest.of(self.data)

    def descriptor(self, **extra: Any) -> Descriptor:
        return Descriptor(self.media_type, self.digest, len(self.data), **extra)


@dataclass(frozen=True)
class ImageConfig(Blob):
    """``config.md``: the image's runtime config, its layers' diff_ids and its history."""

    media_type = mediatypes.OCI_CONFIG
    platform: Platform = field(default_factory=Platform)
    created: str = ""
    author: str = ""
    config: RuntimeConfig = field(default_factory=RuntimeConfig)
    diff_ids: tuple[Digest, ...] = ()
    history: tuple[History, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return _without_empty({
            **self.platform.to_json(),
            "created": self.created or None,
            "author": self.author or None,
            "config": self.config.to_json(),
            "rootfs": {"type": "layers", "diff_ids": [str(diff_id) for diff_id in self.diff_ids]},
            "history": [entry.to_json() for entry in self.history] or None,
        })

    @classmethod
    @_parsed("image config")
    def from_bytes(cls, document: dict) -> ImageConfig:
        rootfs = document.get("rootfs") or {}
        return cls(
            platform=Platform.from_json(document),
            created=document.get("created", ""),
            author=document.get("author", ""),
            config=RuntimeConfig.from_json(document.get("config") or {}),
            diff_ids=tuple(Digest.parse(item) for item in rootfs.get("diff_ids") or ()),
            history=tuple(History.from_json(item) for item in document.get("history") or ()),
        )


@dataclass(frozen=True)
class Manifest(Blob):
    """``manifest.md``: one image = one config + ordered layers."""

    media_type = mediatypes.OCI_MANIFEST
    config: Descriptor
    layers: tuple[Descriptor, ...] = ()
    annotations: tuple[tuple[str, str], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return _without_empty({
            "schemaVersion": 2,
            "mediaType": self.media_type,
            "config": self.config.to_json(),
            "layers": [layer.to_json() for layer in self.layers],
            "annotations": dict(self.annotations),
        })

    @classmethod
    @_parsed("manifest")
    def from_bytes(cls, document: dict) -> Manifest:
        return cls(
            config=Descriptor.from_json(document["config"]),
            layers=tuple(Descriptor.from_json(item) for item in document.get("layers") or ()),
            annotations=tuple(sorted((document.get("annotations") or {}).items())),
        )


@dataclass(frozen=True)
class Index(Blob):
    """``image-index.md``: also the ``index.json`` of an image layout."""

    media_type = mediatypes.OCI_INDEX
    manifests: tuple[Descriptor, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "schemaVersion": 2,
            "mediaType": self.media_type,
            "manifests": [manifest.to_json() for manifest in self.manifests],
        }

    @classmethod
    @_parsed("index")
    def from_bytes(cls, document: dict) -> Index:
        return cls(manifests=tuple(Descriptor.from_json(item) for item in document.get("manifests") or ()))

    def for_platform(self, platform: Platform) -> Descriptor | None:
        """The entry for ``platform``: same os and architecture, the same variant preferred
        (``linux/arm64`` matches an entry for ``linux/arm64/v8``)."""
        matching = [entry for entry in self.manifests if entry.platform
                    and (entry.platform.os, entry.platform.architecture) == (platform.os, platform.architecture)]
        exact = [entry for entry in matching if entry.platform.variant == platform.variant]
        return (exact or matching or [None])[0]
