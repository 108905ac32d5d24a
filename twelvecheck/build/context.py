"""Trees that COPY and ADD read from: the build context (minus ``.dockerignore``) or a stage's rootfs.

A source pattern is resolved inside the tree with symlinks scoped to it (``paths.resolve_in_root``),
so a context symlink can never make COPY read a host file.  A source *named* by the instruction
(literally or by a wildcard) that is a symlink is followed, as BuildKit does: a link to a file is
copied as a regular file under the link's name, a link to a directory copies that directory's
contents.  In the build context, a named symlink whose target lies outside the context
(``/etc/passwd``, ``../x``) is an error: BuildKit would quietly read the context's own
``etc/passwd`` instead.  A named source that is dangling, ignored by ``.dockerignore`` (under its
own name or its target's), or not a file, directory or link is an error naming it: nothing the
user asked to copy is dropped silently.  Inside a copied directory symlinks are copied as
symlinks, not followed.  The same walk feeds the cache key (content digests) and the copy itself,
so what is hashed is what is copied.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import stat
from dataclasses import dataclass
from typing import Iterator

from twelvecheck.build.paths import resolve_in_root
from twelvecheck.parse.dockerignore import Dockerignore, for_context, parse_dockerignore

_GLOB_CHARS = frozenset("*?[")


class SourceNotFound(FileNotFoundError):
    pass


class BadSource(ValueError):
    """A named source that exists but cannot be copied (a symlink out of the context, a fifo...)."""


@dataclass(frozen=True)
class Source:
    rel: str  # path in the tree after resolving the pattern (and symlinks), '' for the root
    real: str  # on disk
    name: str = ""  # the last component as named (a symlink's own name), what a file is copied as

    @property
    def copy_name(self) -> str:
        return self.name or os.path.basename(self.real)


@dataclass(frozen=True)
class Entry:
    rel: str  # relative to the source ('' for the source itself)
    real: str
    st: os.stat_result


class SourceTree:
    def __init__(self, root: str, matcher: Dockerignore | None = None, exclude: Dockerignore | None = None,
                 *, confined: bool = False):
        self.root = os.path.abspath(root)
        self.matcher = matcher or Dockerignore("", ())
        self.exclude = exclude  # COPY --exclude: matched relative to each source (see excluding)
        # The build context: a named symlink must not point out of it.  A stage's rootfs is not
        # confined: its absolute links (/lib -> /usr/lib) mean the rootfs's own paths.
        self.confined = confined

    def excluding(self, patterns: list[str]) -> SourceTree:
        """This tree as ``COPY --exclude=PATTERN`` sees it.  Patterns use the ``.dockerignore``
        syntax and match relative to each source: a directory's entries by their path under it
        (``*.md`` its top level, ``**/*.md`` any depth), a file (``*.txt`` picked by a wildcard) by
        its name."""
        if not patterns:
            return self
        return SourceTree(self.root, self.matcher, parse_dockerignore("\n".join(patterns), "--exclude"),
                          confined=self.confined)

    def _refuse_bad_patterns(self) -> None:
        """docker refuses an ignore file (or --exclude) holding a pattern it cannot read."""
        for ignore in (self.matcher, self.exclude):
            if ignore is not None and ignore.errors:
                first = ignore.errors[0]
                raise BadSource(f"{ignore.path or '.dockerignore'}, line {first.span.line}: {first.message}")

    @classmethod
    def build_context(cls, context_dir: str) -> SourceTree:
        return cls(context_dir, for_context(context_dir), confined=True)

    def select(self, pattern: str) -> list[Source]:
        """The sources a COPY argument names; wildcards match per path component, sorted."""
        self._refuse_bad_patterns()
        candidates = [""]
        for part in [item for item in pattern.split("/") if item not in ("", ".")]:
            next_candidates = []
            for base in candidates:
                if _GLOB_CHARS & set(part):
                    directory = resolve_in_root(self.root, base)
                    names = sorted(os.listdir(directory)) if os.path.isdir(directory) else []
                    next_candidates += [_join(base, name) for name in names if fnmatch.fnmatchcase(name, part)]
                else:
                    next_candidates.append(_join(base, part))
            candidates = next_candidates
        sources = []
        for candidate in candidates:
            source = self._source(pattern, candidate)
            if source is not None and not self._excluded_file(source.real):
                sources.append(source)
        if not sources and not (_GLOB_CHARS & set(pattern)):
            raise SourceNotFound(f"{pattern!r} not found in the build context (or excluded by .dockerignore)")
        return sources

    def _source(self, pattern: str, candidate: str) -> Source | None:
        """``candidate`` (a path the pattern names) as a source; None when nothing is there (a
        wildcard's later component that did not match) or ``.dockerignore`` excludes it."""
        named = resolve_in_root(self.root, candidate, follow_final=False)  # the entry itself
        real = resolve_in_root(self.root, candidate)
        if self.confined:
            self._check_inside(pattern, candidate, named, real)
        if not os.path.lexists(named):
            return None
        name_rel = self._rel(named)
        if name_rel and self.matcher.excludes(name_rel):
            return None
        if real != named and not os.path.exists(real):
            target = os.readlink(named) if os.path.islink(named) else self._rel(real)
            raise SourceNotFound(f"{self._named(pattern, candidate)} is a dangling symlink "
                                 f"(to {target!r}, which is not in the build context)")
        rel = self._rel(real)
        if rel and self.matcher.excludes(rel):
            raise SourceNotFound(f"{self._named(pattern, candidate)} is a symlink to {rel!r}, "
                                 "which .dockerignore excludes")
        mode = os.stat(real).st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            raise BadSource(f"{self._named(pattern, candidate)} is not a regular file, directory or "
                            "symlink to one, and cannot be copied")
        return Source(rel, real, os.path.basename(named) if name_rel else "")

    def _check_inside(self, pattern: str, candidate: str, named: str, real: str) -> None:
        """In the build context a named path must reach the same file when resolved as the host
        would: a symlink (or ``..``) that leaves the context is an error, not a quiet read of
        the context's own ``etc/passwd``."""
        root = os.path.realpath(self.root)
        on_host = os.path.realpath(os.path.join(root, candidate))
        if on_host != os.path.realpath(real) and (os.path.lexists(on_host) or os.path.islink(named)):
            how = f"is a symlink to {os.readlink(named)!r}" if os.path.islink(named) else "goes through a symlink or '..'"
            raise BadSource(f"{self._named(pattern, candidate)} {how}, outside the build context; "
                            "copy what it points to into the context instead")

    @staticmethod
    def _named(pattern: str, candidate: str) -> str:
        return f"COPY source {candidate!r}" + (f" (from {pattern!r})" if pattern.strip("/") != candidate else "")

    def _rel(self, real: str) -> str:
        return os.path.relpath(real, self.root).replace(os.sep, "/").removeprefix(".")

    def _excluded_file(self, real: str) -> bool:
        return self.exclude is not None and not os.path.isdir(real) and self.exclude.excludes(os.path.basename(real))

    def walk(self, source: Source) -> Iterator[Entry]:
        """The source and, for a directory, everything under it that is not ignored, sorted."""
        yield Entry("", source.real, os.stat(source.real))
        if os.path.isdir(source.real):
            yield from self._walk_dir(source.rel, source.real, "")

    def _walk_dir(self, tree_rel: str, real: str, rel: str) -> Iterator[Entry]:
        for name in sorted(os.listdir(real)):
            child_tree_rel, child_rel = _join(tree_rel, name), _join(rel, name)
            if self.matcher.excludes(child_tree_rel) or (self.exclude and self.exclude.excludes(child_rel)):
                continue
            child = os.path.join(real, name)
            st = os.lstat(child)
            yield Entry(child_rel, child, st)
            if stat.S_ISDIR(st.st_mode):
                yield from self._walk_dir(child_tree_rel, child, child_rel)

    def content_digest(self, patterns: list[str]) -> str:
        """A digest of every byte, name, mode and link a COPY of ``patterns`` would read."""
        digest = hashlib.sha256()
        for pattern in patterns:
            for source in self.select(pattern):
                for entry in self.walk(source):
                    digest.update(f"{pattern}\0{source.name}\0{source.rel}\0{entry.rel}\0{entry.st.st_mode:o}\0".encode())
                    if stat.S_ISLNK(entry.st.st_mode):
                        digest.update(os.readlink(entry.real).encode())
                    elif stat.S_ISREG(entry.st.st_mode):
                        with open(entry.real, "rb") as handle:
                            digest.update(hashlib.file_digest(handle, "sha256").digest())
        return digest.hexdigest()


def _join(base: str, name: str) -> str:
    return f"{base}/{name}" if base else name
