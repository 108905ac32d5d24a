"""Variable expansion with BuildKit's rules."""

import pytest

from twelvecheck.parse.expand import expand, expand_words

ENV = {"A": "alpha", "EMPTY": "", "PATHV": "/usr/local/bin/python"}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("$A", "alpha"),
        ("${A}-x", "alpha-x"),
        ("${UNSET:-d}", "d"),
        ("${EMPTY:-d}", "d"),
        ("${EMPTY-d}", ""),
        ("${A:+r}", "r"),
        ("${UNSET:+r}", ""),
        ("'$A'", "$A"),
        ('"$A b"', "alpha b"),
        ("\\$A", "$A"),
        ("${PATHV##*/}", "python"),
        ("${PATHV%/*}", "/usr/local/bin"),
        ("${A/l/L}", "aLpha"),
        ("${UNSET:-${A}}", "alpha"),
    ],
)
def test_expansion(text, value):
    assert expand(text, ENV).value == value


def test_missing_variables_are_reported():
    result = expand("$UNSET ${A} ${OTHER:-x}", ENV)
    assert result.missing == {"UNSET"}
    assert result.used == {"UNSET", "A", "OTHER"}


def test_words():
    assert expand_words('a "b c" $A', ENV) == ["a", "b c", "alpha"]
