"""Executing a Dockerfile: each step is one link "previous image + one layer or one config change".

Entry point for ``twelvecheck build`` (wired in ``twelvecheck/cli.py``), which is expected to offer:

    twelvecheck build [CONTEXT] [-f DOCKERFILE] [-t TAG] [--target STAGE]
                      [--build-arg NAME=VALUE ...] [--base NAME=oci:DIR[:TAG] | NAME=docker-archive:FILE ...]
                      [--output oci:DIR | --output docker-archive:FILE]
                      [--network none|host] [--no-cache] [--cache-dir DIR] [--runtime bwrap|runc]
                      [--secret id=ID,src=FILE | --secret id=ID,env=VAR ...]
                      [--pids-limit N] [--memory SIZE] [--timeout SECONDS]

and to call ``build(...)`` with the same names.  A stage's filesystem is only unpacked when a step
that is not cached needs it, so a rebuild with nothing changed unpacks and runs nothing.  Every
layer keeps a ``LayerRecord``: the instruction that made it and the paths it added, changed and
deleted, with sizes, for the verifier.

``COPY --link`` is accepted and gives the same filesystem as a plain COPY, but its layer is made
the same way (against the stage's filesystem, keyed on the parent chain), not as an independent
layer that survives a base change.  A base image's ONBUILD triggers run right after its FROM and
are cleared from the result; ONBUILD in a stage used as a base by a later stage of the same
Dockerfile is only recorded.
"""

from __future__ import annotations

import os
import platform as host_platform
import posixpath
import tempfile
import time
from dataclasses import dataclass, field, replace
from typing import Callable, Collection, Mapping

from twelvecheck.build import changes, diff, registry, sandbox, users, workdir
from twelvecheck.build.bases import BaseImage, load_base
from twelvecheck.build.cache import BuildCache, CachedStep, step_key
from twelvecheck.build.context import BadSource, SourceNotFound, SourceTree
from twelvecheck.build.copy import Attributes, CopyError, copy_into, make_dirs
from twelvecheck.build.layer import DEFAULT_GZIP_LEVEL, Layer, source_date_epoch, write_layer
from twelvecheck.build.layout import check_output, write_docker_archive, write_oci_layout
from twelvecheck.build.oci import Healthcheck, History, ImageConfig, Manifest, Platform, RuntimeConfig
from twelvecheck.build.secrets import SECRETS_DIR, SecretSource
from twelvecheck.build.unpack import UnpackError, unpack_layer
from twelvecheck.files import user_cache_dir
from twelvecheck.outputs import OutputError
from twelvecheck.parse.dockerfile import parse
from twelvecheck.parse.expand import expand, expand_words
from twelvecheck.parse.model import Instruction, Stage

DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
DEFAULT_SHELL = ("/bin/sh", "-c")
HISTORY_COMMENT = "twelvecheck.dockerfile.v0"
_ARCHITECTURES = {"x86_64": "amd64", "aarch64": "arm64", "armv7l": "arm", "i686": "386", "ppc64le": "ppc64le",
                  "s390x": "s390x", "riscv64": "riscv64"}
