"""Whatever the input, the compose parsers return values and errors; they never raise."""

from hypothesis import given, settings
from hypothesis import strategies as st

from twelvecheck.parse.compose import parse_dotenv, parse_yaml_bytes, parse_yaml_text, substitute

YAMLISH = st.text(alphabet=st.sampled_from(list("ab:-[]{}&*<!$# \n'\",|>?~01")), max_size=80)


@settings(max_examples=300, deadline=None)
@given(YAMLISH)
def test_yaml_text_never_raises(text):
    document = parse_yaml_text(text, "f.yaml")
    assert (document.root is None) == bool(document.errors)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=60))
def test_yaml_bytes_never_raise(data):
    parse_yaml_bytes(data, "f.yaml")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("${}:-+?AB_ 1x")), max_size=30))
def test_substitute_never_raises(template):
    result = substitute(template, {"A": "1", "B": ""})
    assert all(0 <= ref.start < ref.end <= len(template) for ref in result.references)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("AB=#'\" \n\\$x{}export")), max_size=60))
def test_dotenv_never_raises(text):
    parse_dotenv(text, ".env", {})
