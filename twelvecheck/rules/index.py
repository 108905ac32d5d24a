"""An index of the built-in rules, so selecting them does not import every rule module.

Each entry holds what selection, suppression and stamping read (code, name, severity,
factors, aliases, kind, status, options) and what decides whether the rule can fire on a
file at all (its trigger): an ``InstructionRule`` that only looks at the instructions named in
``keywords`` cannot fire on a Dockerfile without one of them, and a ``ShellRule`` that only
looks at the commands named in ``commands`` cannot fire on one that never runs them. The
engine imports a rule's module the first time a file could trigger it, so one Dockerfile
imports the rules its instructions and commands need rather than all of them.

The index is built by importing every built-in family once, then kept in the user cache
directory, keyed by the install location and the size and modification time of every rule
module and built-in pack: editing, adding or deleting a rule rebuilds it on the next run
(editable installs included). A read-only install works the same (the cache lives under the
user's cache directory, not in the package); when that is not writable either, the index is
rebuilt in memory on each run, which only costs time. Stored with marshal for the reasons the
packs cache gives (``twelvecheck.rules.packs._cache``): plain data, no import, microseconds.
"""

from __future__ import annotations

import os
import sys
import zlib
from functools import cache
from typing import TYPE_CHECKING, Any

from twelvecheck.files import load_cache, store_cache, user_cache_dir

if TYPE_CHECKING:
    from twelvecheck.rules.base import Rule

FORMAT = 1  # bump when the stored shape or the trigger logic changes
_PACKAGE = os.path.dirname(os.path.abspath(__file__))  # twelvecheck/rules
_WATCHED = (_PACKAGE, os.path.join(os.path.dirname(_PACKAGE), "rulesets", "packs"))


_FIELDS = ("code", "name", "severity", "factors", "aliases", "kind", "status", "enabled_by_default", "options",
           "extra_key_pattern", "module", "keywords", "commands", "prepares")


class RuleInfo:
    """A rule's identity without its module: it answers what ``Config.is_enabled``,
    ``Config.settings_for`` and the engine's stamping ask of a rule class.

    ``keywords``: the rule fires only on these instruction keywords; ``commands``: only on
    these shell command names (None: on anything); ``prepares``: it overrides ``Rule.prepare``.
    A plain class rather than a dataclass: this module is on every run's path, and making a
    dataclass costs more than the rest of the module.
    """

    __slots__ = _FIELDS
    code: str
    name: str
    severity: str
    factors: tuple[str, ...]
    aliases: dict[str, tuple[str, ...]]
    kind: str
    status: str
    enabled_by_default: bool
    options: dict[str, Any]
    extra_key_pattern: str | None
    module: str
    keywords: frozenset[str] | None
    commands: frozenset[str] | None
    prepares: bool

    def __init__(self, *values: Any) -> None:
        if len(values) != len(_FIELDS):
            raise ValueError("index entry of another shape")
        for name, value in zip(_FIELDS, values):
            setattr(self, name, value)

    def all_aliases(self) -> tuple[str, ...]:
        return tuple(alias for names in self.aliases.values() for alias in names)

    def load(self) -> type[Rule]:
        """The rule class (importing its module on first use)."""
        return _class(self.module, self.code)


def info_of(cls: type[Rule]) -> RuleInfo:
    """The index entry of a rule class."""
    from twelvecheck.rules.base import InstructionRule, Rule
    from twelvecheck.rules.shell._base import ShellRule

    keywords = commands = None
    if issubclass(cls, InstructionRule) and cls.check is InstructionRule.check and cls.keywords:
        keywords = frozenset(cls.keywords)
    if (issubclass(cls, ShellRule) and cls.check is ShellRule.check and cls.check_script is ShellRule.check_script
            and cls.commands):
        commands = frozenset(cls.commands)
    return RuleInfo(cls.code, cls.name, cls.severity, tuple(cls.factors),
                    {tool: tuple(names) for tool, names in cls.aliases.items()}, cls.kind, cls.status,
                    cls.enabled_by_default, dict(cls.options), cls.extra_key_pattern, _defining_module(cls),
                    keywords, commands, cls.prepare is not Rule.prepare)


def _defining_module(cls: type) -> str:
    """The module whose import defines ``cls``: its ``__module__``, unless a factory made it
    (the built-in packs are classes made by ``packs._dockerfile`` when ``packs.builtin`` runs)."""
    if _in_namespace(vars(sys.modules[cls.__module__]), cls):
        return cls.__module__
    for name, module in list(sys.modules.items()):
        if name.startswith("twelvecheck.") and module is not None and _in_namespace(vars(module), cls):
            return name
    return cls.__module__


def _in_namespace(namespace: dict[str, Any], cls: type) -> bool:
    return any(value is cls or (isinstance(value, tuple) and cls in value) for value in namespace.values())


@cache
def _class(module_name: str, code: str) -> type[Rule]:
    import importlib

    from twelvecheck.rules.base import Rule
    from twelvecheck.rules.registry import rule_classes

    module = importlib.import_module(module_name)
    for value in vars(module).values():
        if isinstance(value, type) and issubclass(value, Rule) and value.__dict__.get("code") == code:
            return value
    return rule_classes()[code]  # defined in a loop (the built-in packs): look among all rules


def builtin_rules() -> tuple[RuleInfo, ...]:
    """Every built-in rule (of every kind), ordered by code: from the cache when no rule module
    changed since it was written, else by importing them all (and writing the cache)."""
    return _builtin_rules()


@cache
def _builtin_rules() -> tuple[RuleInfo, ...]:
    stamp = _stamp()
    path = _cache_file()
    stored = load_cache(path)
    if stored is not None and stored[0] == stamp:
        try:
            return tuple(_thaw(entry) for entry in stored[1])
        except (TypeError, ValueError):
            pass  # a cache of another shape: rebuild it
    infos = _build()
    store_cache(path, (stamp, [_freeze(info) for info in infos]))
    return infos


def _build() -> tuple[RuleInfo, ...]:
    from twelvecheck.rules.base import KINDS
    from twelvecheck.rules.registry import rules_for

    return tuple(info_of(cls) for cls in rules_for(frozenset(KINDS), plugins=False)
                 if cls.__module__.startswith("twelvecheck."))  # not classes a caller defined in this process


def _stamp() -> tuple:
    """What the index depends on: the format, the Python version and every watched file's
    path, size and modification time (one scandir per directory: about a millisecond)."""
    files: list[tuple[str, int, int]] = []
    pending = list(_WATCHED)
    while pending:
        directory = pending.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    pending.append(entry.path)
            elif entry.name.endswith((".py", ".yaml", ".yml")):
                stat = entry.stat()
                files.append((entry.path, stat.st_size, stat.st_mtime_ns))
    files.sort()
    return (FORMAT, sys.version_info[:2], tuple(files))


def _cache_file() -> str:
    where = zlib.crc32(_PACKAGE.encode("utf-8", "surrogateescape"))
    return os.path.join(user_cache_dir("rules"), f"index-v{FORMAT}-{where:08x}.marshal")


def _freeze(info: RuleInfo) -> tuple:
    return tuple(getattr(info, name) for name in _FIELDS)


def _thaw(entry: tuple) -> RuleInfo:
    return RuleInfo(*entry)
