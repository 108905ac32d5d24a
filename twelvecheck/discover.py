"""Which files to lint, and as what kind: Dockerfiles, compose files, .dockerignore files,
application source (checked through semgrep)."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from twelvecheck.files import inside, real_root, tree_for

DOCKERFILE_NAMES = ("Dockerfile", "Containerfile", "*.Dockerfile", "*.dockerfile", "*.Containerfile",
                    "Dockerfile.*", "Dockerfile-*", "Containerfile.*", "Containerfile-*", "dockerfile")
NOT_DOCKERFILES = ("*.dockerignore", "*.md", "*.txt", "*.template", "*.tmpl", "*.j2", "*.jinja",
                   "*.jinja2", "*.sh", "*.py", "*.orig", "*.bak", "*.swp", "*~")
COMPOSE_NAMES = ("compose.yaml", "compose.yml", "compose.*.yaml", "compose.*.yml", "docker-compose*.yaml",
                 "docker-compose*.yml", "*-compose.yaml", "*-compose.yml")
DOCKERIGNORE_NAMES = (".dockerignore", "*.dockerignore", ".containerignore")
# Application source the semgrep rules cover; a directory walk yields these only when asked for
# ("source" in kinds, as audit does), an explicit file always.
SOURCE_SUFFIXES = (".py", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".go", ".java", ".rb")
SKIPPED_DIRECTORIES = frozenset({".git", ".hg", ".svn", "node_modules", "__pycache__", ".tox", ".venv"})


@dataclass(frozen=True, slots=True)
class Candidate:
    path: str  # as found (may be relative)
    kind: str | None  # None: could not be visited (the problem says why)
    problem: str | None = None
    companions: tuple[str, ...] = ()  # compose override files loaded with this one
    root: str | None = None  # the tree it was found in (resolved): nothing outside it is read
    outside: bool = False  # the problem: a symbolic link leading out of the tree


def _matches(name: str, patterns: Iterable[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def kind_of(name: str) -> str | None:
    """The kind a file name says, or None for files we do not lint."""
    if _matches(name, DOCKERIGNORE_NAMES):
        return "dockerignore"
    if _matches(name, COMPOSE_NAMES):
        return "compose"
    if _matches(name, DOCKERFILE_NAMES) and not _matches(name, NOT_DOCKERFILES):
        return "dockerfile"
    if name.endswith(SOURCE_SUFFIXES):
        return "source"
    return None


def discover(paths: Iterable[str], kinds: frozenset[str]) -> Iterator[Candidate]:
    """Files under ``paths`` of the wanted kinds; an explicit file is linted whatever its name."""
    for path in paths:
        try:
            is_dir, exists, lexists = os.path.isdir(path), os.path.exists(path), os.path.lexists(path)
        except ValueError:  # a NUL byte in the name
            yield Candidate(path, None, "invalid file name")
            continue
        if is_dir:
            yield from _walk(path, kinds)
        elif lexists and not exists:
            yield Candidate(path, None, "broken symbolic link or symbolic link loop")
        elif not exists:
            yield Candidate(path, None, "no such file or directory")
        else:
            yield Candidate(path, kind_of(os.path.basename(path)) or _explicit_kind(path), root=tree_for(path))


def _explicit_kind(path: str) -> str:
    """A file named on the command line under no known name: YAML is taken for a compose file
    (``prod.yml``), anything else for a Dockerfile, as hadolint lints any file it is given."""
    return "compose" if path.lower().endswith((".yml", ".yaml")) else "dockerfile"


def _walk(root: str, kinds: frozenset[str]) -> Iterator[Candidate]:
    """Files of the wanted kinds below ``root``; a directory symlink is followed only when it
    stays inside ``root`` (one leading out is reported at the link, not walked)."""
    from twelvecheck.gitignore import GitIgnore  # only directory walks read .gitignore files

    ignore = GitIgnore(os.path.abspath(root))
    tree = real_root(root)
    seen: set[tuple[int, int]] = set()
    for directory, subdirs, files in os.walk(root, followlinks=True):
        stat = os.stat(directory)
        if (stat.st_dev, stat.st_ino) in seen:
            yield Candidate(directory, None, "directory reached again through a symbolic link loop; skipped")
            subdirs[:] = []
            continue
        seen.add((stat.st_dev, stat.st_ino))
        absolute = os.path.abspath(directory)
        subdirs[:] = sorted(
            name for name in subdirs
            if name not in SKIPPED_DIRECTORIES and not ignore.ignored(os.path.join(absolute, name), True)
        )
        for name in list(subdirs):
            link = os.path.join(directory, name)
            if os.path.islink(link) and not inside(link, tree):
                subdirs.remove(name)
                yield Candidate(link, None, f"symbolic link to {os.readlink(link)!r} leads outside the linted tree; "
                                            "not followed", outside=True)
        for name in sorted(files):
            kind = kind_of(name)
            if kind not in kinds or ignore.ignored(os.path.join(absolute, name), False):
                continue
            path = os.path.join(directory, name)
            if not os.path.exists(path):
                yield Candidate(path, None, "broken symbolic link or symbolic link loop")
            else:
                yield Candidate(path, kind, root=tree)


def _override_base(path: str) -> str | None:
    """``compose.override.yaml`` -> ``compose.yaml`` (either extension), as compose pairs them."""
    directory, name = os.path.split(path)
    stem, dot, ext = name.rpartition(".")
    if not stem.endswith(".override"):
        return None
    base = stem.removesuffix(".override")
    for candidate_ext in (ext, "yaml", "yml"):
        base_path = os.path.join(directory, f"{base}.{candidate_ext}")
        if os.path.isfile(base_path):
            return base_path
    return None


def group_compose_projects(candidates: Iterable[Candidate]) -> list[Candidate]:
    """An override file travels with its base file (one project), the way ``docker compose``
    loads them; an override whose base is not being linted stands alone."""
    candidates = list(candidates)
    by_path = {c.path: index for index, c in enumerate(candidates) if c.kind == "compose"}
    grouped = list(candidates)
    for index, candidate in enumerate(candidates):
        base = _override_base(candidate.path) if candidate.kind == "compose" else None
        if base is not None and base in by_path:
            base_index = by_path[base]
            grouped[base_index] = replace(grouped[base_index], companions=grouped[base_index].companions + (candidate.path,))
            grouped[index] = None
    return [c for c in grouped if c is not None]


def files_below(root: str) -> tuple[str, ...]:
    """Every file under ``root`` that git would not ignore, as sorted relative POSIX paths."""
    from twelvecheck.gitignore import GitIgnore

    found = []
    ignore = GitIgnore(os.path.abspath(root))
    for directory, subdirs, files in os.walk(root):
        absolute = os.path.abspath(directory)
        subdirs[:] = sorted(name for name in subdirs if name not in SKIPPED_DIRECTORIES
                            and not ignore.ignored(os.path.join(absolute, name), True))
        for name in files:
            if not ignore.ignored(os.path.join(absolute, name), False):
                found.append(os.path.relpath(os.path.join(directory, name), root).replace(os.sep, "/"))
    return tuple(sorted(found))
