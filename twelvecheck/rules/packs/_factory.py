"""Turns pack files into rule classes, one small factory for built-in and configured packs.

The classes are ordinary rules: identity as plain class attributes, checked by
``Rule.__init_subclass__``; the docstring is the pack's ``docs``, so ``rule CODE``, generated
docs, SARIF metadata, executed examples, case tests and suppressions need nothing new.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from twelvecheck.rules.base import Rule, RuleDefinitionError
from twelvecheck.rules.packs import _cache
from twelvecheck.rules.packs._format import DockerfileMatch, PackError, RuleSpec, read_pack


def _read_yaml(path: Path) -> Any:
    import yaml

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise PackError(f"{path}: cannot read the pack: {error}") from None


def read_specs(path: Path) -> list[RuleSpec]:
    if not path.is_file():
        raise PackError(f"{path}: pack file not found")
    return read_pack(_cache.parsed(path, _read_yaml), str(path))


def define(spec: RuleSpec, from_config: bool) -> type[Rule]:
    """The rule class of one pack rule."""
    base = _base_for(spec)
    attributes = {
        "__doc__": spec.docs, "__module__": base.__module__,
        "code": spec.code, "name": spec.name, "severity": spec.severity, "factors": spec.factors,
        "aliases": spec.aliases, "enabled_by_default": spec.enabled, "status": spec.status,
        "options": spec.options, "message": spec.message, "hint": spec.hint, "match": spec.match,
        "pack": spec.pack, "from_config": from_config,
    }
    class_name = re.sub(r"(?:^|-)(\w)", lambda m: m.group(1).upper(), spec.name)
    try:
        return type(class_name, (base,), attributes)
    except RuleDefinitionError as error:
        raise PackError(f"{spec.pack}: rule {spec.code}: {error.args[0].split(': ', 1)[-1]}") from None


def _base_for(spec: RuleSpec) -> type[Rule]:
    """Each shape imports what it checks with only when it is asked for."""
    if isinstance(spec.match, DockerfileMatch):
        from twelvecheck.rules.packs._dockerfile import DockerfilePackRule

        return DockerfilePackRule
    from twelvecheck.rules.packs._compose import ComposePackRule

    return ComposePackRule


def define_pack(path: Path, from_config: bool = False) -> tuple[type[Rule], ...]:
    return tuple(define(spec, from_config) for spec in read_specs(path))


@cache
def configured_rules(paths: tuple[str, ...], taken: frozenset[str]) -> tuple[type[Rule], ...]:
    """The rules of the packs a configuration names (defined once per process and set of
    files); ``taken`` holds the codes and names already in use, which a pack may not reuse."""
    rules: list[type[Rule]] = []
    for path in paths:
        rules.extend(define_pack(Path(path), from_config=True))
    _check_unique(rules, taken)
    return tuple(rules)


def _check_unique(rules: Iterable[type[Rule]], taken: frozenset[str]) -> None:
    seen = set(taken)
    for rule in rules:
        for key in (rule.code, rule.name):
            if key.lower() in seen:
                raise PackError(f"{rule.pack}: rule {rule.code}: {'code' if key == rule.code else 'name'} "
                                f"{key} is already used by another rule; codes are never reused "
                                f"(organisation packs may use DF900-DF999 and DC900-DC999)")
            seen.add(key.lower())
