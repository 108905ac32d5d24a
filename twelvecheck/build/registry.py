"""Pulling a base image from a registry over the OCI distribution API (``distribution-spec``).

Only the read side is needed: resolve a tag to a manifest (or to an index / Docker manifest list,
then to the entry for the build platform), read the config, stream the layers into the blob store.
Every document and blob is checked against its digest as it arrives, so a registry, a proxy or a
CDN that sends other bytes is refused before anything is named after them.  Authentication is
anonymous or a bearer token obtained from the realm a ``WWW-Authenticate`` challenge names (how
Docker Hub, GHCR and ``registry:2`` with ``auth: token`` work).  Plain HTTP only for registries
the caller lists as insecure.  Standard library only (``http.client``), so the builder keeps no
network dependency.
"""

from __future__ import annotations

import http.client
import json
import re
import urllib.parse
from dataclasses import dataclass
from typing import Collection

from twelvecheck.build import mediatypes
from twelvecheck.build.cache import BlobStore
from twelvecheck.build.digest import Digest, DigestMismatch
from twelvecheck.build.oci import Descriptor, ImageConfig, Index, Manifest, Platform

DOCKER_HUB = "docker.io"
DOCKER_HUB_API = "registry-1.docker.io"  # where docker.io names are served
MAX_DOCUMENT_BYTES = 4 << 20  # distribution-spec: registries may refuse manifests above 4 MiB
_MAX_REDIRECTS = 5
_TIMEOUT_SECONDS = 60
_USER_AGENT = "twelvecheck-builder"
_CHALLENGE_PARAMETER = re.compile(r'(\w+)="([^"]*)"')
_ACCEPT_MANIFESTS = ", ".join(sorted(mediatypes.INDEX_TYPES | mediatypes.MANIFEST_TYPES))


class RegistryError(RuntimeError):
    """The registry could not be reached, refused us, or sent something we cannot use."""


@dataclass(frozen=True)
class ImageReference:
    """``[REGISTRY/]REPOSITORY[:TAG][@DIGEST]`` as written after FROM, normalised as docker does."""

    registry: str
    repository: str
    tag: str | None = None
    digest: Digest | None = None

    @classmethod
    def parse(cls, text: str) -> ImageReference:
        name, _, digest = text.partition("@")
        path, colon, tag = name.rpartition(":")
        if not colon or "/" in tag:
            path, tag = name, None
        first, slash, rest = path.partition("/")
        if slash and _names_a_registry(first):
            registry, repository = first, rest
        else:
            registry, repository = DOCKER_HUB, path if "/" in path else f"library/{path}"
        if not repository or repository != repository.lower():
            raise RegistryError(f"invalid image reference {text!r}")
        return cls(registry, repository, tag or (None if digest else "latest"),
                   Digest.parse(digest) if digest else None)

    @property
    def manifest_reference(self) -> str:
        return str(self.digest) if self.digest else self.tag

    def __str__(self) -> str:
        return f"{self.registry}/{self.repository}" + (f":{self.tag}" if self.tag else "") + (
            f"@{self.digest}" if self.digest else "")


def names_a_registry(reference: str) -> bool:
    """Whether ``reference`` starts with a registry host (``127.0.0.1:5000/x``, ``ghcr.io/x``),
    which is when FROM may pull it without being told where the image is."""
    first, slash, _ = reference.partition("/")
    return bool(slash) and _names_a_registry(first)


def _names_a_registry(component: str) -> bool:
    return "." in component or ":" in component or component == "localhost"


@dataclass(frozen=True)
class PulledImage:
    manifest_digest: Digest  # of the platform's manifest: what identifies the base in cache keys
    manifest: Manifest  # layer media types already renamed to their OCI equivalents
    config: ImageConfig


