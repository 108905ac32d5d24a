"""What every tool parser returns: the invocation and the packages it names."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from twelvecheck.parse.commands._options import OptionTable, parse_options
from twelvecheck.parse.shell import Command, Word


@dataclass(frozen=True, slots=True)
class Package:
    """A package named on a command line. ``operator`` is how the version is attached
    (``=``, ``==``, ``>=``, ``@``, ``:``, ``-``, ``/`` for an apt release). ``source`` is
    'registry', 'url', 'vcs', 'path' or 'variable' (``$PKGS``: unknown until build time).
    ``pinned`` is the tool's own notion, documented on each tool's ``packages``; anything not
    fetched from a registry by name counts as pinned (its version is fixed by the source, or
    cannot be known) so that version-pinning rules stay quiet about it."""

    name: str
    version: str | None
    operator: str | None
    word: Word
    pinned: bool
    source: str = "registry"


@dataclass(frozen=True, slots=True)
class Invocation:
    """One run of a tool: options by canonical name (every occurrence's value, ``None`` for
    flags), the operands after the subcommand, and the command it came from."""

    tool: str
    subcommand: str | None
    options: dict[str, list[str | None]]
    operands: tuple[Word, ...]
    command: Command

    def has(self, option: str) -> bool:
        return option in self.options

    def value(self, option: str) -> str | None:
        """The last value given to ``option`` (options given twice: the last one wins)."""
        values = [value for value in self.options.get(option, ()) if value is not None]
        return values[-1] if values else None

    def values(self, option: str) -> list[str]:
        return [value for value in self.options.get(option, ()) if value is not None]

    def count(self, option: str) -> int:
        """How often a flag was given: ``-qq`` is quiet level 2."""
        return len(self.options.get(option, ()))


def source_of(text: str) -> str | None:
    """Where a non-registry operand comes from, or None for a plain package name."""
    if "$" in text or "`" in text:
        return "variable"
    if text.startswith(("git+", "hg+", "svn+", "bzr+", "git://", "github:")):
        return "vcs"
    if "://" in text:
        return "url"
    if text.startswith((".", "/", "~")) or text.endswith((".deb", ".rpm", ".apk", ".whl",
                                                          ".tar.gz", ".tgz", ".zip", ".gem")):
        return "path"
    return None


def non_registry_package(word: Word) -> Package | None:
    source = source_of(word.value)
    return None if source is None else Package(word.value, None, None, word, True, source)


InvocationT = TypeVar("InvocationT", bound=Invocation)


def build(kind: Callable[..., InvocationT], tool: str, command: Command, words: Sequence[Word],
          table: OptionTable, subcommand_aliases: Mapping[str, str] | None = None) -> InvocationT:
    """Parse ``words`` (the arguments after the tool's name); the first operand is the
    subcommand when ``subcommand_aliases`` is given (empty mapping: no aliases)."""
    parsed = parse_options(words, table)
    operands = parsed.operands
    subcommand = None
    if subcommand_aliases is not None and operands:
        subcommand = subcommand_aliases.get(operands[0].value, operands[0].value)
        operands = operands[1:]
    return kind(tool, subcommand, parsed.options, operands, command)
