"""The go command (go help build, go help install, go help get); flags take one dash."""

from __future__ import annotations

from dataclasses import dataclass

from twelvecheck.parse.commands._invocation import Invocation, Package, build, non_registry_package
from twelvecheck.parse.commands._options import OptionTable, flag, valued
from twelvecheck.parse.shell import Command, Word

_VALUED = ("ldflags", "gcflags", "asmflags", "tags", "o", "mod", "modfile", "buildmode", "p",
           "C", "overlay", "pgo", "pkgdir", "toolexec", "installsuffix", "compiler",
           "coverpkg", "covermode", "exec", "run", "bench", "timeout", "count")
TABLE = OptionTable(
    *(valued(name, f"-{name}", f"--{name}") for name in _VALUED),
    *(flag(name, f"-{name}", f"--{name}") for name in
      ("v", "x", "n", "a", "u", "d", "t", "race", "msan", "asan", "trimpath", "insecure",
       "linkshared", "modcacherw", "cover", "work", "json", "buildvcs")),
    single_dash_long=True,
)


@dataclass(frozen=True, slots=True)
class GoInvocation(Invocation):
    @property
    def is_install(self) -> bool:
        return self.subcommand in ("install", "get")

    @property
    def packages(self) -> list[Package]:
        """Modules of install/get, and the one ``go run`` builds (its first operand; the rest
        are the program's arguments). Pinned: ``path@version`` with a version other than
        ``latest``, ``upgrade``, ``patch`` or a branch name; local paths and ``.go`` files
        count as pinned."""
        if self.subcommand == "run":
            return [_package(word) for word in self.operands[:1]]
        if not self.is_install:
            return []
        return [_package(word) for word in self.operands]


_MOVING = frozenset({"", "latest", "upgrade", "patch", "master", "main", "HEAD", "none"})


def _package(word: Word) -> Package:
    local = non_registry_package(word)
    if local is not None:
        return local
    if word.value.endswith(".go"):
        return Package(word.value, None, None, word, True, "path")
    name, at, version = word.value.partition("@")
    if not at:
        return Package(name, None, None, word, pinned=False)
    return Package(name, version, "@", word, pinned=version not in _MOVING)


def parse(command: Command, words: tuple[Word, ...]) -> GoInvocation:
    return build(GoInvocation, "go", command, words, TABLE, {})
