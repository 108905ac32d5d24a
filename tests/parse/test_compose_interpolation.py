"""Interpolation as the compose specification describes it, and compose's dotenv syntax."""

import pytest

from twelvecheck.parse.compose import interpolate_tree, parse_dotenv, parse_yaml_text, substitute
from twelvecheck.parse.model import Span

ENV = {"SET": "value", "EMPTY": ""}


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("$SET", "value"),
        ("${SET}", "value"),
        ("pre-${SET}-post", "pre-value-post"),
        ("$SET/$SET", "value/value"),
        ("${UNSET}", ""),
        ("$UNSET", ""),
        # :- defaults when unset or empty; - only when unset
        ("${UNSET:-d}", "d"),
        ("${EMPTY:-d}", "d"),
        ("${SET:-d}", "value"),
        ("${UNSET-d}", "d"),
        ("${EMPTY-d}", ""),
        # :+ replaces when set and non-empty; + whenever set
        ("${SET:+r}", "r"),
        ("${EMPTY:+r}", ""),
        ("${UNSET:+r}", ""),
        ("${EMPTY+r}", "r"),
        ("${UNSET+r}", ""),
        # ? accepts empty; :? does not (the non-failing halves)
        ("${EMPTY?e}", ""),
        ("${SET:?e}", "value"),
        # $$ is a literal dollar, never a variable
        ("$$SET", "$SET"),
        ("$${SET}", "${SET}"),
        ("cost: 5$", "cost: 5$"),
        ("echo $(date) $1", "echo $(date) $1"),
        # nested defaults and defaults that use variables
        ("${UNSET:-${ALSO_UNSET:-x}}", "x"),
        ("${UNSET:-${SET}}", "value"),
        ("${UNSET:-a-${SET}-b}", "a-value-b"),
        ("${UNSET:-with:colon}", "with:colon"),
        ("${UNSET:-}", ""),
    ],
)
def test_substitution(template, expected):
    result = substitute(template, ENV)
    assert result.error is None
    assert result.value == expected


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("${UNSET:?must be set}", "required variable UNSET is missing a value: must be set"),
        ("${EMPTY:?no empty}", "required variable EMPTY is missing a value: no empty"),
        ("${UNSET?gone}", "required variable UNSET is missing a value: gone"),
        ("${UNSET:-${NESTED:?inner}}", "required variable NESTED is missing a value: inner"),
        ("${}", "invalid template"),
        ("${1X}", "invalid template"),
        ("${SET", "invalid template"),
        ("${SET%x}", "invalid template"),
    ],
)
def test_substitution_errors(template, message):
    assert message in substitute(template, ENV).error


def test_references_record_default_and_required():
    refs = substitute("${A:-x} ${B:?e} $C ${D+r}", {"B": "1"}).references
    assert [(r.name, r.has_default, r.required, r.defined) for r in refs] == [
        ("A", True, False, False), ("B", False, True, True),
        ("C", False, False, False), ("D", True, False, False),
    ]


def interpolated(text, env):
    document = parse_yaml_text(text, "compose.yaml")
    return interpolate_tree(document.root, env, document.text)


def test_tree_interpolates_values_not_keys_and_places_references():
    result = interpolated(
        "services:\n  ${SVC}:\n    image: \"app:${TAG:-latest}\"\n    command: echo $$HOME\n",
        {"SVC": "x"},
    )
    assert result.root.plain() == {"services": {"${SVC}": {"image": "app:latest",
                                                            "command": "echo $HOME"}}}
    (ref,) = result.variables
    assert (ref.name, ref.has_default, ref.span) == ("TAG", True, Span(3, 17, 3, 31))
    assert result.root.at("services", "${SVC}", "image").raw == "app:${TAG:-latest}"


def test_missing_required_variable_is_an_error_at_the_value():
    result = interpolated("services:\n  web:\n    image: ${IMAGE:?set IMAGE}\n", {})
    (error,) = result.errors
    assert error.span.line == 3 and error.span.column == 12
    assert "services.web.image: required variable IMAGE is missing a value: set IMAGE" in error.message


def test_typed_fields_are_cast_after_substitution():
    result = interpolated(
        "services:\n  web:\n    privileged: ${P:-false}\n    deploy:\n      replicas: ${N}\n"
        "    environment:\n      N: ${N}\n",
        {"N": "3"},
    )
    web = result.root.at("services", "web")
    assert web.get("privileged").value is False
    assert web.at("deploy", "replicas").value == 3
    assert web.at("environment", "N").value == "3"


DOTENV = """\
# comment line
PLAIN=value
export EXPORTED=yes
SPACED = padded value   
INLINE=abc # comment
HASH=abc#def
SINGLE='literal $PLAIN # not a comment'
DOUBLE="line\\nbreak \\"quoted\\" $PLAIN"
MULTI="first
second"
EXPANDED=${PLAIN}-${MISSING:-dflt}
EMPTY=
FROM_SHELL
NOT_IN_SHELL
"""


def test_dotenv_syntax():
    dotenv = parse_dotenv(DOTENV, ".env", {"FROM_SHELL": "shell"})
    assert dotenv.errors == ()
    assert dotenv.as_dict() == {
        "PLAIN": "value", "EXPORTED": "yes", "SPACED": "padded value", "INLINE": "abc",
        "HASH": "abc#def", "SINGLE": "literal $PLAIN # not a comment",
        "DOUBLE": 'line\nbreak "quoted" value', "MULTI": "first\nsecond",
        "EXPANDED": "value-dflt", "EMPTY": "", "FROM_SHELL": "shell",
    }
    entries = {entry.name: entry for entry in dotenv.entries}
    assert entries["NOT_IN_SHELL"].value is None
    assert entries["EXPORTED"].span.line == 3 and entries["EXPORTED"].span.column == 8
    assert entries["EXPANDED"].span.line == 11


def test_dotenv_unterminated_quote_is_an_error():
    dotenv = parse_dotenv('A="open\nB=1\n', ".env", {})
    assert "unterminated" in dotenv.errors[0].message and dotenv.errors[0].span.line == 1