def pull(reference: ImageReference, store: BlobStore, platform: Platform,
         insecure_registries: Collection[str] = ()) -> PulledImage:
    """Resolve ``reference`` for ``platform`` and bring its layers into ``store``."""
    client = RegistryClient(reference.registry, insecure=reference.registry in insecure_registries)
    media_type, data, digest = client.manifest(reference.repository, reference.manifest_reference, reference.digest)
    if media_type in mediatypes.INDEX_TYPES:
        entry = Index.from_bytes(data).for_platform(platform)
        if entry is None:
            raise RegistryError(f"{reference} has no image for {platform.os}/{platform.architecture}")
        media_type, data, digest = client.manifest(reference.repository, str(entry.digest), entry.digest)
    if media_type not in mediatypes.MANIFEST_TYPES:
        raise RegistryError(f"{reference}: unsupported manifest type {media_type!r} (schema 1 is not supported)")
    manifest = Manifest.from_bytes(data)
    config = ImageConfig.from_bytes(client.document(reference.repository, manifest.config))
    if len(config.diff_ids) != len(manifest.layers):
        raise RegistryError(f"{reference}: manifest has {len(manifest.layers)} layers, config {len(config.diff_ids)}")
    layers = tuple(_as_oci_layer(layer, reference) for layer in manifest.layers)
    for number, (layer, diff_id) in enumerate(zip(layers, config.diff_ids), 1):
        where = f"{reference}: layer {number}/{len(layers)} {layer.digest}"
        client.fetch_blob(reference.repository, layer, store, diff_id, where)
    return PulledImage(digest, Manifest(manifest.config, layers, manifest.annotations), config)


def _as_oci_layer(layer: Descriptor, reference: ImageReference) -> Descriptor:
    media_type = mediatypes.OCI_LAYER_TYPE_OF.get(layer.media_type)
    if media_type is None:
        raise RegistryError(f"{reference}: layer {layer.digest} has unsupported type {layer.media_type!r}")
    return Descriptor(media_type, layer.digest, layer.size)


