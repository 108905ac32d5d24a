"""The pack file format, read into frozen specs; every mistake is a ``PackError`` naming the
pack file, the rule and the field, because the people writing packs are not reading our code.

The format is documented in ``docs/packs.md``; this module is its only reader.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from twelvecheck.config import ConfigError
from twelvecheck.findings import FACTORS, SEVERITIES

STAGE_SCOPES = ("any", "final")
WHEN = ("present", "absent")
NORMALIZERS = ("image-registry",)
_FIELDS = {"dockerfile": ("value", "keyword", "stage", "command"), "compose": ("value", "path")}
_RULE_KEYS = {"code", "name", "severity", "factors", "aliases", "enabled", "status", "options",
              "message", "hint", "docs", "match"}
_DOCKERFILE_KEYS = {"instruction", "stage", "flags", "arguments", "arguments_not", "command", "when"}
_COMMAND_KEYS = {"name", "subcommand", "option_present", "option_absent", "argument"}
_COMPOSE_KEYS = {"path", "when", "value", "value_not", "value_not_in", "normalize"}
_FLAG_STATES = ("present", "absent")


class PackError(ConfigError):
    """A pack file that cannot be read or does not follow the format."""


@dataclass(frozen=True, slots=True)
class CommandMatch:
    """A shell command of RUN, as the shell model and the tool's argument parser read it."""

    names: frozenset[str]
    subcommands: frozenset[str]  # empty: any
    option_present: tuple[str, ...]  # option names without dashes; all must be given
    option_absent: tuple[str, ...]  # none of these may be given
    argument: re.Pattern[str] | None  # some operand must match


@dataclass(frozen=True, slots=True)
class DockerfileMatch:
    keywords: frozenset[str]  # empty: any instruction
    stage: str  # 'any' or 'final' (the stages whose layers ship in the final image)
    flags: tuple[tuple[str, str], ...]  # (flag name, 'present' | 'absent' | a value regex)
    arguments: re.Pattern[str] | None  # must match the expanded argument text
    arguments_not: re.Pattern[str] | None  # must not match it
    command: CommandMatch | None  # RUN only
    when: str  # 'present': report each match; 'absent': report a stage with none


@dataclass(frozen=True, slots=True)
class ComposeMatch:
    path: tuple[str, ...]  # keys, '*' for any key or item
    when: str
    value: re.Pattern[str] | None
    value_not: re.Pattern[str] | None
    value_not_in: str | None  # a list option of the rule
    normalize: str | None  # 'image-registry': the value is an image, compare its registry


@dataclass(frozen=True, slots=True)
class RuleSpec:
    code: str
    name: str
    severity: str
    factors: tuple[str, ...]
    aliases: Mapping[str, tuple[str, ...]]
    enabled: bool
    status: str
    options: Mapping[str, Any]
    message: str
    hint: str | None
    docs: str
    match: DockerfileMatch | ComposeMatch
    pack: str  # the pack file


