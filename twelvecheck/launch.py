"""The console script: a plain ``twelvecheck lint FILES`` (a pre-commit hook's call) without click.

Importing click and building the command line's ~100 options costs about 20 ms, a fifth of
linting one Dockerfile. The quick path reads only ``lint`` with paths and the options a hook
passes (below), in the forms click accepts (``--opt VALUE``, ``--opt=VALUE``, flags alone),
and runs exactly what ``twelvecheck.cli``'s ``lint`` runs for them (``twelvecheck.command``).
Anything else (another command, ``--help``, ``--fix``, ``-o``, ``-``, ``--``, a value click
would refuse, a path click would refuse) goes to the click command line unchanged, which
parses, reports usage errors and runs as it always did.
"""

from __future__ import annotations

import os
import sys

# option -> (keyword, kind): "one" takes a value (the last one given wins), "many" a repeatable
# value, "flag" none; choices are checked here and anything else is left to click.
_OPTIONS = {
    "--config": ("config_file", "one"),
    "--select": ("select", "many"),
    "--ignore": ("ignore", "many"),
    "--fail-on": ("fail_on", "one"),
    "--no-config": ("no_config", "flag"),
    "--error": ("severity_error", "many"),
    "--warning": ("severity_warning", "many"),
    "--info": ("severity_info", "many"),
    "--style": ("severity_style", "many"),
    "--trusted-registry": ("trusted_registries", "many"),
    "--require-label": ("required_labels", "many"),
    "--strict-labels": ("strict_labels", "flag"),
    "--disable-ignore-pragma": ("disable_ignore_pragma", "flag"),
    "--require-reason": ("require_reason", "flag"),
    "--format": ("formats", "many"),
    "--no-color": ("no_color", "flag"),
    "--show-source": ("show_source", "flag"),
}
_CHOICES = {
    "fail_on": ("error", "warning", "info", "style", "never"),
    "formats": ("text", "json", "sarif", "html", "github", "gitlab", "junit", "checkstyle"),
}


def quick_lint_options(args: list[str]) -> tuple[list[str], dict] | None:
    """(paths, the ``lint`` options click would pass) for a command line the quick path takes,
    else None."""
    if not args or args[0] != "lint":
        return None
    options: dict = {"config_file": None, "select": (), "ignore": (), "fail_on": None, "jobs": None, "no_config": False,
                     "severity_error": (), "severity_warning": (), "severity_info": (), "severity_style": (),
                     "trusted_registries": (), "required_labels": (), "strict_labels": False,
                     "disable_ignore_pragma": False, "require_reason": False, "formats": (), "outputs": (),
                     "baseline": None, "no_color": False, "show_source": False}
    paths: list[str] = []
    rest = args[1:]
    index = 0
    while index < len(rest):
        arg = rest[index]
        index += 1
        if not arg.startswith("-"):
            paths.append(arg)
            continue
        name, equals, value = arg.partition("=")
        known = _OPTIONS.get(name)
        if known is None:
            return None
        keyword, kind = known
        if kind == "flag":
            if equals:
                return None
            options[keyword] = True
            continue
        if not equals:
            if index >= len(rest) or rest[index].startswith("-"):
                return None
            value = rest[index]
            index += 1
        if keyword in _CHOICES and value not in _CHOICES[keyword]:
            return None
        options[keyword] = (*options[keyword], value) if kind == "many" else value
    if not all(_readable_or_missing(path, directory_ok=True) for path in paths):
        return None
    if options["config_file"] is not None and not _readable_or_missing(options["config_file"], directory_ok=False):
        return None
    return paths, options


def _readable_or_missing(path: str, directory_ok: bool) -> bool:
    """What ``click.Path(dir_okay=...)`` accepts without a message: a missing path, or an
    existing readable one (not a directory unless ``directory_ok``)."""
    if not path:
        return False
    try:
        st = os.stat(path)
    except OSError:
        return True
    except ValueError:  # an embedded NUL: click's message
        return False
    import stat

    if not directory_ok and stat.S_ISDIR(st.st_mode):
        return False
    return os.access(path, os.R_OK)


def _streams_as_click_expects() -> bool:
    """click re-wraps a standard stream whose encoding is ASCII; leave such runs to it."""
    import codecs

    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) if stream is not None else None
        if not encoding:
            return False
        try:
            if codecs.lookup(encoding).name == "ascii":
                return False
        except LookupError:
            return False
    return True


def main() -> None:
    args = sys.argv[1:]
    parsed = None if os.environ.get("_TWELVECHECK_COMPLETE") else quick_lint_options(args)
    if parsed is None or not _streams_as_click_expects():
        from twelvecheck.cli import main as click_main

        click_main()
        return
    paths, options = parsed
    _quick_lint(paths or ["."], options)


def _quick_lint(paths: list[str], options: dict) -> None:
    """``twelvecheck lint`` as ``twelvecheck.cli`` runs it, with click's handling of what
    escapes the command: an internal error is exit 2 with one line, Ctrl-C is 'Aborted!'."""
    from twelvecheck.command import EXIT_ERROR, config_start, default_format, echo, report_and_exit
    from twelvecheck.dataclass_cache import install

    install()
    try:
        def make_report(config):
            from twelvecheck.engine import lint as run_lint

            return run_lint(paths, config)

        options["formats"] = list(options["formats"]) or [default_format()]
        report_and_exit(make_report, start=config_start(paths), **options)
    except KeyboardInterrupt:
        echo("", err=True)
        echo("Aborted!", err=True)
        sys.exit(1)
    except Exception as error:
        if os.environ.get("TWELVECHECK_DEBUG"):
            raise
        echo(f"twelvecheck: internal error: {type(error).__name__}: {error} "
             "(set TWELVECHECK_DEBUG=1 for a traceback, and please report it)", err=True)
        sys.exit(EXIT_ERROR)
