"""The console script's quick path for ``twelvecheck lint`` (no click): it takes only the
command lines it can run exactly as the click command line does, and then prints and exits
the same."""

from __future__ import annotations

import subprocess
import sys

import pytest

from twelvecheck.launch import quick_lint_options

DOCKERFILE = "FROM python:3.12\nRUN cd /app && pip install flask\nENV A b\nCMD python app.py\n"
COMPOSE = "services:\n  web:\n    image: nginx\n    privileged: true\n"


def _run(entry: str, args: list[str], cwd) -> tuple[int, str, str]:
    code = f"import sys; sys.argv[0] = 'twelvecheck'; from {entry} import main; main()"
    result = subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True)
    return result.returncode, result.stdout, result.stderr


@pytest.mark.parametrize("args", [
    ["lint", "Dockerfile"],
    ["lint", "--fail-on", "never", "--format", "json", "Dockerfile"],
    ["lint", "--ignore=shellcheck", "--select", "DF,SH", "Dockerfile", "compose.yaml"],
    ["lint", "--format", "text", "--format", "sarif", "--no-color", "--show-source", "."],
    ["lint", "--ignore", "DF0012", "Dockerfile"],  # unknown selector: configuration error, exit 2
    ["lint", "--warning", "DF040", "--require-reason", "--no-config", "Dockerfile"],
    ["lint", "missing/Dockerfile"],
    ["lint"],
])
def test_the_quick_path_prints_and_exits_as_click_does(tmp_path, args):
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    (tmp_path / "compose.yaml").write_text(COMPOSE)
    assert quick_lint_options(args) is not None  # the quick path takes this command line
    quick = _run("twelvecheck.launch", args, tmp_path)
    assert quick == _run("twelvecheck.cli", args, tmp_path)
    assert quick[0] in (0, 1, 2) and (quick[1] or quick[2])


@pytest.mark.parametrize("args", [
    [], ["--version"], ["rules"], ["lint", "--help"], ["lint", "--fix", "Dockerfile"], ["lint", "-o", "x.json"],
    ["lint", "-"], ["lint", "--", "Dockerfile"], ["lint", "--fail-on", "bogus"], ["lint", "--fail-on"],
    ["lint", "--no-color=yes"], ["lint", "--ignore", "-x"], ["lint", "-j", "2"], ["lint", "--config", "."],
    ["audit", "."],
])
def test_everything_else_goes_to_click(args):
    assert quick_lint_options(args) is None


def test_a_refused_value_gets_clicks_usage_error(tmp_path):
    code, out, err = _run("twelvecheck.launch", ["lint", "--fail-on", "bogus", "Dockerfile"], tmp_path)
    assert code == 2 and "Invalid value for '--fail-on'" in err


def test_the_quick_paths_options_are_the_click_commands():
    """Same keyword, arity, choices and defaults as ``twelvecheck.cli``'s ``lint``: a change
    there that the quick path does not follow fails here."""
    import click

    from twelvecheck import launch
    from twelvecheck.cli import lint

    params = {param.name: param for param in lint.params}
    _, defaults = quick_lint_options(["lint"])
    explicit = {"paths", "fix", "unsafe_fixes", "show_diff", "fix_only", "stdin_filename"}  # lint's own arguments
    passed = lint.make_context("lint", []).params  # what click passes lint when nothing is given
    assert defaults == {name: value for name, value in passed.items() if name not in explicit}
    for option, (keyword, kind) in launch._OPTIONS.items():
        param = params[keyword]
        assert option in param.opts
        assert kind == ("flag" if param.is_flag else "many" if param.multiple else "one"), option
        if isinstance(param.type, click.Choice):
            assert tuple(param.type.choices) == launch._CHOICES[keyword]
        elif kind != "flag":
            assert keyword not in launch._CHOICES and isinstance(param.type, (click.types.StringParamType, click.Path))