_DURATIONS = {"ns": 1, "us": 1_000, "ms": 1_000_000, "s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000}


class BuildError(RuntimeError):
    """A step failed; the message names the Dockerfile line."""


@dataclass(frozen=True)
class LayerRecord:
    """Which instruction made a layer and what it changed (None for layers of a base image)."""

    created_by: str
    line: int | None
    stage: str | None
    changes: tuple[diff.Change, ...] | None


@dataclass(frozen=True)
class BuiltImage:
    manifest: Manifest
    config: ImageConfig
    layers: tuple[Layer, ...]
    records: tuple[LayerRecord, ...]  # one per layer, same order
    blob_dir: str
    tag: str | None = None

    @property
    def digest(self) -> str:
        return str(self.manifest.digest)

    def blob_path(self, digest) -> str:
        return os.path.join(self.blob_dir, digest.hex)

    def write(self, output: str) -> None:
        """``oci:DIR`` or ``docker-archive:FILE``."""
        transport, _, location = output.partition(":")
        repository, tag = _split_reference(self.tag)
        if transport == "oci":
            write_oci_layout(location, self.manifest, self.config, self.blob_path, tag)
        elif transport == "docker-archive":
            write_docker_archive(location, self.manifest, self.config, self.blob_path,
                                 f"{repository}:{tag}" if repository else None)
        else:
            raise OutputError(f"unknown output {output!r}: use oci:DIR or docker-archive:FILE")


def build(context_dir: str, dockerfile_path: str | None = None, *, tag: str | None = None,
          target: str | None = None, build_args: Mapping[str, str] = {}, bases: Mapping[str, str] = {},
          output: str | None = None, network: str = "none", no_cache: bool = False,
          cache_dir: str | None = None, progress: Callable[[str], None] = lambda line: None,
          runtime: str | None = None, gzip_level: int = DEFAULT_GZIP_LEVEL,
          insecure_registries: Collection[str] = (),
          secrets: Collection[SecretSource] = (), limits: sandbox.Limits = sandbox.Limits()) -> BuiltImage:
    """Build the ``target`` stage (default: the last) of the Dockerfile; write ``output`` if given.

    ``bases`` maps an image name as written after FROM to ``oci:DIR[:TAG]``,
    ``docker-archive:FILE`` or ``docker://REFERENCE``; a FROM name that starts with a registry
    host (``127.0.0.1:5000/lib/busybox:1``) is pulled without one, over plain HTTP only when that
    host is in ``insecure_registries``.  Bare names (``busybox``) are never sent to Docker Hub
    unasked: map them with ``bases``.  ``network`` is ``none`` or ``host`` (for RUN).  ``secrets``
    are what ``RUN --mount=type=secret,id=ID`` may mount (secrets.py).  ``limits`` bound each RUN
    step's processes, memory and time (sandbox.py).  Everything the build makes on the host lives
    in one work directory, taken down however the build ends (workdir.py).
    """
    if output:
        check_output(output)  # before the work: a refused output should not cost a build
    dockerfile_path = dockerfile_path or os.path.join(context_dir, "Dockerfile")
    with open(dockerfile_path, encoding="utf-8") as handle:
        dockerfile = parse(handle.read(), dockerfile_path)
    if dockerfile.errors:
        error = dockerfile.errors[0]
        raise BuildError(f"{dockerfile_path}:{error.span.line}: {error.message}")
    cache = BuildCache(cache_dir or _default_cache_dir())
    with workdir.work_dir() as work:
        run = _Build(dockerfile.stages, cache, work, SourceTree.build_context(context_dir),
                     _Options(dict(build_args), dict(bases), network, no_cache, runtime, gzip_level, progress,
                              frozenset(insecure_registries), {secret.id: secret for secret in secrets}, limits))
        run.global_args = run.evaluate_args(dockerfile.global_args, {})
        image = run.build_stage(run.stage_named(target) if target else dockerfile.stages[-1]).image(tag)
    if output:
        image.write(output)
    return image


@dataclass(frozen=True)
class _Options:
    build_args: dict[str, str]
    bases: dict[str, str]
    network: str
    no_cache: bool
    runtime: str | None
    gzip_level: int
    progress: Callable[[str], None]
    insecure_registries: frozenset[str]
    secrets: dict[str, SecretSource]
    limits: sandbox.Limits


def _default_cache_dir() -> str:
    return user_cache_dir("build")


def build_platform() -> Platform:
    """The host's platform: what RUN can execute, so what FROM picks from a multi-platform index."""
    machine = host_platform.machine()
    return Platform("linux", _ARCHITECTURES.get(machine, machine))


def _split_reference(reference: str | None) -> tuple[str | None, str]:
    if not reference:
        return None, "latest"
    name, colon, tag = reference.rpartition(":")
    if colon and "/" not in tag:
        return name, tag
    return reference, "latest"


def _created() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(source_date_epoch()))


