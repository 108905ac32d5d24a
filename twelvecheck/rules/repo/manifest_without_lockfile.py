from __future__ import annotations

import posixpath
from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule

# manifest -> the lockfiles any one of which pins its dependency tree
LOCKFILES = {
    "package.json": ("package-lock.json", "yarn.lock", "pnpm-lock.yaml", "npm-shrinkwrap.json", "bun.lockb", "bun.lock"),
    "Pipfile": ("Pipfile.lock",),
    "Gemfile": ("Gemfile.lock",),
    "composer.json": ("composer.lock",),
    "go.mod": ("go.sum",),
    "Cargo.toml": ("Cargo.lock",),
    "mix.exs": ("mix.lock",),
}


class ManifestWithoutLockfile(Rule):
    """A dependency manifest (`package.json`, `Gemfile`, `Pipfile`…) without its lockfile.

    ## What it does
    In directories that also hold a Dockerfile (code that becomes an image), reports manifests
    whose lockfile is missing: `package.json` without `package-lock.json`/`yarn.lock`/
    `pnpm-lock.yaml`, `Gemfile` without `Gemfile.lock`, `Pipfile`, `composer.json`, `go.mod`
    (with requirements), `Cargo.toml`, `mix.exs`.

    ## Why is this bad?
    Factor II (dependencies): declare dependencies completely and exactly. Without a lockfile
    each image build resolves ranges anew, so two builds of one commit differ.

    ## Example
    ```files
    -- app/Dockerfile --
    FROM node:22.11-slim
    -- app/package.json --
    {"dependencies": {"express": "^4.21.0"}}
    ```

    Use instead:
    ```files
    -- app/Dockerfile --
    FROM node:22.11-slim
    -- app/package.json --
    {"dependencies": {"express": "^4.21.0"}}
    -- app/package-lock.json --
    {"lockfileVersion": 3}
    ```
    """

    code = "RP001"
    name = "manifest-without-lockfile"
    severity = "warning"
    factors = ("II",)
    kind = "repository"

    def check(self, ctx) -> Iterator[Finding]:
        files = ctx.all_files
        image_dirs = {posixpath.dirname(f) for f in files if posixpath.basename(f).startswith(("Dockerfile", "Containerfile"))}
        for path in sorted(files):
            directory, name = posixpath.split(path)
            lockfiles = LOCKFILES.get(name)
            if lockfiles is None or directory not in image_dirs:
                continue
            if any(posixpath.join(directory, lock) in files for lock in lockfiles):
                continue
            if name == "go.mod" and "require" not in _read(ctx, path):
                continue
            yield ctx.finding(path, f"{path} has no lockfile ({' or '.join(lockfiles[:2])})",
                              hint="commit the lockfile and install from it (npm ci, bundle install --frozen...)")


def _read(ctx, path: str) -> str:
    from twelvecheck.files import read_bytes

    data = read_bytes(str(ctx.root / path), root=str(ctx.root))
    return data.decode("utf-8", errors="replace") if isinstance(data, bytes) else ""
