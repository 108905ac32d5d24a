"""The command line: parse options, call the library, pick a reporter. Nothing else lives here."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager

import click

from twelvecheck import __version__
from twelvecheck.command import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, config_start as _config_start, default_format as _default_format
from twelvecheck.command import report_and_exit, split as _split
from twelvecheck.dataclass_cache import install as _install_dataclass_cache

_install_dataclass_cache()  # before the modules the commands import define their dataclasses

FORMATS = ("text", "json", "sarif", "html", "github", "gitlab", "junit", "checkstyle")


def _options(*options):
    """A decorator applying ``options`` in the order they are listed (as --help shows them)."""
    def apply(function):
        for option in reversed(options):
            function = option(function)
        return function
    return apply


_common = _options(
    click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Use this configuration file for every file (default: each file's nearest .twelvecheck.yaml, pyproject.toml, .hadolint.yaml)."),
    click.option("--select", multiple=True, help="Only these rules: code, prefix, name, alias or factor:III (repeatable, comma-separated)."),
    click.option("--ignore", multiple=True, help="Skip these rules (same selectors as --select)."),
    click.option("--fail-on", type=click.Choice(("error", "warning", "info", "style", "never")), help="Lowest severity that makes the exit code 1 (default: warning)."),
    click.option("-j", "--jobs", type=int, help="Parallel workers (default: CPU count for large runs)."),
    click.option("--no-config", is_flag=True, help="Ignore .twelvecheck.yaml, pyproject.toml and .hadolint.yaml files."),
    click.option("--error", "severity_error", multiple=True, metavar="CODE", help="Report this rule as an error (hadolint's flag; repeatable)."),
    click.option("--warning", "severity_warning", multiple=True, metavar="CODE", help="Report this rule as a warning."),
    click.option("--info", "severity_info", multiple=True, metavar="CODE", help="Report this rule as info."),
    click.option("--style", "severity_style", multiple=True, metavar="CODE", help="Report this rule as style."),
    click.option("--trusted-registry", "trusted_registries", multiple=True, metavar="REGISTRY",
                 help="Only these registries for FROM (repeatable; enables DF rule untrusted-registry)."),
    click.option("--require-label", "required_labels", multiple=True, metavar="LABEL:FORMAT",
                 help="The final image must set LABEL, of FORMAT (text, url, semver, rfc3339, hash, spdx, email)."),
    click.option("--strict-labels", is_flag=True, help="Report labels outside the --require-label schema."),
    click.option("--disable-ignore-pragma", is_flag=True, help="Do not honour inline ignore pragmas."),
    click.option("--require-reason", is_flag=True, help="A pragma must give its reason after '--' (TC002)."),
)

# What lint and audit share about their output; ``_report_and_exit`` consumes these options.
_output_options = _options(
    click.option("--format", "formats", multiple=True, type=click.Choice(FORMATS),
                 help="Output format (repeatable, each paired with an -o; default: text, or github under GitHub Actions)."),
    click.option("-o", "--output", "outputs", multiple=True, type=click.Path(dir_okay=False), help="Write the report to FILE (atomically)."),
    click.option("--baseline", type=click.Path(dir_okay=False),
                 help="Report only findings not in FILE; when FILE does not exist, record today's findings in it."),
    click.option("--no-color", is_flag=True, help="No ANSI colours."),
    click.option("--show-source", is_flag=True, help="Text output: print the source line under each finding."),
)


class _Group(click.Group):
    """Turns an unexpected exception into exit code 2 with a one-line message (DESIGN.md's
    contract: 2 is for usage, configuration and internal errors); TWELVECHECK_DEBUG=1 re-raises."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except Exception as error:
            import os

            if os.environ.get("TWELVECHECK_DEBUG"):
                raise
            click.echo(f"twelvecheck: internal error: {type(error).__name__}: {error} "
                       "(set TWELVECHECK_DEBUG=1 for a traceback, and please report it)", err=True)
            sys.exit(EXIT_ERROR)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="twelvecheck")
