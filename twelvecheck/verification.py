"""``twelvecheck verify``: lint a Dockerfile, build it (or read an image built elsewhere), then let
the image judge every finding whose claim it can show, add the image rules' findings and the
waste ledger. DESIGN.md, "Verification (contract)", fixes the JSON it produces.

Each rule proves its own claims (``verify(finding, image)`` beside ``check()``); a rule without
one leaves its findings not-checkable. Refuted findings stay in the report, marked, and count
for neither the exit code nor the scorecard.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from twelvecheck.config import Config
from twelvecheck.discover import Candidate
from twelvecheck.engine import Engine, display_path
from twelvecheck.findings import Evidence, Finding
from twelvecheck.results import Report, Suppressed

VERIFY_KINDS = frozenset({"dockerfile", "image"})
Progress = Callable[[str], None]


class VerifyError(Exception):
    """The image could not be built or read; the message says why (CLI: exit 2)."""


@dataclass
class Verified:
    findings: list[Finding]
    suppressed: list[Suppressed]
    ledger: dict[str, Any]
    notes: list[str]
    run: dict[str, Any] | None = None  # verify --run: the recording (build/runtime.py as_json)


def verify(context: str = ".", dockerfile: str | None = None, config: Config | None = None, *,
           image: str | None = None, root: str = ".", show_refuted: bool = False, base_findings: bool = False,
           progress: Progress | None = None, run: Any = None, **build_options: Any) -> Report:
    """Lint ``dockerfile`` (default CONTEXT/Dockerfile), build it from ``context`` with
    ``build_options`` (as ``twelvecheck.build``) or read ``image`` (``oci:DIR[:TAG]``,
    ``docker-archive:FILE``), and return the report with verdicts, image findings and the ledger.
    ``base_findings`` keeps image findings caused by the base image's layers (off by default).
    ``run`` (a ``build.runtime.RunOptions``) also runs the image for the run-time probes."""
    from twelvecheck.rules.registry import rules_for
    from twelvecheck.scorecard import overall_score, scorecard

    from twelvecheck.config import config_for

    dockerfile = dockerfile or os.path.join(context, "Dockerfile")
    config = config_for(config or Config(), dockerfile)
    display = display_path(dockerfile, root)
    result = verify_dockerfile(context, dockerfile, display, config, image=image, base_findings=base_findings,
                               progress=progress, root=root, run=run, **build_options)
    enabled = [cls for cls in rules_for(VERIFY_KINDS) if config.is_enabled(cls)]
    standing = [finding for finding in result.findings if not finding.refuted]
    card = scorecard(standing, enabled, set(VERIFY_KINDS))
    if result.run is not None:
        from twelvecheck.build.runtime import prove_factors

        prove_factors(card, result.run, standing, {cls.code for cls in enabled})
    return Report(findings=result.findings, files=[display], suppressed=result.suppressed, factors=card,
                  root=root, score=overall_score(card), ledger=result.ledger, notes=result.notes,
                  show_refuted=show_refuted, run=result.run)


def verify_dockerfile(context: str, dockerfile: str, display: str, config: Config, *, image: str | None = None,
                      base_findings: bool = False, progress: Progress | None = None, root: str = ".",
                      run: Any = None, **build_options: Any) -> Verified:
    """The findings of one Dockerfile with verdicts, plus image findings; VerifyError when the
    image cannot be had."""
    from twelvecheck.build.ledger import ledger

    from twelvecheck.config import config_for

    engine = Engine(config_for(config, dockerfile), VERIFY_KINDS, root)  # verify_audit's files: each its own
    ctx = engine.context(Candidate(dockerfile, "dockerfile"), display)
    if getattr(ctx, "unreadable", None) is not None or not hasattr(ctx, "dockerfile"):
        raise VerifyError(f"{dockerfile}: cannot read the Dockerfile")
    findings, suppressed = engine.lint_context(ctx)
    view = _image_view(ctx, context, dockerfile, image, progress, build_options)
    view.dockerfile = ctx
    if run is not None:
        from twelvecheck.build.runtime import attach_run

        attach_run(view, run, dockerfile, progress)
    rules = {active.cls.code: active for active in engine.active}
    judged = [_judge(rules.get(finding.rule), finding, view) for finding in findings]
    for active in engine.active:
        if active.cls.kind != "image":
            continue
        for finding in _image_findings(engine, active, view, display, base_findings):
            why = ctx.suppressions_for(display).justification(finding, active.keys)
            if why is None:
                judged.append(finding)
            else:
                suppressed.append(Suppressed(finding, why))
    judged.sort(key=lambda finding: finding.sort_key)
    recording = getattr(view, "run", None)
    if recording is not None:
        from twelvecheck.build.runtime import as_json

        recording = as_json(recording)
    return Verified(judged, suppressed, ledger(view), list(view.notes), recording)


def _image_view(ctx, context: str, dockerfile: str, image: str | None, progress: Progress | None,
                build_options: Mapping[str, Any]):
    from twelvecheck.build import builder, inspect

    if ctx.dockerfile.errors:
        error = ctx.dockerfile.errors[0]
        raise VerifyError(f"{dockerfile}:{error.span.line}: {error.message}")
    try:
        if image is None:
            say = progress or (lambda line: None)
            built = builder.build(context, dockerfile, progress=say, **build_options)
            view = inspect.view(built, progress=progress)
            view.layer_files = [built.blob_path(layer.descriptor.digest) for layer in built.layers]
        else:
            view = inspect.view(image, progress=progress, cache_dir=build_options.get("cache_dir"))
            view.layer_files = (image, build_options.get("cache_dir"))  # found again by --run
    except (OSError, ValueError, RuntimeError, builder.BuildError) as error:
        raise VerifyError(str(error)) from None
    target = build_options.get("target")
    inspect.match_steps(view, _expected_steps(ctx, target))
    return view


def _expected_steps(ctx, target: str | None):
    """The instructions that leave history entries in the built stage and the stages below it."""
    from twelvecheck.build.inspect import Expected

    stages = ctx.dockerfile.stages
    if not stages:
        return []
    final = stages[-1]
    if target:
        final = next((stage for stage in stages if stage.name == target.lower() or str(stage.index) == target), final)
    expected = []
    for stage in reversed(ctx.stage_chain(final)):
        for instruction in stage.instructions:
            expected.append(Expected(instruction.keyword, instruction.span.line, instruction.text))
    return expected


def _judge(active, finding: Finding, view) -> Finding:
    """The rule's verdict on its finding; a rule without ``verify`` leaves it not-checkable."""
    verifier = getattr(active.rule, "verify", None) if active is not None else None
    if verifier is None:
        return replace(finding, verification="not-checkable")
    try:
        verdict = verifier(finding, view)
    except Exception as error:  # a broken verifier must not take the run down, nor guess
        note = Evidence(f"verifying failed: {type(error).__name__}: {error}", {})
        return replace(finding, verification="not-checkable", evidence=finding.evidence + (note,))
    return replace(finding, verification=verdict.status, evidence=finding.evidence + tuple(verdict.evidence))