class RegistryClient:
    """GETs against one registry's ``/v2/`` API, answering bearer-token challenges on the way."""

    def __init__(self, registry: str, *, insecure: bool = False):
        self.host = DOCKER_HUB_API if registry == DOCKER_HUB else registry
        self.scheme = "http" if insecure else "https"
        self._token: str | None = None

    def manifest(self, repository: str, reference: str, expected: Digest | None) -> tuple[str, bytes, Digest]:
        """The manifest or index named by a tag or digest: its media type, exact bytes, digest."""
        response = self._get(f"{repository}/manifests/{reference}", _ACCEPT_MANIFESTS)
        data = _read_bounded(response, MAX_DOCUMENT_BYTES, reference)
        digest = Digest.of(data)
        announced = response.getheader("Docker-Content-Digest")
        for claimed in filter(None, (expected, announced and Digest.parse(announced))):
            if claimed != digest:
                raise DigestMismatch(f"{self.host}/{repository}:{reference}: manifest is {digest}, expected {claimed}")
        try:
            document = json.loads(data)
        except (ValueError, RecursionError):
            raise RegistryError(f"{self.host}/{repository}:{reference}: the manifest is not JSON") from None
        declared = document.get("mediaType") if isinstance(document, dict) else None
        media_type = declared if isinstance(declared, str) and declared else \
            response.getheader("Content-Type", "").split(";")[0]
        return media_type, data, digest

    def document(self, repository: str, descriptor: Descriptor) -> bytes:
        """A small blob (a config) read into memory and checked against its descriptor; one
        declared larger than MAX_DOCUMENT_BYTES is refused before it is requested."""
        if descriptor.size > MAX_DOCUMENT_BYTES:
            raise RegistryError(f"{self.host}/{repository}: blob {descriptor.digest} declares {descriptor.size} "
                                f"bytes; a config is at most {MAX_DOCUMENT_BYTES}")
        response = self._get(f"{repository}/blobs/{descriptor.digest}")
        data = _read_bounded(response, descriptor.size, str(descriptor.digest))
        if len(data) != descriptor.size or Digest.of(data) != descriptor.digest:
            raise DigestMismatch(f"{self.host}/{repository}: blob {descriptor.digest} has other content")
        return data

    def fetch_blob(self, repository: str, descriptor: Descriptor, store: BlobStore,
                   diff_id: Digest | None = None, where: str | None = None) -> None:
        """Stream a layer into the store, verified while it arrives (digest, size, diff_id,
        layer limits); one already there is only checked against ``diff_id``."""
        where = where or f"{self.host}/{repository}: blob {descriptor.digest}"
        if store.has(descriptor.digest):
            store.check_diff_id(descriptor.digest, diff_id, where)
            return
        with self._get(f"{repository}/blobs/{descriptor.digest}") as response:
            store.receive(response, descriptor.digest, where, descriptor.size, diff_id=diff_id)

    def _get(self, path: str, accept: str = "*/*") -> http.client.HTTPResponse:
        url = f"{self.scheme}://{self.host}/v2/{path}"
        response = self._open(url, accept)
        if response.status == 401:
            challenge = response.getheader("WWW-Authenticate", "")
            response.read()
            self._token = self._token_for(challenge, url)
            response = self._open(url, accept)
        if response.status != 200:
            response.read()
            raise RegistryError(f"GET {url}: HTTP {response.status} {response.reason}")
        return response

    def _open(self, url: str, accept: str) -> http.client.HTTPResponse:
        """GET following redirects (blobs often live on a CDN); the token only goes to the registry."""
        for _ in range(_MAX_REDIRECTS):
            parts = urllib.parse.urlsplit(url)
            headers = {"Accept": accept, "User-Agent": _USER_AGENT}
            if self._token and parts.netloc == self.host:
                headers["Authorization"] = f"Bearer {self._token}"
            response = _request(parts, headers)
            if response.status not in (301, 302, 303, 307, 308):
                return response
            response.read()
            url = urllib.parse.urljoin(url, response.getheader("Location", ""))
        raise RegistryError(f"GET {url}: more than {_MAX_REDIRECTS} redirects")

    def _token_for(self, challenge: str, url: str) -> str:
        """Answer ``Bearer realm=…,service=…,scope=…`` with an anonymous token from the realm."""
        scheme, _, parameters = challenge.partition(" ")
        if scheme.lower() != "bearer":
            raise RegistryError(f"GET {url}: the registry asks for {scheme or 'unknown'} authentication; "
                                "only anonymous bearer tokens are supported")
        fields = dict(_CHALLENGE_PARAMETER.findall(parameters))
        realm = fields.pop("realm", "")
        if not realm.startswith(("https://", "http://")):
            raise RegistryError(f"GET {url}: bad token realm in challenge {challenge!r}")
        token_url = urllib.parse.urlsplit(f"{realm}?{urllib.parse.urlencode(fields)}")
        response = _request(token_url, {"Accept": "application/json", "User-Agent": _USER_AGENT})
        body = _read_bounded(response, MAX_DOCUMENT_BYTES, realm)
        if response.status != 200:
            raise RegistryError(f"token endpoint {realm}: HTTP {response.status} {response.reason}")
        try:
            answer = json.loads(body)
        except (ValueError, RecursionError):
            answer = None
        token = (answer.get("token") or answer.get("access_token")) if isinstance(answer, dict) else None
        if not token:
            raise RegistryError(f"token endpoint {realm} answered without a token")
        return token


def _request(parts: urllib.parse.SplitResult, headers: dict[str, str]) -> http.client.HTTPResponse:
    connection_type = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_type(parts.netloc, timeout=_TIMEOUT_SECONDS)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("GET", target, headers=headers)
        return connection.getresponse()
    except OSError as error:
        hint = " (a plain HTTP registry? pass --insecure-registry HOST:PORT)" if parts.scheme == "https" else ""
        raise RegistryError(f"cannot reach {parts.scheme}://{parts.netloc}: {error}{hint}") from error


def _read_bounded(response: http.client.HTTPResponse, limit: int, what: str) -> bytes:
    data = response.read(limit + 1)
    if len(data) > limit:
        raise RegistryError(f"{what}: larger than {limit} bytes")
    return data
