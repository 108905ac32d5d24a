"""What the commands share, without click: load the configuration, make the report, print it,
exit with the contract's code.

``twelvecheck.cli`` (click) and ``twelvecheck.launch`` (the console script's quick path for a
plain ``twelvecheck lint FILES``) both end here, so the two paths print and exit alike.
"""

from __future__ import annotations

import os
import sys

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
_ANSI = None  # click's pattern of the style codes it strips from output that is not a terminal


def echo(message: str, err: bool = False, nl: bool = True) -> None:
    """What ``click.echo`` does with text on Linux: write, flush, and drop ANSI style codes
    when the stream is not a terminal."""
    global _ANSI
    stream = sys.stderr if err else sys.stdout
    if stream is None:
        return
    out = message + "\n" if nl else message
    if not out:
        stream.flush()
        return
    if "\033" in out and not _isatty(stream):
        if _ANSI is None:
            import re

            _ANSI = re.compile(r"\033\[[;?0-9]*[a-zA-Z]")
        out = _ANSI.sub("", out)
    stream.write(out)
    stream.flush()


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except Exception:
        return False


def split(values: tuple[str, ...]) -> list[str]:
    """Repeatable, comma-separated option values as one list."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def config_start(paths) -> str | None:
    """Where the configuration search starts: the linted paths' common directory."""
    folders = [os.path.abspath(p if os.path.isdir(p) else os.path.dirname(p) or ".") for p in paths if os.path.exists(p)]
    return os.path.commonpath(folders) if folders else None


def default_format() -> str:
    """Annotations when running as a GitHub Actions step (the runner sets GITHUB_ACTIONS=true)."""
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def report_and_exit(make_report, config_file, select, ignore, fail_on, jobs, formats, outputs, baseline, no_color,
                    no_config=False, severity_error=(), severity_warning=(), severity_info=(), severity_style=(),
                    trusted_registries=(), required_labels=(), strict_labels=False, disable_ignore_pragma=False,
                    require_reason=False, start=None, show_source=False):
    """What lint and audit share: load the configuration (searched from ``start``, the linted
    files' directory or the audited root), make the report, drop baselined findings, write
    every requested format (``formats``: already paired with ``outputs``), exit with the
    contract's code."""
    from pathlib import Path

    from twelvecheck.config import CommandLine, ConfigError, load_config

    habits = CommandLine(
        severities={"error": tuple(split(severity_error)), "warning": tuple(split(severity_warning)),
                    "info": tuple(split(severity_info)), "style": tuple(split(severity_style))},
        trusted_registries=tuple(split(trusted_registries)), required_labels=tuple(required_labels),
        strict_labels=strict_labels, disable_ignore_pragma=disable_ignore_pragma, require_reason=require_reason)
    try:
        config = load_config(config_file, cwd=Path(os.path.abspath(start)) if start else None, select=split(select),
                             ignore=split(ignore), fail_on=fail_on, jobs=jobs, no_config=no_config, options=habits)
        report = make_report(config)
        if baseline:
            from twelvecheck.baseline import apply_baseline

            report = apply_baseline(report, baseline)
    except ConfigError as error:
        echo(f"twelvecheck: configuration error: {error}", err=True)
        sys.exit(EXIT_ERROR)
    report.show_source = show_source
    for notice in report.notices:
        echo(f"twelvecheck: {notice.message}" + (f" ({notice.hint})" if notice.hint else ""), err=True)
    emit(report, formats, outputs, no_color)
    sys.exit(EXIT_FINDINGS if report.fails(config.fail_on) else EXIT_OK)


def emit(report, formats, outputs, no_color) -> None:
    """Each format goes to its paired -o FILE, or to standard output when there is none."""
    from twelvecheck.report import render
    from twelvecheck.results import workspace

    report = report.relative_to(workspace())  # one path base for every format
    for fmt, output in zip(formats, outputs or [None] * len(formats)):
        text = render(report, fmt, color=output is None and not no_color and sys.stdout.isatty())
        if output is None:
            echo(text, nl=False)
        else:
            from twelvecheck.outputs import OutputError
            from twelvecheck.report import write_atomic

            try:
                write_atomic(output, text)
            except OutputError as error:
                echo(f"twelvecheck: {error}", err=True)
                sys.exit(EXIT_ERROR)
