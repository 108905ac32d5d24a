"""What rules' ``verify(finding, image)`` methods share: verdicts, evidence in the contract's
shape (DESIGN.md, "Verification"), and the questions most claims reduce to: which files did the
step at this line leave under these directories, and did a later step delete them (deleting
later frees nothing: the layer still ships them).

``image`` is the view of ``twelvecheck.build.inspect``; ``image.dockerfile`` is the linted
Dockerfile's context, so a verifier can find the instruction a finding sits in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from twelvecheck.findings import Evidence, Finding


@dataclass(frozen=True)
class Verdict:
    status: str  # confirmed, refuted, not-checkable
    evidence: tuple[Evidence, ...] = ()


def confirmed(*evidence: Evidence) -> Verdict:
    return Verdict("confirmed", evidence)


def refuted(*evidence: Evidence) -> Verdict:
    return Verdict("refuted", evidence)


def not_checkable(reason: str) -> Verdict:
    return Verdict("not-checkable", (Evidence(reason, _keys()),))


def _keys(**values: Any) -> dict[str, Any]:
    keys = ("layer", "diff_id", "instruction_line", "removed_at_line", "path", "bytes", "field", "value", "base")
    return {key: values.get(key) for key in keys}


def evidence(image, description: str, layer: int | None = None, *, path: str | None = None,
             bytes: int | None = None, removed_at: int | None = None, line: int | None = None) -> Evidence:
    """An evidence entry about ``layer`` (a 1-based layer number) of ``image``."""
    info = image.layer(layer) if layer else None
    return Evidence(description, _keys(
        layer=layer, diff_id=info.diff_id if info else None,
        instruction_line=info.line if info and info.line else line,
        removed_at_line=removed_at, path=path, bytes=bytes, base=info.base if info else False))


def config_evidence(image, description: str, field: str, value: Any, line: int | None = None,
                    base: bool = False) -> Evidence:
    return Evidence(description, _keys(field=field, value=value, instruction_line=line, base=base))


def size(count: int) -> str:
    """Bytes as people read them: 2.6 kB, 31.2 MB (SI units, as docker and dive print them)."""
    value = float(count)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{count} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{count} B"


# -- where a finding is in the image ---------------------------------------------------------------

def instruction_line(image, finding: Finding) -> int | None:
    """The first line of the instruction holding the finding (a RUN command may sit on a later line)."""
    ctx = image.dockerfile
    if ctx is None:
        return finding.span.line
    for instruction in ctx.dockerfile.instructions:
        if instruction.span.line <= finding.span.line <= instruction.span.end_line:
            return instruction.span.line
    return None


def step_layers(image, finding: Finding):
    """``(line, layers)``: the instruction's line and the layers it made, or ``(line, None)``
    when the image has no step for it (another stage, or a step of an image that did not match)."""
    line = instruction_line(image, finding)
    if line is None or image.step_at(line) is None and not image.layers_at(line):
        return line, None
    return line, image.layers_at(line)


@dataclass(frozen=True)
class Left:
    path: str
    bytes: int
    removed_at: int | None  # the line of the step that deleted it, if one did
    removed_layer: int | None


def left_in_layers(image, layers: Iterable[int], prefixes: Iterable[str]) -> list[Left]:
    """Regular files those layers wrote at or below ``prefixes``, and who deleted them later."""
    numbers = set(layers)
    found = []
    for prefix in prefixes:
        for path, events in image.under(prefix):
            for position, event in enumerate(events):
                if event.layer in numbers and event.type == "file" and event.kind != "deleted":
                    later = next((e for e in events[position + 1:] if e.layer != event.layer), None)
                    gone = later.layer if later is not None and later.kind == "deleted" else None
                    found.append(Left(path, event.size, image.line_of(gone) if gone else None, gone))
    return found


def files_left_verdict(image, finding: Finding, prefixes: tuple[str, ...], what: str) -> Verdict:
    """The shared verifier of "X stays in this layer": bytes the step left under ``prefixes``;
    deleting them in a later step does not refute (the layer still ships them)."""
    line, layers = step_layers(image, finding)
    if layers is None:
        return not_checkable(f"the image has no step for line {line or finding.span.line}")
    where = ", ".join(prefixes)
    if not layers:
        return refuted(evidence(image, f"the instruction at line {line} made no layer: nothing of {what} "
                                       f"({where}) stays", line=line))
    numbers = [layer.number for layer in layers]
    left = [item for item in left_in_layers(image, numbers, prefixes) if item.bytes]
    if not left:
        return refuted(evidence(image, f"layer {numbers[0]} (line {line}) holds no byte under {where}: "
                                       f"{what} did not stay in the image", numbers[0], path=prefixes[0], bytes=0))
    total = sum(item.bytes for item in left)
    removed = [item for item in left if item.removed_at is not None]
    description = f"{what}: {len(left)} file(s), {size(total)} under {where} in layer {numbers[0]} (line {line})"
    removed_at = None
    if removed and len(removed) == len(left):
        removed_at = removed[0].removed_at
        description += f"; the step at line {removed_at} deletes them, but layer {numbers[0]} still ships them"
    return confirmed(evidence(image, description, numbers[0], path=prefixes[0], bytes=total, removed_at=removed_at))


def config_source(image, field_name: str) -> tuple[int | None, bool]:
    """The Dockerfile line of the last step that set a config field (by the history's keyword),
    and whether that step is the base image's."""
    keyword = {"user": "USER", "healthcheck": "HEALTHCHECK", "stop_signal": "STOPSIGNAL",
               "exposed_ports": "EXPOSE", "volumes": "VOLUME", "entrypoint": "ENTRYPOINT", "cmd": "CMD",
               "env": "ENV"}.get(field_name, "")
    for step in reversed(image.steps):
        if keyword and history_keyword(step.created_by) == keyword:
            return step.line, step.base
    return None, False


def history_keyword(created_by: str) -> str:
    """The instruction keyword of a history entry, as our builder, BuildKit or the classic builder
    wrote it (``RUN /bin/sh -c …``, ``/bin/sh -c #(nop)  USER x``, ``|2 A=1 B=2 /bin/sh -c …``)."""
    text = created_by.strip()
    if text.startswith("|"):  # BuildKit's build-arg prefix on RUN
        return "RUN"
    if text.startswith("/bin/sh -c #(nop)"):
        text = text[len("/bin/sh -c #(nop)"):].strip()
    elif text.startswith("/bin/sh -c"):
        return "RUN"
    word = text.split(None, 1)[0].upper() if text else ""
    return word if word.isalpha() else ""


# -- where image findings sit ----------------------------------------------------------------------

def span_at(image, line: int | None):
    """The span of the instruction starting at ``line``; without one (a base layer, an unmatched
    step) the FROM of the built stage, so the finding still sits on a line of the Dockerfile."""
    from twelvecheck.parse.model import Span

    ctx = image.dockerfile
    instructions = ctx.dockerfile.instructions if ctx is not None else []
    for instruction in instructions:
        if instruction.span.line == line:
            return instruction.span
    stages = ctx.dockerfile.stages if ctx is not None else []
    if stages:
        root = ctx.stage_chain(stages[-1])[-1]
        return root.from_instruction.span
    return Span(1, 1, 1, 1)


def layer_span(image, layer: int):
    return span_at(image, image.line_of(layer))


def visible_files(image, *, include_base: bool = True):
    """``(path, event)`` for every path as the running container sees it (deleted ones left out)."""
    for path, events in image.paths.items():
        last = events[-1]
        if last.kind != "deleted" and (include_base or not image.layer(last.layer).base):
            yield path, last


DEPENDENCY_DIRS = frozenset({"node_modules", "site-packages", "dist-packages", "vendor", "gems", "bower_components"})


def inside_dependency(path: str) -> bool:
    """Under a package manager's tree (or Python's own test suite), files belong to a dependency:
    their test keys and Dockerfiles are not the image author's leftovers."""
    parts = path.split("/")
    if any(part in DEPENDENCY_DIRS for part in parts[:-1]):
        return True
    return any(part.startswith("python3") and parts[index + 1] == "test" for index, part in enumerate(parts[:-2]))


def account_entries(image, path: str) -> list[list[str]]:
    """The colon-separated entries of /etc/passwd, /etc/group or /etc/shadow as the image has
    it (comments and blank lines skipped); empty when the file is absent."""
    text = image.text(path) or ""
    return [line.split(":") for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def resolve_user(image, user: str) -> tuple[int | None, str]:
    """The numeric uid a config ``User`` (``name``, ``uid``, ``name:group``) runs as, resolved
    through the image's own /etc/passwd, and how it was found."""
    name = (user or "0").split(":", 1)[0] or "0"
    if name.isdigit():
        return int(name), f"uid {name}"
    for entry in account_entries(image, "/etc/passwd"):
        if entry[0] == name and len(entry) > 2 and entry[2].isdigit():
            return int(entry[2]), f"{name} is uid {entry[2]} in /etc/passwd"
    return None, f"{name} is not in the image's /etc/passwd"


# -- claims about the image config -----------------------------------------------------------------

CONFIG_FIELDS = {"user": "User", "healthcheck": "Healthcheck", "stop_signal": "StopSignal",
                 "exposed_ports": "ExposedPorts", "volumes": "Volumes", "entrypoint": "Entrypoint",
                 "cmd": "Cmd", "env": "Env"}


def config_verdict(image, name: str, holds: bool, value: Any, confirm: str, refute: str) -> Verdict:
    """A claim about one config field (``name`` as RuntimeConfig spells it): confirmed when
    ``holds``; the evidence names the value and the step that set it (the base's values count)."""
    line, base = config_source(image, name)
    proof = config_evidence(image, confirm if holds else refute, CONFIG_FIELDS[name], value, line, base)
    return confirmed(proof) if holds else refuted(proof)


def root_user_verdict(image) -> Verdict:
    """"The container runs as root", judged on the config's User and the image's /etc/passwd."""
    user = image.config.config.user
    uid, how = resolve_user(image, user)
    shown = user or "(empty: root)"
    if uid is None:
        return not_checkable(f"the config's User is {user!r} and {how}")
    return config_verdict(image, "user", uid == 0, user, f"the config's User is {shown}: {how}, so root",
                          f"the config's User is {shown}: {how}, not root")
