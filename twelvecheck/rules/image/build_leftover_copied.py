from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._verify import evidence, inside_dependency, layer_span, size
from twelvecheck.rules.image._base import ImageRule

# Files that exist for building or for the repository, never for running the app.
_LEFTOVER = re.compile(r"^(\.git|\.github|\.gitlab-ci\.yml|\.circleci|\.travis\.yml|Jenkinsfile|\.drone\.yml|"
                       r"azure-pipelines\.yml|bitbucket-pipelines\.yml|Dockerfile|Containerfile|"
                       r"[\w.-]+\.Dockerfile|Dockerfile\.[\w.-]+|docker-compose(\.[\w-]+)?\.ya?ml|"
                       r"compose(\.[\w-]+)?\.ya?ml|\.dockerignore)$")


def leftover_roots(image) -> dict[str, tuple[int, int, int]]:
    """Topmost leftover paths your layers put in the final image: path -> (layer, files, bytes)."""
    found: dict[str, list[int]] = {}
    for path in sorted(image.paths):
        event = image.final(path)
        if event is None or image.layer(event.layer).base:
            continue
        parts = path.split("/")
        root = next(("/".join(parts[:depth + 1]) for depth in range(1, len(parts))
                     if _LEFTOVER.match(parts[depth]) and not inside_dependency("/".join(parts[:depth + 1]))), None)
        if root is None:
            continue
        entry = found.setdefault(root, [event.layer, 0, 0])
        if event.type == "file":
            entry[1] += 1
            entry[2] += event.size
    return {root: tuple(entry) for root, entry in found.items()}


class BuildLeftoverCopied(ImageRule):
    """Repository and build files (`.git/`, Dockerfile, CI configuration) copied into the image.

    ## What it does
    Flags, in the final image, a `.git` directory, a Dockerfile or Containerfile, a compose
    file, `.dockerignore`, and CI configuration (`.github/`, `.gitlab-ci.yml`, `.circleci/`,
    `.travis.yml`, `Jenkinsfile`, …) that your layers put there, usually by `COPY . .` without a
    `.dockerignore` that leaves them out. Copies inside dependencies (`node_modules`,
    `site-packages`, `vendor`) are not flagged.

    ## Why is this bad?
    They add bytes and nothing the app runs; `.git` holds the whole history (deleted secrets
    included) and tells an attacker exactly which commit runs. Twelve-factor V: the release is
    the build plus config, not the repository.

    ## Example
    ```files
    -- Dockerfile --
    FROM scratch
    COPY . /app/
    -- app.py --
    print("hi")
    ```

    Use instead:
    ```files
    -- Dockerfile --
    FROM scratch
    COPY . /app/
    -- .dockerignore --
    Dockerfile
    .dockerignore
    -- app.py --
    print("hi")
    ```

    ## References
    - dockle `DKL-DI-0006`-style leftovers; [.dockerignore](https://docs.docker.com/build/concepts/context/#dockerignore-files)
    """

    code = "IM003"
    name = "build-leftover-copied"
    severity = "info"
    factors = ("V",)

    def check(self, image) -> Iterator[Finding]:
        for root, (layer, files, total) in sorted(leftover_roots(image).items()):
            name = posixpath.basename(root)
            proof = evidence(image, f"{root} ({files} file(s), {size(total)}) is in the final image, from layer {layer}",
                             layer, path=root, bytes=total)
            yield Finding(layer_span(image, layer), f"{root} is copied into the image ({size(total)})",
                          hint=f"add {name} to .dockerignore (or copy only what the app needs)", evidence=(proof,))
