"""Shared by the label rules: the LABEL pairs of a file, the configured schema and its value types.

The schema comes from the ``label_schema`` setting (hadolint's ``label-schema``): a label name
mapped to one of hadolint's types ``text``, ``url``, ``semver``, ``hash``, ``rfc3339``, ``spdx``,
``email``. Values that use a variable without a known value are not judged: the build decides them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from twelvecheck.findings import Finding
from twelvecheck.parse.model import Instruction, Span
from twelvecheck.rules.base import InstructionRule
from twelvecheck.rules.context import env_pairs
from twelvecheck.rules.dockerfile._variables import is_unknown
from twelvecheck.lazy_re import lazy_compile

LABEL_TYPES = ("text", "url", "semver", "hash", "rfc3339", "spdx", "email")


@dataclass(frozen=True, slots=True)
class Label:
    key: str
    value: str
    unknown: bool  # the value uses a variable with no known value
    span: Span


def labels(ctx, instruction: Instruction) -> Iterator[Label]:
    for raw_key, raw_value in env_pairs(instruction):
        key = ctx.expansion(raw_key, instruction)
        value = ctx.expansion(raw_value, instruction)
        unknown = is_unknown(ctx, instruction, key) or is_unknown(ctx, instruction, value)
        yield Label(key.value, value.value, unknown, instruction.span)


def schema(rule) -> dict[str, str]:
    return {str(name): str(kind).lower() for name, kind in dict(rule.config.get("label_schema") or {}).items()}


class TypedLabelRule(InstructionRule):
    """Base of the rules that check a label's value against its schema type."""

    label_type: ClassVar[str]
    expected: ClassVar[str]  # what a valid value is, for the message
    keywords = frozenset({"LABEL"})
    options = {"label_schema": {}}

    def valid(self, value: str) -> bool:
        raise NotImplementedError

    def check_instruction(self, ctx, instruction) -> Iterator[Finding]:
        typed = {name for name, kind in schema(self).items() if kind == self.label_type}
        for label in labels(ctx, instruction):
            if label.key in typed and not label.unknown and label.value and not self.valid(label.value):
                yield Finding(label.span, f"label {label.key}={label.value!r} is not {self.expected}",
                              hint=f"the label schema types {label.key} as {self.label_type}")


_SCHEME = lazy_compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def is_url(value: str) -> bool:
    """An absolute URI (RFC 3986): a scheme, no spaces; web URLs need a host."""
    from urllib.parse import urlsplit

    if not _SCHEME.match(value) or any(char.isspace() or char in '<>"{}|^`' for char in value):
        return False
    parts = urlsplit(value)
    return bool(parts.netloc) if parts.scheme.lower() in ("http", "https", "ftp", "git", "ssh") else True


_RFC3339 = lazy_compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def is_rfc3339(value: str) -> bool:
    if not _RFC3339.match(value):
        return False
    normalised = value.replace("t", "T").replace(" ", "T").replace("z", "Z").replace("Z", "+00:00")
    try:
        datetime.fromisoformat(normalised)
    except ValueError:
        return False
    return True


_SEMVER = lazy_compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)


def is_semver(value: str) -> bool:
    return _SEMVER.match(value) is not None


_HASH = lazy_compile(r"^[0-9a-f]{7,40}$|^[0-9a-f]{64}$")


def is_git_hash(value: str) -> bool:
    """A full SHA-1 or SHA-256 object name, or an abbreviation of at least 7 digits."""
    return _HASH.match(value) is not None


def is_spdx(value: str) -> bool:
    """A valid SPDX license expression (``MIT``, ``Apache-2.0 OR MIT``, ``LicenseRef-x``)."""
    from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

    try:
        canonicalize_license_expression(value)
    except InvalidLicenseExpression:
        return False
    return True


_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_EMAIL = lazy_compile(
    rf"^{_ATOM}(?:\.{_ATOM})*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{{0,61}}[A-Za-z0-9])?\.)*"
    rf"[A-Za-z0-9](?:[A-Za-z0-9-]{{0,61}}[A-Za-z0-9])?$|^{_ATOM}(?:\.{_ATOM})*@\[[0-9.:A-Fa-f]+\]$"
)


def is_email(value: str) -> bool:
    return _EMAIL.match(value) is not None
