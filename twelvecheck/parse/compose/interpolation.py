"""Variable substitution in compose values, with compose-go's semantics.

``$$`` is a literal dollar; ``$NAME`` and ``${NAME}`` expand (unset gives an empty string);
``${NAME:-d}`` / ``${NAME-d}`` default when unset-or-empty / unset; ``${NAME:?e}`` /
``${NAME?e}`` fail when unset-or-empty / unset; ``${NAME:+r}`` / ``${NAME+r}`` give ``r`` when
set-and-non-empty / set.  The text after the operator is itself interpolated, and like compose-go
it is interpolated even when not used, so a nested required variable fails either way.  A ``$``
followed by anything else (``$(date)``, ``$1``, a trailing ``$``) stays literal, as in compose-go
v2; a ``${`` that is not a valid braced form (``${}``, ``${1}``, no ``}``) is an invalid template.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping
from twelvecheck.lazy_re import lazy_compile

_NAME = lazy_compile(r"[_a-zA-Z][_a-zA-Z0-9]*")
# Longest operators first, so ':-' is not read as ':' followed by '-'.
_OPERATORS = (":-", ":?", ":+", "-", "?", "+")


_BRACE_TOKENS = lazy_compile(r"\$\{|\}")
MAX_NESTING = 100  # ${A:-${B:-…}} deeper than this is refused, not a RecursionError

@dataclass(frozen=True, slots=True)
class Reference:
    """A variable use at ``template[start:end]``."""

    name: str
    start: int
    end: int
    has_default: bool
    required: bool
    defined: bool


@dataclass(frozen=True, slots=True)
class Substitution:
    value: str
    references: tuple[Reference, ...]
    error: str | None = None  # compose's message when the template fails


class _TemplateError(Exception):
    pass


def substitute(template: str, env: Mapping[str, str]) -> Substitution:
    references: list[Reference] = []
    if _nesting(template) > MAX_NESTING:  # refused before the recursive walk, in one scan
        return Substitution(template, (), f"invalid template: variables nested more than {MAX_NESTING} deep")
    try:
        value = _Substituter(env, references).run(template, 0, 0)
    except _TemplateError as exc:
        return Substitution(template, tuple(references), str(exc))
    return Substitution(value, tuple(references))


class _Substituter:
    def __init__(self, env: Mapping[str, str], references: list[Reference]) -> None:
        self.env = env
        self.references = references

    def run(self, template: str, offset: int, depth: int) -> str:
        """Expand ``template``; ``offset`` is where it starts in the outermost template, ``depth``
        how many ``${…:-`` it is nested in (past MAX_NESTING the template is refused)."""
        if depth > MAX_NESTING:
            raise _TemplateError(f"invalid template: variables nested more than {MAX_NESTING} deep")
        out: list[str] = []
        i = 0
        while i < len(template):
            dollar = template.find("$", i)
            if dollar < 0:
                out.append(template[i:])
                break
            out.append(template[i:dollar])
            following = template[dollar + 1 : dollar + 2]
            if following == "$":
                out.append("$")
                i = dollar + 2
            elif following == "{":
                close = _closing_brace(template, dollar)
                if close < 0:
                    raise _TemplateError(f"invalid template: {_shown(template)}")
                out.append(self._braced(template, dollar, close, offset, depth))
                i = close + 1
            else:
                name = _NAME.match(template, dollar + 1)
                if name is None:
                    out.append("$")
                    i = dollar + 1
                    continue
                out.append(self._plain(name.group(), offset + dollar, offset + name.end()))
                i = name.end()
        return "".join(out)

    def _plain(self, name: str, start: int, end: int) -> str:
        defined = name in self.env
        self.references.append(Reference(name, start, end, False, False, defined))
        return self.env.get(name, "")

    def _braced(self, template: str, dollar: int, close: int, offset: int, depth: int) -> str:
        body_start = dollar + 2
        name_match = _NAME.match(template, body_start, close)
        if name_match is None:
            raise _TemplateError(f"invalid template: {_shown(template)}")
        name = name_match.group()
        rest = template[name_match.end() : close]
        operator = next((op for op in _OPERATORS if rest.startswith(op)), None)
        if rest and operator is None:
            raise _TemplateError(f"invalid template: {_shown(template)}")
        defined = name in self.env
        reference = Reference(
            name, offset + dollar, offset + close + 1,
            has_default=operator in (":-", "-", ":+", "+"),
            required=operator in (":?", "?"),
            defined=defined,
        )
        self.references.append(reference)
        if operator is None:
            return self.env.get(name, "")
        argument_start = name_match.end() + len(operator)
        argument = self.run(template[argument_start:close], offset + argument_start, depth + 1)
        return _apply(operator, name, self.env.get(name), argument)


def _apply(operator: str, name: str, value: str | None, argument: str) -> str:
    empty = not value  # unset or empty
    if operator == ":-":
        return argument if empty else value
    if operator == "-":
        return argument if value is None else value
    if operator == ":+":
        return "" if empty else argument
    if operator == "+":
        return "" if value is None else argument
    if (operator == ":?" and empty) or (operator == "?" and value is None):
        raise _TemplateError(f"required variable {name} is missing a value: {argument}")
    return value


def _shown(template: str) -> str:
    """A template as an error message quotes it: its first line, at most 80 characters."""
    first = template.split("\n", 1)[0]
    return repr(first[:80] + ("…" if len(first) > 80 or first != template else ""))


def _nesting(template: str) -> int:
    """How deep ``${`` nest in ``template`` (unclosed ones count)."""
    if template.count("${") <= MAX_NESTING:
        return 0
    depth = deepest = 0
    for token in _BRACE_TOKENS.finditer(template):
        depth = depth + 1 if token.group() == "${" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest


def _closing_brace(template: str, dollar: int) -> int:
    """Index of the ``}`` closing the ``${`` at ``dollar``, counting nested ``${`` (a regex scan:
    a template nested thousands deep is searched at C speed)."""
    depth = 0
    for token in _BRACE_TOKENS.finditer(template, dollar):
        if token.group() == "${":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return token.start()
    return -1