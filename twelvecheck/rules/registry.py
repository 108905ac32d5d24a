"""Finds rules: every ``Rule`` subclass with a code, in the built-in families and in plugins.

Built-in families are the subpackages of ``twelvecheck.rules``; each declares the input kinds it
checks (``KINDS``) so the one-Dockerfile pre-commit path imports only what it needs. Third-party
rules come from the ``twelvecheck.rules`` entry-point group, through the same collection.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

import twelvecheck.rules as rules_package
from twelvecheck.rules.base import Rule

if TYPE_CHECKING:
    from twelvecheck.config import Config
    from twelvecheck.rules.index import RuleInfo

ENTRY_POINT_GROUP = "twelvecheck.rules"


@cache
def _families() -> dict[str, tuple[str, ...]]:
    """Family package name -> the input kinds it checks."""
    import pkgutil  # only when importing every family: the rule index spares the common path

    families = {}
    for info in pkgutil.iter_modules(rules_package.__path__):
        if info.ispkg:
            module = importlib.import_module(f"{rules_package.__name__}.{info.name}")
            families[module.__name__] = tuple(getattr(module, "KINDS", ()))
    return families


def _import_family(package_name: str) -> None:
    import pkgutil

    package = importlib.import_module(package_name)
    for info in pkgutil.iter_modules(package.__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{package_name}.{info.name}")


def _subclasses(cls: type[Rule]) -> Iterable[type[Rule]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _plugin_modules() -> list[str]:
    """Modules named in the ``twelvecheck.rules`` entry-point group of installed distributions.

    Reads the ``entry_points.txt`` files directly: importlib.metadata costs ~25 ms of imports on
    every run, a noticeable share of a pre-commit hook's time, for what is nearly always nothing.
    """
    modules = []
    header = f"[{ENTRY_POINT_GROUP}]"
    for directory in sys.path:
        try:
            entries = os.scandir(directory or ".")
        except OSError:
            continue
        with entries:
            for entry in entries:
                if not entry.name.endswith((".dist-info", ".egg-info")):
                    continue
                try:
                    with open(os.path.join(entry.path, "entry_points.txt"), encoding="utf-8") as handle:
                        text = handle.read()
                except OSError:
                    continue
                if header in text:
                    modules.extend(_section_values(text, header))
    return modules


def _section_values(text: str, header: str) -> list[str]:
    values, inside = [], False
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("["):
            inside = line == header
        elif inside and "=" in line:
            values.append(line.split("=", 1)[1].strip().split(":", 1)[0].strip())
    return values


@cache
def _load_plugins() -> bool:
    """Import the plugins' rule modules; whether there were any."""
    modules = _plugin_modules()
    for module in modules:
        importlib.import_module(module)
    return bool(modules)


@cache
def rules_for(kinds: frozenset[str], plugins: bool = True) -> tuple[type[Rule], ...]:
    """Rule classes that check any of ``kinds``, ordered by code."""
    for package_name, family_kinds in _families().items():
        if kinds & set(family_kinds):
            _import_family(package_name)
    if plugins:
        _load_plugins()
    found = {cls for cls in _subclasses(Rule)
             if "code" in cls.__dict__ and not cls.from_config and (cls.kind in kinds or cls.kind == "any")}
    return tuple(sorted(found, key=lambda cls: cls.code))


@cache
def rule_infos_for(kinds: frozenset[str]) -> tuple[RuleInfo, ...]:
    """Index entries of the rules that check any of ``kinds``, ordered by code: the built-in
    ones from the rule index (no rule module imported), plugins' from their classes."""
    from twelvecheck.rules.index import builtin_rules, info_of

    builtin = builtin_rules()
    infos = [info for info in builtin if info.kind in kinds or info.kind == "any"]
    if _load_plugins():
        codes = {info.code for info in builtin}
        infos += [info_of(cls) for code, cls in rule_classes().items()
                  if code not in codes and (cls.kind in kinds or cls.kind == "any")]
    return tuple(sorted(infos, key=lambda info: info.code))


def rule_classes() -> dict[str, type[Rule]]:
    """Every rule class defined so far (built-in and plugin, not configured packs), by code."""
    return {cls.code: cls for cls in _subclasses(Rule) if "code" in cls.__dict__ and not cls.from_config}


def configured_rules_for(kinds: frozenset[str], config: Config) -> tuple[type[Rule], ...]:
    """Rules of the packs ``config`` names (``packs:``) that check any of ``kinds``; none
    without packs, so a configuration without them costs nothing here."""
    if not config.packs:
        return ()
    from twelvecheck.rules.packs._factory import configured_rules

    pack_kinds = frozenset({"dockerfile", "compose"})
    taken = frozenset(key for cls in rules_for(pack_kinds) for key in rule_keys(cls))
    return tuple(cls for cls in configured_rules(config.packs, taken) if cls.kind in kinds)


def rule_keys(cls: type[Rule] | RuleInfo) -> frozenset[str]:
    """What selects and suppresses a rule: its code, name and aliases, lower-cased."""
    return frozenset({cls.code.lower(), cls.name} | {alias.lower() for alias in cls.all_aliases()})


def all_rules(config: Config | None = None) -> tuple[type[Rule], ...]:
    """Every rule: built-in, plugins and, given a configuration, its packs' rules."""
    from twelvecheck.rules.base import KINDS

    kinds = frozenset(KINDS)
    configured = configured_rules_for(kinds, config) if config is not None else ()
    return tuple(sorted(rules_for(kinds) + configured, key=lambda cls: cls.code))


def all_rule_infos(config: Config | None = None) -> tuple[RuleInfo | type[Rule], ...]:
    """What ``all_rules`` lists, enough to match selectors against, without importing every
    rule module: the built-in rules as index entries; plugins' rules (and any other rule class
    defined in this process) and the configured packs' rules as classes."""
    from twelvecheck.rules.base import KINDS
    from twelvecheck.rules.index import builtin_rules

    kinds = frozenset(KINDS)
    _load_plugins()
    others = [cls for cls in rule_classes().values()
              if not cls.__module__.startswith("twelvecheck.") and (cls.kind in kinds or cls.kind == "any")]
    configured = configured_rules_for(kinds, config) if config is not None else ()
    builtin = [info for info in builtin_rules() if info.kind in kinds or info.kind == "any"]
    return tuple(sorted((*builtin, *others, *configured), key=lambda rule: rule.code))


def find_rule(key: str, config: Config | None = None) -> type[Rule] | None:
    """A rule by code, name or alias (case-insensitive).

    Without a configuration, rules of packs some configuration defined in this process are
    found too (the latest definition wins): reporters look up a finding's rule by its code
    alone, and a configured pack's rule must get its SARIF and HTML help like any other."""
    wanted = key.lower()
    candidates = all_rules(config)
    if config is None:
        candidates += tuple(reversed([cls for cls in _subclasses(Rule) if cls.from_config]))
    for cls in candidates:
        if wanted in rule_keys(cls):
            return cls
    return None