class _Build:
    """One build: stages done so far, shared cache and options."""

    def __init__(self, stages, cache: BuildCache, work: str, context: SourceTree, options: _Options):
        self.stages = stages
        self.cache = cache
        self.work = work
        self.context = context
        self.options = options
        self.platform = build_platform()
        self.global_args: dict[str, str] = {}
        self.done: dict[int, _StageState] = {}
        self.images: dict[str, BaseImage] = {}  # FROM and --from names of images, as loaded
        self.image_sources: dict[str, _StageState] = {}  # images read by COPY --from / mount from=
        self.diff_method = changes.choose_method(work)

    def predefined_args(self) -> dict[str, str]:
        target = f"{self.platform.os}/{self.platform.architecture}"
        values = {"PLATFORM": target, "OS": self.platform.os, "ARCH": self.platform.architecture, "VARIANT": ""}
        return {prefix + name: value for prefix in ("TARGET", "BUILD") for name, value in values.items()}

    def evaluate_args(self, instructions, env: dict[str, str], outer: Mapping[str, str] = {}) -> dict[str, str]:
        """ARG values: --build-arg, else the default (expanded), else the global or predefined value."""
        values: dict[str, str] = {}
        predefined = self.predefined_args()
        for instruction in instructions:
            for declaration in instruction.args:
                name, has_default, default = declaration.partition("=")
                if name in self.options.build_args:
                    values[name] = self.options.build_args[name]
                elif has_default:
                    values[name] = expand(default, {**predefined, **outer, **values, **env}).value
                elif name in outer:
                    values[name] = outer[name]
                elif name in predefined:
                    values[name] = predefined[name]
        return values

    def find_stage(self, reference: str) -> Stage | None:
        for stage in self.stages:
            if stage.name == reference.lower() or str(stage.index) == reference:
                return stage
        return None

    def stage_named(self, reference: str) -> Stage:
        stage = self.find_stage(reference)
        if stage is None:
            raise BuildError(f"no build stage named {reference!r}")
        return stage

    def image_state(self, name: str, line: int, label: str) -> _StageState:
        """A fresh state for image ``name`` (not a stage): ``--base NAME=...`` or a registry
        reference; each image is loaded once per build."""
        if name not in self.images:
            reference = self.options.bases.get(name)
            if reference is None and registry.names_a_registry(name):
                reference = f"docker://{name}"
            if reference is None:
                raise BuildError(f"line {line}: base image {name!r} is not available; pass --base "
                                 f"{name}=oci:DIR[:TAG], {name}=docker-archive:FILE or {name}=docker://REGISTRY/NAME:TAG")
            self.options.progress(f"[{label}] FROM {name} ({reference})")
            self.images[name] = load_base(reference, self.cache.blobs, self.platform, self.options.insecure_registries)
        image = self.images[name]
        records = [LayerRecord(entry.created_by, None, None, None)
                   for entry in image.config.history if not entry.empty_layer]
        if len(records) != len(image.layers):
            records = [LayerRecord("", None, None, None) for _ in image.layers]
        return _StageState(label, replace(image.config, created=_created()), list(image.layers), records,
                           step_key("", image.identity), self.cache.blobs.directory)

    def source_state(self, reference: str, line: int) -> _StageState:
        """What ``COPY --from`` and ``RUN --mount=from=`` name: a stage (by name or index), else an
        image resolved like a FROM base, unpacked at most once per build."""
        stage = self.find_stage(reference)
        if stage is not None:
            return self.build_stage(stage)
        if reference not in self.image_sources:
            self.image_sources[reference] = self.image_state(reference, line, reference)
        return self.image_sources[reference]

    def build_stage(self, stage: Stage) -> _StageState:
        if stage.index not in self.done:
            self.done[stage.index] = _StageRunner(self, stage).run()
        return self.done[stage.index]


@dataclass
class _StageState:
    """A stage as it stands: its image so far, and (lazily) its unpacked rootfs."""

    name: str
    config: ImageConfig
    layers: list[Layer]
    records: list[LayerRecord]
    key: str
    blob_dir: str
    rootfs: str | None = None
    applied: int = 0  # how many of ``layers`` the rootfs holds
    tracker: changes.ChangeTracker | None = None
    args: dict[str, str] = field(default_factory=dict)
    cmd_set: bool = False

    def materialize(self, work: str, diff_method: str) -> str:
        """Bring the rootfs up to date with the layers (only the layers it does not hold yet)."""
        if self.rootfs is None:
            workdir.guard(work)  # mounts and processes may follow: take them down even on SIGKILL
            self.rootfs = tempfile.mkdtemp(prefix="rootfs-", dir=work)
            os.chmod(self.rootfs, 0o755)
            self.applied = 0
            self.tracker = changes.tracker(diff_method, self.rootfs, work)
        pending = self.layers[self.applied:]
        for number, layer in enumerate(pending, self.applied + 1):
            digest = layer.descriptor.digest
            with open(os.path.join(self.blob_dir, digest.hex), "rb") as blob:
                unpack_layer(blob, self.rootfs, where=f"[{self.name}] layer {number}/{len(self.layers)} {digest}")
        self.applied = len(self.layers)
        if pending:
            self.tracker.refresh()
        return self.rootfs

    def image(self, tag: str | None) -> BuiltImage:
        config = replace(self.config, diff_ids=tuple(layer.diff_id for layer in self.layers))
        manifest = Manifest(config=config.descriptor(), layers=tuple(layer.descriptor for layer in self.layers))
        return BuiltImage(manifest, config, tuple(self.layers), tuple(self.records), self.blob_dir, tag)


