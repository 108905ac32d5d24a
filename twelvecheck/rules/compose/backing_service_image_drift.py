from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from twelvecheck.findings import Finding
from twelvecheck.parse.compose import Mapping, Scalar, read_yaml_file
from twelvecheck.rules.base import Rule
from twelvecheck.rules.compose._private import mapping_entries
from twelvecheck.rules.dockerfile._image import parse_image


def _images(root) -> dict[str, Scalar]:
    services = root.get("services") if isinstance(root, Mapping) else None
    return {key.text: node.get("image") for key, node in mapping_entries(services)
            if isinstance(node, Mapping) and isinstance(node.get("image"), Scalar) and "$" not in node.get("image").raw}


def _file_images(path: Path) -> dict[str, Scalar]:
    stat = path.stat()
    return _images_of_version(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=1024)
def _images_of_version(path: Path, _mtime_ns: int, _size: int) -> dict[str, Scalar]:
    """A base file is parsed once per process, however many variants compare with it; the
    modification time and size in the key keep an edited file from being served stale."""
    return _images(read_yaml_file(path).root)


def _major(tag: str | None) -> str | None:
    match = re.match(r"v?(\d+)", tag or "")
    return match.group(1) if match else None


class BackingServiceImageDrift(Rule):
    """The same backing service runs a different image or major version in another compose file.

    ## What it does
    Compares each service's `image` across the project's files (base and override), and
    between a variant file (`docker-compose.prod.yml`, `docker-compose-dev.yml`) and the base
    file beside it whose name it extends (`docker-compose.yml`), and flags a different image or
    a different major version of the same image. Compose files that merely share a directory
    (`compose.mariadb.yaml` and `compose.postgres.yaml`, alternatives with no base beside them)
    are not compared.

    ## Why is this bad?
    Factor X (dev/prod parity): "use the same type and version of backing service everywhere".
    Developing against PostgreSQL 13 and running 16 in production (or SQLite vs PostgreSQL)
    hides incompatibilities until deploy.

    ## Example
    ```files
    -- compose.yaml --
    services:
      db: {image: postgres:16.4}
    -- compose.override.yaml --
    services:
      db: {image: postgres:13}
    ```

    Use instead:
    ```files
    -- compose.yaml --
    services:
      db: {image: postgres:16.4}
    -- compose.override.yaml --
    services:
      db: {ports: ["127.0.0.1:5432:5432"]}
    ```
    """

    code = "DC027"
    name = "backing-service-image-drift"
    severity = "warning"
    factors = ("X",)
    kind = "compose"

    def check(self, ctx) -> Iterator[Finding]:
        images = [_images(f.raw_root) for f in ctx.project.files if f.raw_root is not None]
        if ctx.base_variant_of is not None:
            # A variant (docker-compose.prod.yml) answers for its own drift from its base.
            reference, compared = _file_images(ctx.base_variant_of), images[:1]
        else:
            reference, compared = (images[0] if images else {}), images[1:]
        for other in compared:
            for name, node in other.items():
                if name in reference and ctx.services.get(name) is not None and ctx.services[name].build is None:
                    difference = _difference(reference[name].text, node.text)
                    if difference:
                        yield ctx.finding(node, f"service '{name}' runs {difference} in {Path(node.file).name} than in {Path(reference[name].file).name}",
                                          hint="use the same image and major version in every environment")


def _difference(first: str, second: str) -> str | None:
    a, b = parse_image(first), parse_image(second)
    if a.repository.rsplit("/", 1)[-1] != b.repository.rsplit("/", 1)[-1]:
        return f"another image ({b.repository} vs {a.repository})"
    if _major(a.tag) and _major(b.tag) and _major(a.tag) != _major(b.tag):
        return f"another major version ({b.tag} vs {a.tag})"
    return None
