"""``json.dumps(value, indent=2, ensure_ascii=False)``, the same text, faster on big reports.

The standard library writes indented JSON with its pure-Python encoder (its C encoder only does
compact output): a report of 500k findings spends seconds there. This writer walks the plain
values a report holds (dicts with string keys, lists, tuples, strings, numbers, booleans, None)
and escapes strings with the standard library's own C function; anything else is left to
``json.dumps`` whole, so the text is always exactly what ``json.dumps`` gives.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any


class _Unusual(Exception):
    """A value outside the plain shapes: the standard encoder decides."""


def dumps_indented(value: Any) -> str:
    try:
        out: list[str] = []
        _write(value, "\n", out)
        return "".join(out)
    except (_Unusual, RecursionError):
        return json.dumps(value, indent=2, ensure_ascii=False)


def _write(value: Any, newline: str, out: list[str]) -> None:
    """Append ``value``'s text; ``newline`` is a line break plus the current indentation."""
    kind = type(value)
    if kind is str:
        out.append(encode_basestring(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif kind is int:
        out.append(int.__repr__(value))
    elif kind is dict:
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        first = True
        for key, item in value.items():
            if type(key) is not str:
                raise _Unusual
            out.append(("{" if first else ",") + inner + encode_basestring(key) + ": ")
            first = False
            _write(item, inner, out)
        out.append(newline + "}")
    elif kind is list or kind is tuple:
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        first = True
        for item in value:
            out.append(("[" if first else ",") + inner)
            first = False
            _write(item, inner, out)
        out.append(newline + "]")
    else:
        raise _Unusual  # floats (NaN, Infinity), subclasses, objects: the standard encoder's rules