class _StageRunner:
    def __init__(self, build: _Build, stage: Stage):
        self.build = build
        self.stage = stage
        self.label = stage.name or str(stage.index)
        self.line = stage.from_instruction.span.line  # of the instruction being run, for errors
        self.triggers: list[Instruction] = []  # the base image's ONBUILD instructions
        self.state = self._start()

    # -- FROM ----------------------------------------------------------------------------------
    def _start(self) -> _StageState:
        base = expand(self.stage.base, {**self.build.predefined_args(), **self.build.global_args}).value
        blob_dir = self.build.cache.blobs.directory
        config = ImageConfig(platform=self.build.platform, created=_created())
        if base == "scratch":  # BuildKit's empty image: the default PATH, working directory /
            config = replace(config, config=RuntimeConfig(env=(f"PATH={DEFAULT_PATH}",), working_dir="/"))
            return _StageState(self.label, config, [], [], step_key("", "scratch"), blob_dir)
        if any(stage.name == base.lower() for stage in self.build.stages[:self.stage.index]):
            parent = self.build.build_stage(self.build.stage_named(base))
            return _StageState(self.label, parent.config, list(parent.layers), list(parent.records), parent.key, blob_dir)
        state = self.build.image_state(base, self.stage.from_instruction.span.line, self.label)
        self.triggers = self._triggers(state.config.config.on_build)
        state.config = replace(state.config, config=replace(state.config.config, on_build=()))  # not inherited
        return state

    def _triggers(self, on_build: tuple[str, ...]) -> list[Instruction]:
        """The base image's ONBUILD instructions, parsed; errors name this stage's FROM line."""
        triggers = []
        for text in on_build:
            parsed = parse(f"FROM scratch\n{text}\n", "ONBUILD trigger")
            instructions = parsed.stages[0].instructions if parsed.stages else []
            if parsed.errors or len(instructions) != 1 or instructions[0].keyword in ("FROM", "ONBUILD", "MAINTAINER"):
                raise BuildError(f"line {self.stage.from_instruction.span.line}: the base image's ONBUILD "
                                 f"trigger {text!r} is not one instruction that ONBUILD allows")
            triggers.append(replace(instructions[0], span=self.stage.from_instruction.span))
        return triggers

    def run(self) -> _StageState:
        """The base image's ONBUILD triggers right after FROM (as BuildKit runs them), then the stage."""
        steps = [("ONBUILD ", trigger) for trigger in self.triggers] + [("", item) for item in self.stage.instructions]
        for prefix, instruction in steps:
            handler = getattr(self, "_do_" + instruction.keyword.lower(), None)
            if handler is None:
                raise BuildError(f"line {instruction.span.line}: {instruction.keyword} is not supported")
            self.build.options.progress(f"[{self.label}] {prefix}{instruction.original.splitlines()[0]}")
            self.line = instruction.span.line
            try:
                handler(instruction)
            except UnpackError as error:  # a hostile layer or ADD archive: name the line too
                raise BuildError(f"line {instruction.span.line}: {error}") from None
        return self.state

    # -- variables -----------------------------------------------------------------------------
    def env(self) -> dict[str, str]:
        """What ``$NAME`` means here: stage ARGs, overridden by ENV (BuildKit's precedence)."""
        return {**self.state.args, **self.state.config.config.env_map()}

    def expand(self, text: str) -> str:
        return expand(text, self.env()).value

    def words(self, text: str) -> list[str]:
        return expand_words(text, self.env())

    # -- config-only steps ---------------------------------------------------------------------
    def _change_config(self, instruction: Instruction, runtime: RuntimeConfig) -> None:
        history = self.state.config.history + (self._history(instruction, empty=True),)
        self.state.config = replace(self.state.config, config=runtime, history=history)
        self.state.key = step_key(self.state.key, self._describe(instruction))

    def _history(self, instruction: Instruction, *, empty: bool) -> History:
        return History(_created(), self._describe(instruction), HISTORY_COMMENT, empty)

    def _describe(self, instruction: Instruction) -> str:
        flags = " ".join(flag.raw for flag in instruction.flags)
        text = " ".join(filter(None, [instruction.keyword, flags, instruction.text]))
        bodies = "".join(f"\n{heredoc.body}{heredoc.name}" for heredoc in instruction.heredocs)
        return text + bodies

    @property
    def runtime(self) -> RuntimeConfig:
        return self.state.config.config

    def _do_arg(self, instruction: Instruction) -> None:
        self.state.args.update(self.build.evaluate_args([instruction], self.runtime.env_map(), self.build.global_args))
        self.state.key = step_key(self.state.key, self._describe(instruction),
                                  tuple(f"{k}={v}" for k, v in sorted(self.state.args.items())))

    def _do_env(self, instruction: Instruction) -> None:
        runtime = self.runtime
        pairs = instruction.args
        for name, value in zip(pairs[0::2], pairs[1::2]):
            runtime = runtime.with_env(name, self.expand(value))
        self._change_config(instruction, runtime)

    def _do_label(self, instruction: Instruction) -> None:
        labels = dict(self.runtime.labels)
        for name, value in zip(instruction.args[0::2], instruction.args[1::2]):
            labels[self.expand(name)] = self.expand(value)
        self._change_config(instruction, replace(self.runtime, labels=tuple(sorted(labels.items()))))

    def _do_user(self, instruction: Instruction) -> None:
        self._change_config(instruction, replace(self.runtime, user=self.expand(instruction.args[0])))

    def _do_expose(self, instruction: Instruction) -> None:
        ports = set(self.runtime.exposed_ports)
        for word in instruction.args:
            for port in self.words(word):
                ports.add(port if "/" in port else f"{port}/tcp")
        self._change_config(instruction, replace(self.runtime, exposed_ports=tuple(sorted(ports))))

    def _do_volume(self, instruction: Instruction) -> None:
        volumes = set(self.runtime.volumes) | {self.expand(item) for item in instruction.args}
        self._change_config(instruction, replace(self.runtime, volumes=tuple(sorted(volumes))))

    def _do_stopsignal(self, instruction: Instruction) -> None:
        self._change_config(instruction, replace(self.runtime, stop_signal=self.expand(instruction.args[0])))

    def _do_shell(self, instruction: Instruction) -> None:
        self._change_config(instruction, replace(self.runtime, shell=tuple(instruction.args)))

    def _do_onbuild(self, instruction: Instruction) -> None:
        on_build = self.runtime.on_build + (instruction.text,)
        self._change_config(instruction, replace(self.runtime, on_build=on_build))

    def _command(self, instruction: Instruction) -> tuple[str, ...]:
        if instruction.json:
            return tuple(instruction.args)
        return tuple(self.runtime.shell or DEFAULT_SHELL) + (instruction.args[0],)

    def _do_cmd(self, instruction: Instruction) -> None:
        self.state.cmd_set = True
        self._change_config(instruction, replace(self.runtime, cmd=self._command(instruction)))

    def _do_entrypoint(self, instruction: Instruction) -> None:
        cmd = self.runtime.cmd if self.state.cmd_set else None  # an inherited CMD is reset
        self._change_config(instruction, replace(self.runtime, entrypoint=self._command(instruction), cmd=cmd))

    def _do_healthcheck(self, instruction: Instruction) -> None:
        kind, rest = instruction.args[0].upper(), instruction.args[1:]
        if kind == "NONE":
            check = Healthcheck(("NONE",))
        else:
            test = ("CMD", *rest) if instruction.json else ("CMD-SHELL", rest[0])
            durations = {name: _duration(instruction.flag(name)) for name in
                         ("interval", "timeout", "start-period", "start-interval")}
            retries = instruction.flag("retries")
            check = Healthcheck(test, durations["interval"], durations["timeout"], durations["start-period"],
                                durations["start-interval"], int(retries.value) if retries else 0)
        self._change_config(instruction, replace(self.runtime, healthcheck=check))

    # -- filesystem steps ----------------------------------------------------------------------
    def _filesystem_step(self, instruction: Instruction, inputs: tuple[str, ...], execute: Callable[[str], None]) -> None:
        """Run ``execute(root)`` on the stage's filesystem unless the cache has this step; add its layer."""
        key = step_key(self.state.key, self._describe(instruction), inputs)
        cached = None if self.build.options.no_cache else self.build.cache.get(key)
        if cached is None:
            self.state.materialize(self.build.work, self.build.diff_method)
            step, layer = self.state.tracker.record(execute, self._store_layer)
            cached = CachedStep(layer, step.changes)
            self.build.cache.put(key, cached)
            if layer:
                self.state.applied += 1
        else:
            self.build.options.progress(f"[{self.label}] CACHED")
        self.state.key = key
        history = self._history(instruction, empty=cached.layer is None)
        self.state.config = replace(self.state.config, history=self.state.config.history + (history,))
        if cached.layer:
            self.state.layers.append(cached.layer)
            self.state.records.append(LayerRecord(history.created_by, instruction.span.line, self.label, cached.changes))

    def _store_layer(self, root: str, step: diff.Diff) -> Layer | None:
        if not step.members:
            return None
        blobs = self.build.cache.blobs
        with blobs.writing() as handle:
            layer = write_layer(root, step.members, handle, level=self.build.options.gzip_level)
            blobs.commit(handle, layer.descriptor.digest)
        return layer

    def _workdir(self) -> str:
        return self.runtime.working_dir or "/"

    def _do_workdir(self, instruction: Instruction) -> None:
        path = posixpath.normpath(posixpath.join(self._workdir(), self.expand(instruction.args[0])))
        self.state.config = replace(self.state.config, config=replace(self.runtime, working_dir=path))

        def create(root: str) -> None:
            identity = users.resolve(root, self.runtime.user or "0")
            make_dirs(root, path, Attributes(identity.uid, identity.gid))

        self._filesystem_step(instruction, (self.runtime.user,), create)

    def _do_copy(self, instruction: Instruction, *, extract_archives: bool = False) -> None:
        *sources, dest = [self.expand(arg) if not arg.startswith("<<") else arg for arg in instruction.args]
        if not posixpath.isabs(dest):
            dest = posixpath.join(self._workdir(), dest) + ("/" if dest.endswith("/") or dest == "." else "")
        heredocs = {f"<<{heredoc.name}": heredoc for heredoc in instruction.heredocs}
        chown = instruction.flag("chown")
        chmod = instruction.flag("chmod")
        mode = _octal_mode(instruction, self.expand(chmod.value)) if chmod else None

        def copy(root: str) -> None:
            identity = users.resolve_chown(root, self.expand(chown.value)) if chown else users.Identity(0, 0)
            attributes = Attributes(identity.uid, identity.gid, mode)
            files = [source for source in sources if source not in heredocs]
            if files:
                copy_into(tree(), files, root, dest, attributes, extract_archives=extract_archives)
            for source in sources:
                if source in heredocs:
                    self._copy_heredoc(root, heredocs[source], dest, attributes)

        try:  # a source that cannot be copied fails the build, naming the line and the source
            tree, source_key = self._copy_source(instruction, sources, heredocs)
            self._filesystem_step(instruction, (source_key,), copy)
        except (SourceNotFound, BadSource, CopyError, users.UnknownUser) as error:
            raise BuildError(f"line {instruction.span.line}: {instruction.keyword}: {error}") from error

    def _copy_source(self, instruction: Instruction, sources: list[str], heredocs) -> tuple[Callable[[], SourceTree], str]:
        """Where COPY reads from, and what identifies that content for the cache key."""
        files = [source for source in sources if source not in heredocs]
        origin = instruction.flag("from")
        exclude = [self.expand(pattern) for pattern in instruction.flag_values("exclude")]
        return self._source_tree(origin.value if origin else None, files, exclude)

    def _source_tree(self, origin: str | None, patterns: list[str],
                     exclude: list[str] = ()) -> tuple[Callable[[], SourceTree], str]:
        """The context (``origin`` None) or the stage or image ``origin`` names, minus ``exclude``,
        and its cache identity: the content digest of ``patterns`` in the context, or the stage's key
        (the exclude patterns are part of the instruction, so of the key, already)."""
        if origin is None:
            context = self.build.context.excluding(list(exclude))
            return (lambda: context), (context.content_digest(patterns) if patterns else "")
        other = self.build.source_state(self.expand(origin), self.line)
        return (lambda: SourceTree(other.materialize(self.build.work, self.build.diff_method)).excluding(list(exclude))), other.key

    def _copy_heredoc(self, root: str, heredoc, dest: str, attributes: Attributes) -> None:
        body = expand(heredoc.body, self.env()).value if heredoc.expand else heredoc.body
        target = posixpath.join(dest, heredoc.name) if dest.endswith("/") else dest
        directory = make_dirs(root, posixpath.dirname(target), attributes)
        path = os.path.join(directory, posixpath.basename(target))
        if os.path.lexists(path):
            os.unlink(path)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(body)
        os.lchown(path, attributes.uid, attributes.gid)
        os.chmod(path, attributes.chmod if attributes.chmod is not None else 0o644)
        os.utime(path, (source_date_epoch(),) * 2)

    def _do_add(self, instruction: Instruction) -> None:
        if any("://" in arg for arg in instruction.args[:-1]):
            raise BuildError(f"line {instruction.span.line}: ADD of a URL is not supported yet")
        self._do_copy(instruction, extract_archives=True)

    def _do_run(self, instruction: Instruction) -> None:
        argv = self._run_argv(instruction)
        env = self._run_env()
        mounts = tuple(self._mount(value) for value in instruction.flag_values("mount"))
        network_flag = instruction.flag("network")
        network = "host" if self.build.options.network == "host" and (network_flag is None or network_flag.value != "none") else "none"

        def execute(root: str) -> None:
            identity = users.resolve(root, self.runtime.user or "0", with_groups=True)
            with tempfile.TemporaryDirectory(prefix="mounts-", dir=self.build.work) as scratch:
                os.chmod(scratch, 0o700)
                prepared = [mount.prepare(os.path.join(scratch, str(number))) for number, mount in enumerate(mounts)]
                secret_env = tuple(entry for _, entries in prepared for entry in entries)
                spec = sandbox.RunSpec(root, argv, env + secret_env, self._workdir(), identity.uid, identity.gid,
                                       identity.extra_gids, network,
                                       tuple(item for items, _ in prepared for item in items))
                try:
                    status = sandbox.run(spec, lambda line: self.build.options.progress(f"[{self.label}] {line}"),
                                         self.build.options.runtime, limits=self.build.options.limits,
                                         work=self.build.work)
                except (sandbox.RunTimeout, sandbox.LimitExceeded) as error:
                    raise BuildError(f"line {instruction.span.line}: RUN {error}: {instruction.text}") from None
            if status != 0:
                raise BuildError(f"line {instruction.span.line}: RUN exited with status {status}: {instruction.text}")

        inputs = (*env, self.runtime.user, network, *(mount.key for mount in mounts))
        self._filesystem_step(instruction, inputs, execute)

    def _run_argv(self, instruction: Instruction) -> tuple[str, ...]:
        if instruction.json:
            return tuple(instruction.args)
        shell = tuple(self.runtime.shell or DEFAULT_SHELL)
        script = instruction.args[0]
        if len(instruction.heredocs) == 1 and script.strip().lstrip("<-").strip("'\"") == instruction.heredocs[0].name:
            return shell + (instruction.heredocs[0].body,)  # RUN <<EOF: the body is the script
        return shell + (script + "".join(f"\n{h.body}{h.name}" for h in instruction.heredocs),)

    def _run_env(self) -> tuple[str, ...]:
        env = self.runtime.env_map()
        args = {name: value for name, value in self.state.args.items() if name not in env}
        merged = {**args, **env}
        merged.setdefault("PATH", DEFAULT_PATH)
        return tuple(f"{name}={value}" for name, value in merged.items())

    def _mount(self, value: str) -> _RunMount:
        options = {name.strip().lower(): item_value for name, _, item_value in
                   (item.partition("=") for item in self.expand(value).split(","))}
        kind = options.get("type", "bind")
        target = options.get("target") or options.get("dst") or options.get("destination")
        if kind == "secret":
            return self._secret_mount(value, options, target)
        if not target:
            raise BuildError(f"--mount={value}: needs a target")
        target = posixpath.join(self._workdir(), target)
        if kind == "cache":
            directory = self.build.cache.mount_dir(options.get("id", target))
            return _RunMount("", lambda scratch: ((sandbox.Mount(target, "bind", directory),), ()))
        if kind == "tmpfs":
            return _RunMount("", lambda scratch: ((sandbox.Mount(target, "tmpfs"),), ()))
        if kind == "bind":
            return self._bind_mount(options, target)
        raise BuildError(f"--mount={value}: type={kind} is not supported (bind, cache, secret and tmpfs are)")

    def _secret_mount(self, value: str, options: dict[str, str], target: str | None) -> _RunMount:
        """The secret's file (and ``env=`` variable) for this step only; see secrets.py for why
        its content is not part of the cache key."""
        secret_id = options.get("id") or posixpath.basename(target or "")
        if not secret_id:
            raise BuildError(f"--mount={value}: a secret needs id= or target=")
        source = self.build.options.secrets.get(secret_id)
        if source is None:
            if _flag_true(options, "required"):
                raise BuildError(f"--mount={value}: secret {secret_id!r} is required; pass --secret id={secret_id},src=FILE")
            return _RunMount(f"secret:{secret_id}:absent", lambda scratch: ((), ()))
        env_name = options.get("env")
        if target is None and env_name is None:
            target = posixpath.join(SECRETS_DIR, secret_id)
        mode = int(options.get("mode", "0400"), 8)
        uid, gid = int(options.get("uid", "0")), int(options.get("gid", "0"))

        def prepare(scratch: str) -> tuple[tuple[sandbox.Mount, ...], tuple[str, ...]]:
            data = source.read()
            if target is None:
                return (), (f"{env_name}={data.decode('utf-8', 'replace')}",)
            fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chown(scratch, uid, gid)
            os.chmod(scratch, mode)
            env = (f"{env_name}={data.decode('utf-8', 'replace')}",) if env_name else ()
            return (sandbox.Mount(posixpath.join(self._workdir(), target), "bind", scratch, readonly=True),), env

        return _RunMount(f"secret:{secret_id}", prepare)

    def _bind_mount(self, options: dict[str, str], target: str) -> _RunMount:
        """``type=bind``: a path of the context (``.dockerignore`` applies) or of ``from=`` a
        stage, read-only unless ``rw``; with ``rw`` the step writes to a copy that is thrown away."""
        source = options.get("source") or options.get("src") or "/"
        writable = _flag_true(options, "rw") or _flag_true(options, "readwrite")
        tree, key = self._source_tree(options.get("from"), [source])

        def prepare(scratch: str) -> tuple[tuple[sandbox.Mount, ...], tuple[str, ...]]:
            origin = tree()
            selected = origin.select(source)
            if len(selected) != 1:
                raise BuildError(f"--mount=type=bind,source={source}: names {len(selected)} paths, not one")
            if not writable and origin is not self.build.context:  # a stage's rootfs: bind it as it is
                return (sandbox.Mount(target, "bind", selected[0].real, readonly=True),), ()
            os.mkdir(scratch, 0o755)  # a copy: the context minus .dockerignore, or a throwaway rw copy
            copy_into(origin, [source], scratch, "/", Attributes())
            real = scratch if os.path.isdir(selected[0].real) else os.path.join(scratch, selected[0].copy_name)
            return (sandbox.Mount(target, "bind", real, readonly=not writable),), ()

        return _RunMount(f"bind:{target}:{key}", prepare)