def main() -> None:
    """Lint container files for image best practices and the twelve-factor app principles."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@_common
@_output_options
@click.option("--fix", is_flag=True, help="Apply safe fixes to the files (atomically, keeping owner, mode, links), then report what remains.")
@click.option("--unsafe-fixes", is_flag=True, help="Apply unsafe fixes too (each rule's 'Fix safety' says why it is unsafe; implies --fix unless --diff).")
@click.option("--diff", "show_diff", is_flag=True, help="Print the fixes as a unified diff and write nothing; exit 1 when there is one.")
@click.option("--fix-only", "fix_only", multiple=True, metavar="CODE",
              help="Apply only these rules' fixes (repeatable, comma-separated; implies --fix unless --diff).")
@click.option("--stdin-filename", metavar="PATH", help="With '-': the name standard input stands for (its kind and configuration).")
def lint(paths, fix, unsafe_fixes, show_diff, fix_only, stdin_filename, **options):
    """Lint Dockerfiles, compose and .dockerignore files (files or directories; default: the
    current directory) and application source files named explicitly (.py, .js, .ts, .go, .java,
    .rb: checked through semgrep)."""
    paths = list(paths) or ["."]
    only = _split(fix_only) or None
    if "-" in paths and (fix or unsafe_fixes or only or show_diff):
        raise click.UsageError("standard input cannot be fixed: --fix, --diff and --fix-only take files")
    if show_diff:
        _print_diff_and_exit(paths, unsafe_fixes, only, options)

    def make_report(config):
        if fix or unsafe_fixes or only:
            from twelvecheck.fix import fix_paths

            run = fix_paths(paths, config, unsafe=unsafe_fixes, only=only)
            for path, why in run.refused:
                click.echo(f"twelvecheck: {path} {why}", err=True)
            applied = sum(run.applied.values())
            click.echo(f"twelvecheck: applied {applied} fix{'es' if applied != 1 else ''} "
                       f"in {len(run.written)} file{'s' if len(run.written) != 1 else ''}", err=True)
        from twelvecheck.engine import lint as run_lint

        if paths == ["-"]:
            return _lint_stdin(stdin_filename or "Dockerfile", config)
        return run_lint(paths, config)

    start = os.path.dirname(os.path.abspath(stdin_filename)) if stdin_filename else _config_start(paths)
    _report_and_exit(make_report, start=start, **options)


def _lint_stdin(name: str, config):
    """``twelvecheck lint -``: standard input linted as the file ``name`` (its kind comes from
    the name: ``compose.yaml``, ``.dockerignore``, default ``Dockerfile``)."""
    import tempfile
    from dataclasses import replace

    from twelvecheck.engine import lint as run_lint

    from twelvecheck.config import config_for

    # the configuration of the file the name stands for, not of the temporary copy's folder
    config = replace(config_for(config, os.path.abspath(name)), search=None)
    text = sys.stdin.buffer.read(config.max_file_bytes + 1)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, os.path.basename(name) or "Dockerfile")
        with open(path, "wb") as handle:
            handle.write(text)
        report = run_lint([path], config, root=folder)
    shown = name.replace(os.sep, "/")
    report.findings = [replace(f, file=shown if f.file == os.path.basename(path) else f.file) for f in report.findings]
    report.files = [shown]
    report.texts = {shown: text.decode("utf-8", "replace")}  # for --show-source, snippets and fingerprints
    report.root = os.getcwd()  # the name stands for a path from here; the temporary copy is gone
    return report


def _print_diff_and_exit(paths, unsafe, only, options) -> None:
    """``--diff``: the fixes as one unified diff on standard output; nothing is written."""
    from pathlib import Path

    from twelvecheck.config import ConfigError, load_config
    from twelvecheck.fix import plan_fixes

    try:
        start = _config_start(paths)
        config = load_config(options["config_file"], cwd=Path(os.path.abspath(start)) if start else None,
                             select=_split(options["select"]), ignore=_split(options["ignore"]),
                             fail_on=options["fail_on"], jobs=options["jobs"], no_config=options["no_config"])
        plans = plan_fixes(paths, config, unsafe=unsafe, only=only)
    except ConfigError as error:
        click.echo(f"twelvecheck: configuration error: {error}", err=True)
        sys.exit(EXIT_ERROR)
    changed = [plan for plan in plans if plan.changed]
    for plan in plans:
        if plan.problem:
            click.echo(f"twelvecheck: {plan.path} {plan.problem}", err=True)
    click.echo("".join(plan.diff() for plan in changed), nl=False)
    fixes = sum(sum(plan.applied.values()) for plan in changed)
    click.echo(f"twelvecheck: {fixes} fix{'es' if fixes != 1 else ''} in {len(changed)} "
               f"file{'s' if len(changed) != 1 else ''} would be applied", err=True)
    sys.exit(EXIT_FINDINGS if changed else EXIT_OK)


@main.command()
@click.argument("root", required=False, default=".", type=click.Path(exists=True, file_okay=False))
@_common
@_output_options
@click.option("--verify", "verify_images", is_flag=True,
              help="Also build and verify each Dockerfile whose bases resolve (see twelvecheck verify).")
@click.option("--base", "bases", multiple=True, metavar="NAME=oci:DIR[:TAG]|NAME=docker-archive:FILE",
              help="With --verify: where an image named after FROM comes from.")
@click.option("--network", type=click.Choice(("none", "host")), default="none", help="With --verify: network for RUN.")
@click.option("--run", "run_images", is_flag=True, help="With --verify: also start each image in the sandbox "
              "for the run-time probes (IM010-IM015).")
def audit(root, verify_images, bases, network, run_images, **options):
    """Audit a repository: every container file, repository checks, twelve-factor scorecard."""

    def make_report(config):
        from twelvecheck.repository_audit import audit as run_audit

        report = run_audit(root, config, progress=_progress_bar if sys.stderr.isatty() else None)
        if verify_images:
            from twelvecheck.verification import verify_audit

            extra = {"run": _run_options(True, None, None)} if run_images else {}
            report = verify_audit(report, config, progress=_step_progress(), bases=_pairs(bases, "--base"),
                                  network=network, **extra)
        return report

    _report_and_exit(make_report, start=root, **options)


def _report_and_exit(make_report, formats, outputs, **options):
    """``twelvecheck.command.report_and_exit``, once each -o FILE has its --format (a usage
    error should not cost an audit)."""
    report_and_exit(make_report, formats=_paired_formats(formats, outputs), outputs=outputs, **options)


PROGRESS_THRESHOLD = 50  # files; below this a run is too quick for a bar to help


def _progress_bar(total: int):
    """A per-file callback drawing a bar on stderr, or None for small trees."""
    if total < PROGRESS_THRESHOLD:
        return None
    done = [0]

    def tick(count: int) -> None:
        done[0] += count
        width = 30
        filled = width * done[0] // total
        end = "\n" if done[0] >= total else ""
        click.echo(f"\r[{'#' * filled}{'.' * (width - filled)}] {done[0]}/{total} files{end}", err=True, nl=False)

    return tick


def _paired_formats(formats, outputs) -> list[str]:
    """The formats to write: as asked, or the default; each -o FILE needs its own --format."""
    formats = list(formats) or [_default_format()]
    if outputs and len(formats) != len(outputs):
        raise click.UsageError("pair each -o FILE with one --format")
    return formats


# How `build` and `verify` make an image.
_build_options = _options(
    click.option("--target", help="Build this stage (default: the last)."),
    click.option("--build-arg", "build_args", multiple=True, metavar="NAME=VALUE"),
    click.option("--base", "bases", multiple=True,
                 metavar="NAME=oci:DIR[:TAG]|NAME=docker-archive:FILE|NAME=docker://REF",
                 help="Where an image named after FROM comes from (FROM REGISTRY/NAME:TAG pulls without it)."),
    click.option("--insecure-registry", "insecure_registries", multiple=True, metavar="HOST[:PORT]",
                 help="Pull from this registry over plain HTTP."),
    click.option("--network", type=click.Choice(("none", "host")), default="none", help="Network for RUN steps."),
    click.option("--no-cache", is_flag=True),
    click.option("--cache-dir", type=click.Path(file_okay=False)),
    click.option("--runtime", type=click.Choice(("bwrap", "runc")), help="RUN sandbox (default: bubblewrap, else runc)."),
    click.option("--secret", "secret_options", multiple=True, metavar="id=ID[,src=FILE|,env=VAR]",
                 help="A secret for RUN --mount=type=secret,id=ID; never stored in the image or the cache."),
    click.option("--pids-limit", type=click.IntRange(min=16), default=2048, show_default=True,
                 help="Most processes and threads a RUN step may have at once."),
    click.option("--memory", "memory_text", default="4g", show_default=True, metavar="SIZE",
                 help="Memory a RUN step may use (512m, 2g)."),
    click.option("--timeout", "timeout_text", default="3600", show_default=True, metavar="SECONDS",
                 help="Wall-clock limit of one RUN step (600, 10m, 2h); the step's processes are killed then."),
)


_BUILD_OPTION_NAMES = ("target", "build_args", "bases", "insecure_registries", "network", "no_cache", "cache_dir",
                       "runtime", "secret_options", "pids_limit", "memory_text", "timeout_text")


def _builder_arguments(build_args, bases, insecure_registries, secret_options, pids_limit, memory_text,
                       timeout_text, **rest) -> dict:
    """The build options as ``twelvecheck.build`` takes them."""
    from twelvecheck.build import sandbox, secrets

    try:
        limits = sandbox.Limits(pids_limit, sandbox.parse_size(memory_text), sandbox.parse_duration(timeout_text))
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--memory/--timeout") from None
    try:
        secret_sources = [secrets.parse_secret_option(option) for option in secret_options]
    except secrets.SecretError as error:
        raise click.BadParameter(str(error), param_hint="--secret") from None
    return dict(build_args=_pairs(build_args, "--build-arg"), bases=_pairs(bases, "--base"),
                insecure_registries=insecure_registries, secrets=secret_sources, limits=limits, **rest)


@main.command()
@click.argument("context", default=".", type=click.Path(exists=True, file_okay=False))
@click.option("-f", "--file", "dockerfile", type=click.Path(dir_okay=False), help="Dockerfile (default: CONTEXT/Dockerfile).")
@click.option("-t", "--tag", help="Image name:tag recorded in the output.")
@click.option("--output", help="oci:DIR (a new or empty directory, or an image layout to add to) or "
              "docker-archive:FILE (written atomically).")
@_build_options
def build(context, dockerfile, tag, output, **build_options):
    """Build an OCI image from a Dockerfile, without a daemon."""
    from twelvecheck.build import builder
    from twelvecheck.outputs import OutputError

    arguments = _builder_arguments(**build_options)

    _unwind_on_termination()
    try:
        image = builder.build(context, dockerfile, tag=tag, output=output,
                              progress=lambda line: click.echo(line, err=True), **arguments)
    except OutputError as error:  # a refused or failed --output: a usage error, exit 2
        click.echo(f"twelvecheck build: {error}", err=True)
        sys.exit(EXIT_ERROR)
    except KeyboardInterrupt:
        _exit_interrupted("build", "the build's processes, mounts and files are removed")
    except (OSError, ValueError, RuntimeError, builder.BuildError) as error:
        click.echo(f"twelvecheck build: {error}", err=True)
        sys.exit(EXIT_FINDINGS)
    click.echo(image.digest)


@main.command()
@click.argument("context", default=".", type=click.Path(exists=True, file_okay=False))
@click.option("-f", "--file", "dockerfile", type=click.Path(dir_okay=False), help="Dockerfile (default: CONTEXT/Dockerfile).")
@_build_options
@click.option("--image", metavar="oci:DIR[:TAG]|docker-archive:FILE",
              help="Verify this image, built elsewhere, instead of building (steps matched through its history).")
@click.option("--show-refuted", is_flag=True, help="List the findings the image refuted (text and HTML).")
@click.option("--base-findings", is_flag=True, help="Report image findings caused by the base image's layers too.")
@click.option("--run", "run_image", is_flag=True,
              help="Also start the image in the sandbox and add the run-time probes (IM010-IM015).")
@click.option("--stop-timeout", type=click.FloatRange(min=0.1), default=None, metavar="SECONDS",
              help="With --run: grace period between the stop signal and SIGKILL (default 10, docker's).")
@click.option("--service", metavar="NAME", help="With --run: take environment, command and stop settings from this "
              "compose service (default: the one whose build is this Dockerfile).")
@click.option("--fix", "fix", is_flag=True, help="Build before and after the fixes; write them only when the "
              "fixed image builds with the same packages and files apart from removed caches.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix: include fixes that may change the image.")
@click.option("--fix-only", "fix_only", multiple=True, metavar="CODE", help="With --fix: only these rules' fixes.")
@_common
@_output_options
def verify(context, dockerfile, image, show_refuted, base_findings, run_image, stop_timeout, service, fix,
           unsafe_fixes, fix_only, **options):
    """Lint, build (or read --image), and let the image confirm or refute each finding; adds image
    findings (IM) and the waste ledger. Refuted findings fail nothing."""
    arguments = _builder_arguments(**{name: options.pop(name) for name in _BUILD_OPTION_NAMES})
    if fix and image:
        raise click.UsageError("--fix builds the Dockerfile before and after; it cannot use --image")
    if fix and run_image:
        raise click.UsageError("--fix proves fixes by a rebuild; run the fixed image with a separate verify --run")

    def make_report(config):
        from twelvecheck.verification import VerifyError, verify as run_verify

        run = _run_options(run_image, stop_timeout, service)
        _unwind_on_termination()  # verify builds (and may run) the image: clean up on SIGTERM too
        try:
            if fix:
                from twelvecheck.fix_proof import verify_fix

                return verify_fix(context, dockerfile, config, unsafe=unsafe_fixes, only=_split(fix_only) or None,
                                  show_refuted=show_refuted, base_findings=base_findings,
                                  progress=_step_progress(), **arguments)
            return run_verify(context, dockerfile, config, image=image, show_refuted=show_refuted,
                              base_findings=base_findings, progress=_step_progress(), run=run, **arguments)
        except VerifyError as error:
            click.echo(f"twelvecheck verify: {error}", err=True)
            sys.exit(EXIT_ERROR)
        except KeyboardInterrupt:
            _exit_interrupted("verify", "the image's processes, mounts and files are removed")

    _report_and_exit(make_report, start=context, **options)


def _unwind_on_termination() -> None:
    """SIGTERM and SIGHUP unwind like Ctrl-C, so a build's or a run's cleanup runs."""
    import signal

    def terminated(signum, frame):
        raise KeyboardInterrupt

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, terminated)


def _exit_interrupted(command: str, cleaned: str) -> None:
    """After the cleanup has run: say so, ignore a second Ctrl-C, exit 130 as a shell would."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    click.echo(f"twelvecheck {command}: interrupted; {cleaned}", err=True)
    sys.exit(130)