class _Where:
    """Names the place of a problem: ``policy.yaml: rule DF901: match.dockerfile.stage: …``."""

    def __init__(self, pack: str, rule: str | None = None):
        self.pack, self.rule = pack, rule

    def error(self, field: str, problem: str) -> PackError:
        rule = f" rule {self.rule}:" if self.rule else ""
        return PackError(f"{self.pack}:{rule} {field}: {problem}")

    def mapping(self, value: Any, field: str, allowed: set[str]) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.error(field, "must be a mapping")
        unknown = sorted(set(map(str, value)) - allowed)
        if unknown:
            raise self.error(field, f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}")
        return value

    def text(self, value: Any, field: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.error(field, "must be a non-empty string")
        return value

    def strings(self, value: Any, field: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
            booleans = isinstance(value, bool) or (isinstance(value, list) and any(isinstance(i, bool) for i in value))
            quote = " (quote yes, no, on and off: YAML reads them as true and false)" if booleans else ""
            raise self.error(field, f"must be a string or a list of strings{quote}")
        return tuple(value)

    def choice(self, value: Any, field: str, choices: tuple[str, ...], default: str) -> str:
        value = default if value is None else value
        if value not in choices:
            raise self.error(field, f"must be one of {', '.join(choices)}, not {value!r}")
        return value

    def regex(self, value: Any, field: str) -> re.Pattern[str] | None:
        if value is None:
            return None
        try:
            return re.compile(self.text(value, field))
        except re.error as error:
            raise self.error(field, f"is not a valid regular expression: {error}") from None


def read_pack(data: Any, pack: str) -> list[RuleSpec]:
    """The rules of one pack file's parsed YAML."""
    where = _Where(pack)
    top = where.mapping(data, "the pack", {"pack", "description", "rules"})
    rules = top.get("rules")
    if not isinstance(rules, list) or not rules:
        raise where.error("rules", "must be a non-empty list of rules")
    specs = [_rule(entry, pack, index) for index, entry in enumerate(rules)]
    seen: set[str] = set()
    for spec in specs:
        for key in (spec.code, spec.name):
            if key in seen:
                raise _Where(pack, spec.code).error("code" if key == spec.code else "name", f"{key} is used twice in the pack")
            seen.add(key)
    return specs


def _rule(entry: Any, pack: str, index: int) -> RuleSpec:
    code = entry.get("code") if isinstance(entry, Mapping) else None
    where = _Where(pack, str(code) if code else f"#{index + 1}")
    entry = where.mapping(entry, "the rule", _RULE_KEYS)
    for required in ("code", "name", "severity", "message", "docs", "match"):
        if required not in entry:
            raise where.error(required, "is required")
    options = entry.get("options") or {}
    if not isinstance(options, Mapping):
        raise where.error("options", "must be a mapping of option names to default values")
    match_block = where.mapping(entry["match"], "match", {"dockerfile", "compose"})
    if len(match_block) != 1:
        raise where.error("match", "must hold exactly one of dockerfile or compose")
    target = next(iter(match_block))
    match = _dockerfile(match_block[target], where) if target == "dockerfile" \
        else _compose(match_block[target], where, options)
    prefix = {"dockerfile": "DF", "compose": "DC"}[target]
    if not str(code).startswith(prefix):
        raise where.error("code", f"a match.{target} rule needs a {prefix} code, not {code!r}")
    message = where.text(entry["message"], "message")
    _check_placeholders(message, target, where, "message")
    hint = entry.get("hint")
    if hint is not None:
        _check_placeholders(where.text(hint, "hint"), target, where, "hint")
    severity = where.choice(entry["severity"], "severity", SEVERITIES, "")
    factors = where.strings(entry.get("factors"), "factors")
    if any(factor not in FACTORS for factor in factors):
        raise where.error("factors", "must be roman numerals I to XII")
    aliases = entry.get("aliases") or {}
    if not isinstance(aliases, Mapping):
        raise where.error("aliases", "must map a tool to a list of names")
    enabled = entry.get("enabled", True)
    if not isinstance(enabled, bool):
        raise where.error("enabled", "must be true or false")
    return RuleSpec(
        code=str(code), name=where.text(entry["name"], "name"), severity=severity, factors=factors,
        aliases={str(tool): where.strings(names, f"aliases.{tool}") for tool, names in aliases.items()},
        enabled=enabled, status=str(entry.get("status", "stable")), options=dict(options),
        message=message, hint=hint, docs=where.text(entry["docs"], "docs"), match=match, pack=pack,
    )


def _check_placeholders(text: str, target: str, where: _Where, field: str) -> None:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as error:
        raise where.error(field, f"bad placeholder: {error}") from None
    unknown = sorted(names - set(_FIELDS[target]))
    if unknown:
        raise where.error(field, f"unknown placeholder(s) {', '.join('{' + n + '}' for n in unknown)}; "
                                 f"a {target} rule knows {', '.join('{' + n + '}' for n in _FIELDS[target])}")


def _dockerfile(value: Any, where: _Where) -> DockerfileMatch:
    field = "match.dockerfile"
    block = where.mapping(value, field, _DOCKERFILE_KEYS)
    keywords = frozenset(keyword.upper() for keyword in where.strings(block.get("instruction"), f"{field}.instruction"))
    command = None
    if "command" in block:
        command = _command(block["command"], where)
        if keywords - {"RUN"}:
            raise where.error(f"{field}.command", "matches RUN commands; instruction must be RUN or left out")
        keywords = frozenset({"RUN"})
    flags_block = block.get("flags") or {}
    if not isinstance(flags_block, Mapping):
        raise where.error(f"{field}.flags", "must map a flag name to present, absent or a value regex")
    flags = tuple((str(name), state if state in _FLAG_STATES else where.regex(state, f"{field}.flags.{name}").pattern)
                  for name, state in flags_block.items())
    when = where.choice(block.get("when"), f"{field}.when", WHEN, "present")
    if when == "absent" and command is None and not keywords:
        raise where.error(f"{field}.when", "absent needs an instruction or a command to look for")
    return DockerfileMatch(keywords, where.choice(block.get("stage"), f"{field}.stage", STAGE_SCOPES, "any"), flags,
                           where.regex(block.get("arguments"), f"{field}.arguments"),
                           where.regex(block.get("arguments_not"), f"{field}.arguments_not"), command, when)


def _command(value: Any, where: _Where) -> CommandMatch:
    field = "match.dockerfile.command"
    block = where.mapping(value, field, _COMMAND_KEYS)
    names = where.strings(block.get("name"), f"{field}.name")
    if not names:
        raise where.error(f"{field}.name", "is required: the command(s) to match")
    options = {key: where.strings(block.get(key), f"{field}.{key}") for key in ("option_present", "option_absent")}
    for key, names_given in options.items():
        dashed = [name for name in names_given if name.startswith("-")]
        if dashed:
            raise where.error(f"{field}.{key}", f"name options without dashes ('retry', not '--retry'): {', '.join(dashed)}")
    return CommandMatch(frozenset(names), frozenset(where.strings(block.get("subcommand"), f"{field}.subcommand")),
                        options["option_present"], options["option_absent"],
                        where.regex(block.get("argument"), f"{field}.argument"))


def _compose(value: Any, where: _Where, options: Mapping[str, Any]) -> ComposeMatch:
    field = "match.compose"
    block = where.mapping(value, field, _COMPOSE_KEYS)
    path = tuple(where.text(block.get("path"), f"{field}.path").split("."))
    if any(not step for step in path):
        raise where.error(f"{field}.path", "has an empty step; write keys separated by dots, * for any")
    listed = block.get("value_not_in")
    if listed is not None and not isinstance(options.get(listed), list):
        raise where.error(f"{field}.value_not_in", f"names {listed!r}, which must be a list option of the rule")
    when = where.choice(block.get("when"), f"{field}.when", WHEN, "present")
    value_tests = {"value", "value_not", "value_not_in"} & set(block)
    if when == "absent" and value_tests:
        raise where.error(f"{field}.when", f"absent cannot be combined with {', '.join(sorted(value_tests))}")
    if when == "absent" and path[-1] == "*":
        raise where.error(f"{field}.path", "with when: absent, end the path with the key that must be there, not *")
    normalize = block.get("normalize")
    if normalize is not None:
        where.choice(normalize, f"{field}.normalize", NORMALIZERS, "")
    return ComposeMatch(path, when, where.regex(block.get("value"), f"{field}.value"),
                        where.regex(block.get("value_not"), f"{field}.value_not"), listed, normalize)