@dataclass(frozen=True)
class _RunMount:
    """One ``RUN --mount``: what it adds to the step's cache key, and how to set it up for a run
    (``prepare(scratch)`` gets a private path to use and returns sandbox mounts and env entries)."""

    key: str
    prepare: Callable[[str], tuple[tuple[sandbox.Mount, ...], tuple[str, ...]]]


def _octal_mode(instruction: Instruction, value: str) -> int:
    """``--chmod=0640``: octal only (as BuildKit's built-in frontend); anything else names the line."""
    try:
        mode = int(value, 8)
    except ValueError:
        mode = -1
    if not 0 <= mode <= 0o7777:
        raise BuildError(f"line {instruction.span.line}: --chmod={value}: expected an octal mode such as 0644")
    return mode


def _flag_true(options: Mapping[str, str], name: str) -> bool:
    """A mount option given bare (``rw``) or as a boolean (``required=true``)."""
    return name in options and options[name].lower() in ("", "true", "1")


def _duration(flag) -> int:
    """Go duration text (``30s``, ``1m30s``) in nanoseconds."""
    if flag is None or not flag.value:
        return 0
    total, number = 0, ""
    text = flag.value
    index = 0
    while index < len(text):
        if text[index].isdigit() or text[index] == ".":
            number += text[index]
            index += 1
            continue
        unit = text[index:index + 2] if text[index:index + 2] in _DURATIONS else text[index]
        total += int(float(number) * _DURATIONS[unit])
        number, index = "", index + len(unit)
    return total