def _run_options(run_image: bool, stop_timeout: float | None, service: str | None):
    """verify --run's options."""
    if not run_image:
        return None
    from twelvecheck.build.runtime import RunOptions

    options = RunOptions(service=service or "")
    return options if stop_timeout is None else RunOptions(grace=stop_timeout, service=service or "")


def _step_progress():
    """Build steps and layer scans on stderr, when it is a terminal."""
    if not sys.stderr.isatty():
        return None
    return lambda line: click.echo(f"twelvecheck: {line}", err=True)


def _pairs(values: tuple[str, ...], option: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        name, sep, rest = value.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"expected NAME=VALUE, got {value!r}", param_hint=option)
        pairs[name] = rest
    return pairs


_CONFIG_OPTION = click.option("--config", "config_file", type=click.Path(dir_okay=False),
                              help="Configuration file: its packs' rules are listed too.")


@contextmanager
def _exit_on_config_error():
    """A configuration (or rule pack) problem exits 2 with its message."""
    from twelvecheck.config import ConfigError

    try:
        yield
    except ConfigError as error:
        click.echo(f"twelvecheck: configuration error: {error}", err=True)
        sys.exit(EXIT_ERROR)


@main.command(name="rules")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text")
@_CONFIG_OPTION
def list_rules(fmt, config_file):
    """List every rule: code, name, severity, factors, aliases, status."""
    from twelvecheck.config import load_config
    from twelvecheck.rules.docs import rules_json, rules_table
    from twelvecheck.rules.registry import all_rules

    with _exit_on_config_error():
        rules = all_rules(load_config(config_file))
    if fmt == "json":
        import json

        click.echo(json.dumps(rules_json(rules), indent=2))
    else:
        click.echo(rules_table(rules))


@main.command(name="rule")
@click.argument("key")
@_CONFIG_OPTION
def show_rule(key, config_file):
    """Print one rule's documentation (by code, name or alias)."""
    from twelvecheck.config import load_config
    from twelvecheck.rules.docs import render_markdown
    from twelvecheck.rules.registry import find_rule

    with _exit_on_config_error():
        rule = find_rule(key, load_config(config_file))
    if rule is None:
        click.echo(f"twelvecheck: no rule with code, name or alias {key!r}", err=True)
        sys.exit(EXIT_ERROR)
    click.echo(render_markdown(rule))


@main.command(name="lsp")
@click.option("--stdio", is_flag=True, help="Talk LSP over standard input and output (the default and only transport).")
def language_server(stdio):
    """Run the language server (LSP over stdio): diagnostics as you type, quick fixes, rule docs."""
    from twelvecheck import lsp

    if not lsp.available():
        click.echo(lsp.MISSING, err=True)
        sys.exit(EXIT_ERROR)
    lsp.serve()


if __name__ == "__main__":
    main()