def _image_findings(engine: Engine, active, view, display: str, base_findings: bool):
    try:
        found = list(active.rule.check(view))
    except Exception as error:
        crash = engine._by_code.get("TC004")
        if crash is not None:
            from twelvecheck.parse.model import Span

            yield Finding(Span(1, 1, 1, 1), f"rule {active.cls.code} ({active.cls.name}) failed on the image: "
                          f"{type(error).__name__}: {error}", rule=crash.code, name=crash.name,
                          severity=crash.severity, file=display)
        return
    for finding in found:
        if not base_findings and finding.evidence and all(e.data.get("base") for e in finding.evidence):
            continue
        yield replace(engine.stamp(active, finding, display), verification="confirmed")


def verify_audit(report: Report, config: Config, *, progress: Progress | None = None,
                 **build_options: Any) -> Report:
    """``audit DIR --verify``: verify each Dockerfile of an audit whose bases resolve (``scratch``,
    an earlier stage, a ``--base`` mapping or a registry reference), built from its own
    directory; the others are skipped with the reason in ``notes``. Their findings are replaced
    by the verified ones and the scorecard is recomputed without refuted findings."""
    from twelvecheck.parse.dockerfile import parse
    from twelvecheck.rules.registry import rules_for
    from twelvecheck.scorecard import overall_score, scorecard

    root = report.root
    findings = list(report.findings)
    suppressed = list(report.suppressed)
    notes = list(report.notes)
    verified_any = False
    for display in report.files:
        path = os.path.join(root, display)
        if not _is_dockerfile(path):
            continue
        try:
            with open(path, encoding="utf-8") as handle:
                parsed = parse(handle.read(), display)
        except (OSError, UnicodeDecodeError) as error:
            notes.append(f"{display}: not verified: {error}")
            continue
        missing = _unresolved_bases(parsed, build_options.get("bases", {}))
        if missing:
            notes.append(f"{display}: not verified: base image {missing[0]!r} is not available "
                         f"(pass --base {missing[0]}=oci:DIR)")
            continue
        if progress is not None:
            progress(f"verifying {display}")
        try:
            result = verify_dockerfile(os.path.dirname(path) or ".", path, display, config, root=root,
                                       progress=progress, **build_options)
        except VerifyError as error:
            notes.append(f"{display}: not verified: {error}")
            continue
        verified_any = True
        findings = [f for f in findings if f.file != display] + result.findings
        suppressed = [s for s in suppressed if s.finding.file != display] + result.suppressed
        notes.extend(f"{display}: {note}" for note in result.notes)
    findings.sort(key=lambda finding: finding.sort_key)
    kinds = _kinds_present(report.files) | ({"image"} if verified_any else set())
    enabled = [cls for cls in rules_for(frozenset(kinds)) if config.is_enabled(cls)]
    card = scorecard([f for f in findings if not f.refuted], enabled, kinds)
    return replace(report, findings=findings, suppressed=suppressed, notes=notes, factors=card,
                   score=overall_score(card))


def _kinds_present(files: list[str]) -> set[str]:
    from twelvecheck.discover import kind_of

    return {kind_of(os.path.basename(file)) or "source" for file in files} | {"repository"}


def _is_dockerfile(path: str) -> bool:
    from twelvecheck.discover import kind_of

    return kind_of(os.path.basename(path)) == "dockerfile"


def _unresolved_bases(dockerfile, bases: Mapping[str, str]) -> list[str]:
    from twelvecheck.build.registry import names_a_registry

    stages = {stage.name for stage in dockerfile.stages if stage.name}
    missing = []
    for stage in dockerfile.stages:
        base = stage.base
        if base == "scratch" or base.lower() in stages or base in bases or names_a_registry(base) or "$" in base:
            continue
        missing.append(base)
    return missing
