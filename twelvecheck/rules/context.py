"""Per-file state that Dockerfile rules share, computed once and only when asked for.

The engine makes one context per file, so rules never keep state in module globals and files
lint in parallel safely.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

from twelvecheck.files import Unreadable, real_root
from twelvecheck.parse.dockerignore import Dockerignore, for_context
from twelvecheck.parse.expand import Expansion, expand, is_literal
from twelvecheck.parse.model import Dockerfile, Instruction, ParseError, Span, Stage
from twelvecheck.parse.words import split_words, split_words_at
from twelvecheck.suppress import Problem, Suppressions, collect
from twelvecheck.lazy_re import lazy_compile

if TYPE_CHECKING:
    from twelvecheck.rules.run_scripts import RunScript

DEFAULT_SHELL = ("/bin/sh", "-c")
_SHELL_PRAGMA = lazy_compile(r"^(?:hadolint|twelvecheck)\s+shell\s*=\s*(\S+)\s*$", re.IGNORECASE)
WINDOWS_SHELL = ("cmd", "/S", "/C")
# Longer expansions are not kept for other rules: ``ENV PATH=/opt/$N:$PATH`` repeated 50k times
# makes values of hundreds of kilobytes, and keeping each would double what the scopes hold.
MAX_KEPT_EXPANSION = 4096
_NO_NAMES: Any = frozenset()
# BuildKit's predefined platform and proxy ARGs are usable without declaring them.
PREDEFINED_ARGS = frozenset(
    {
        "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT",
        "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT",
        "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy",
        "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
        "BUILDKIT_SYNTAX", "BUILDKIT_INLINE_CACHE", "BUILDKIT_MULTI_PLATFORM",
        "BUILDKIT_CONTEXT_KEEP_GIT_DIR", "BUILDKIT_SANDBOX_HOSTNAME", "SOURCE_DATE_EPOCH",
    }
)  # fmt: skip


def arg_pairs(instruction: Instruction) -> Iterator[tuple[str, str | None]]:
    """``ARG A=1 B`` as (name, default-or-None) pairs, quotes removed from defaults."""
    for word in instruction.args:
        name, sep, default = word.partition("=")
        yield name, (expand(default, {}).value if sep else None)


def env_pairs(instruction: Instruction) -> Iterator[tuple[str, str]]:
    """``ENV``/``LABEL`` values as raw (key, value) pairs."""
    values = instruction.args
    for index in range(0, len(values) - 1, 2):
        yield values[index], values[index + 1]


class _Assignments:
    """A stage's variable assignments in order: for each name, the positions of the
    instructions that set it and the values they set; ``base`` is the environment the stage
    starts with (its parent stage's)."""

    __slots__ = ("base", "base_unknown", "positions", "values", "unknown", "sizes")

    def __init__(self, base: Mapping[str, str], base_unknown: frozenset[str] = frozenset()):
        self.base = base
        self.base_unknown = base_unknown  # names of ``base`` only the build knows
        self.positions: dict[str, list[int]] = {}
        self.values: dict[str, list[str]] = {}
        self.unknown: dict[str, list[bool]] = {}
        self.sizes: list[int] = []  # how many names are set before each position

    def set(self, env: dict[str, str], name: str, value: str, position: int, unknown: bool = False) -> None:
        while len(self.sizes) <= position:
            self.sizes.append(len(env))
        env[name] = value
        self.positions.setdefault(name, []).append(position)
        self.values.setdefault(name, []).append(value)
        self.unknown.setdefault(name, []).append(unknown)


class _Scope(Mapping[str, str]):
    """The variables in force just before the instruction at ``position`` of a stage."""

    __slots__ = ("record", "position")

    def __init__(self, record: _Assignments, position: int):
        self.record = record
        self.position = position

    def _last(self, name: str) -> int:
        """How many of ``name``'s assignments come strictly before this position."""
        positions = self.record.positions.get(name)
        return bisect_left(positions, self.position) if positions else 0

    def __getitem__(self, name: str) -> str:
        at = self._last(name)
        return self.record.values[name][at - 1] if at else self.record.base[name]

    def build_time_names(self) -> frozenset[str]:
        """The names in force here whose value only ``--build-arg`` gives."""
        names = set()
        for name in self:
            at = self._last(name)
            if self.record.unknown[name][at - 1] if at else name in self.record.base_unknown:
                names.add(name)
        return frozenset(names)

    def __iter__(self) -> Iterator[str]:
        yield from self.record.base
        for name, positions in self.record.positions.items():
            if positions[0] < self.position and name not in self.record.base:
                yield name

    def __len__(self) -> int:
        sizes = self.record.sizes
        return sizes[self.position] if self.position < len(sizes) else sum(1 for _ in self)


class FileContext:
    """What every rule may ask of any file: its path and the problems reading or parsing it."""

    kind = "any"

    def __init__(self, path: str, unreadable: Unreadable | None = None):
        self.path = path
        self.unreadable = unreadable

    @property
    def parse_errors(self) -> tuple[ParseError, ...]:
        return ()

    @property
    def suppressions(self) -> Suppressions:
        return Suppressions()

    def suppressions_for(self, file: str) -> Suppressions:
        """Pragmas that apply to a finding in ``file``: a rule may report in a file it read
        through this one (an entrypoint script, an env file); line pragmas stay in their file."""
        return self.suppressions if file == self.path else self.suppressions.global_only()

    @property
    def pragma_problems(self) -> list[Problem]:
        return list(self.suppressions.problems)


class DockerfileContext(FileContext):
    """What rules need to know about one Dockerfile."""

    kind = "dockerfile"

    def __init__(self, path: str, dockerfile: Dockerfile, known_rule_keys: frozenset[str] = frozenset(),
                 settings: Mapping[str, Any] | None = None, source: str | None = None,
                 key_patterns: tuple[re.Pattern[str], ...] = (), tree: str | None = None):
        super().__init__(path)
        self.source = source  # the file on disk (None for text linted from memory): finds the build context
        self.dockerfile = dockerfile
        # The Dockerfile's own directory, taken as its build context (where COPY sources are).
        self.directory = os.path.dirname(os.path.abspath(source)) if source else None
        # What files the rules read beside the Dockerfile must stay inside: the linted tree and
        # the build context (twelvecheck.files); a link leading out of either is not followed.
        self.tree = tree
        self.context_root = real_root(self.directory) if self.directory else None
        self.known_rule_keys = known_rule_keys
        self.key_patterns = key_patterns
        self.settings = settings or {}

    @property
    def parse_errors(self) -> tuple[ParseError, ...]:
        return self.dockerfile.errors

    @cached_property
    def context_dockerignore(self) -> Dockerignore | None:
        """The build context's ignore file (the Dockerfile's directory taken as the context)."""
        if self.directory is None:
            return None
        return for_context(self.directory, self.source)

    @cached_property
    def suppressions(self) -> Suppressions:
        df = self.dockerfile
        return collect(df.comments, df.directives, df.instructions, set(self.known_rule_keys), self.key_patterns)

    def instructions_with(self, keywords: Iterable[str]) -> Iterator[Instruction]:
        """The instructions with one of ``keywords`` (every one when empty), ONBUILD's inner
        ones included, in file order. Each selection is made once per file: the instruction
        rules ask for the same few keyword sets, and a scan per rule would cost a pass over the
        whole file for each of them."""
        wanted = frozenset(keywords)
        selected = self._instruction_selections.get(wanted)
        if selected is None:
            everything = self._selection_of_every_instruction
            selected = everything if not wanted else [i for i in everything if i.keyword in wanted]
            self._instruction_selections[wanted] = selected
        return iter(selected)

    @cached_property
    def _selection_of_every_instruction(self) -> list[Instruction]:
        found = []
        for instruction in self.dockerfile.instructions:
            found.append(instruction)
            if instruction.onbuild is not None:
                found.append(instruction.onbuild)
        return found

    @cached_property
    def _instruction_selections(self) -> dict[frozenset[str], list[Instruction]]:
        return {}

    @cached_property
    def global_arg_defaults(self) -> dict[str, str]:
        defaults: dict[str, str] = {}
        for instruction in self.dockerfile.global_args:
            for name, default in arg_pairs(instruction):
                if default is not None:
                    defaults[name] = default
        return defaults

    @cached_property
    def _scopes(self) -> dict[int, _Scope]:
        """Variables visible to each instruction: declared ARGs (with defaults) and ENVs, and
        which of them only the build knows (an ARG with no default).

        One record of assignments per stage, viewed at each instruction's position, rather than a
        copy of the environment per instruction (40k ENV lines would copy 40k-entry dicts 40k times)."""
        scopes: dict[int, _Scope] = {}
        globals_ = self.global_arg_defaults
        stage_env: dict[str, tuple[dict[str, str], frozenset[str]]] = {}
        for stage in self.dockerfile.stages:
            parent, parent_unknown = stage_env.get(self.resolved_base(stage).lower(), ({}, frozenset()))
            env = dict(parent)
            record = _Assignments(parent, parent_unknown)
            for position, instruction in enumerate(stage.instructions):
                scopes[id(instruction)] = _Scope(record, position)
                if instruction.keyword == "ARG":
                    for name, default in arg_pairs(instruction):
                        if default is not None:
                            record.set(env, name, expand(default, env, self.dockerfile.escape).value, position)
                        elif name in globals_:
                            record.set(env, name, globals_[name], position)
                        elif name not in env:
                            record.set(env, name, "", position, unknown=True)
                elif instruction.keyword == "ENV":
                    for key, value in env_pairs(instruction):
                        record.set(env, key, expand(value, env, self.dockerfile.escape).value, position)
            record.sizes.extend([len(env)] * (len(stage.instructions) - len(record.sizes)))
            if stage.name:
                stage_env[stage.name] = (env, _Scope(record, len(stage.instructions)).build_time_names())
        return scopes

    def variables_at(self, instruction: Instruction) -> Mapping[str, str]:
        """ARG and ENV values in scope just before ``instruction`` (a read-only mapping)."""
        return self._scopes.get(id(instruction), {})

    def build_time_variables_at(self, instruction: Instruction) -> frozenset[str]:
        """Names in scope whose value only ``--build-arg`` gives (``ARG VERSION`` without a
        default): ``variables_at`` maps them to "", BuildKit's value when none is passed."""
        scope = self._scopes.get(id(instruction))
        return scope.build_time_names() if scope is not None else frozenset()

    def resolved_base(self, stage: Stage) -> str:
        """The FROM image with global ARG defaults substituted, as BuildKit resolves it."""
        cache = self._resolved_bases
        found = cache.get(id(stage))
        if found is None:
            found = cache[id(stage)] = expand(stage.base, self.global_arg_defaults, self.dockerfile.escape).value
        return found

    @cached_property
    def _resolved_bases(self) -> dict[int, str]:
        return {}

    @cached_property
    def instruction_keywords(self) -> frozenset[str]:
        """Every instruction keyword of the file (ONBUILD's inner ones too): the engine skips
        rules that look only at keywords the file lacks."""
        return frozenset(instruction.keyword for instruction in self.instructions_with(()))

    @cached_property
    def command_names(self) -> frozenset[str]:
        """The name of every command the RUN scripts run (as ``ShellRule`` sees them)."""
        return frozenset(command.name for run in self.run_scripts for command in run.commands)

    @cached_property
    def run_scripts(self) -> list[RunScript]:
        """The POSIX shell scripts of every RUN (ONBUILD's too), parsed once for all rules."""
        return [run for instruction in self.instructions_with({"RUN"}) if self.uses_posix_shell(instruction)
                for run in self.scripts_of(instruction)]

    def posix_scripts_of(self, instruction: Instruction) -> list[RunScript]:
        """The ``run_scripts`` of one instruction, in their order; do not modify the list."""
        return self._run_scripts_by_instruction.get(id(instruction), [])

    def run_scripts_in(self, stage: Stage) -> list[RunScript]:
        """The ``run_scripts`` of one stage's instructions (ONBUILD's inner ones too), in order."""
        found = []
        for instruction in stage.instructions:
            found.extend(self.posix_scripts_of(instruction))
            if instruction.onbuild is not None:
                found.extend(self.posix_scripts_of(instruction.onbuild))
        return found

    @cached_property
    def _run_scripts_by_instruction(self) -> dict[int, list[RunScript]]:
        grouped: dict[int, list[RunScript]] = {}
        for run in self.run_scripts:
            grouped.setdefault(id(run.instruction), []).append(run)
        return grouped

    def scripts_of(self, instruction: Instruction) -> list[RunScript]:
        """The shell scripts of one RUN whatever its shell (``run_scripts`` keeps the POSIX
        ones), parsed once per file for all rules; do not modify the list."""
        from twelvecheck.rules.run_scripts import scripts_of

        return self.per_instruction("scripts_of", instruction, lambda: scripts_of(instruction))

    def memo(self, key: Any, compute: Callable[[], Any]) -> Any:
        """A value about this file computed once however many rules (or calls of one rule) ask:
        a rule's fold over the whole file, keyed by something naming the rule."""
        cache = self._memo
        if key not in cache:
            cache[key] = compute()
        return cache[key]

    def per_instruction(self, name: str, instruction: Instruction, compute: Callable[[], Any]) -> Any:
        """``memo`` for a value about one instruction (its operands, a parse of its text)."""
        cache = self._memo
        key = (name, id(instruction))
        found = cache.get(key)
        if found is None or found[0] is not instruction:  # the instruction is kept: its id stays its own
            found = cache[key] = (instruction, compute())
        return found[1]

    @cached_property
    def _memo(self) -> dict[Any, Any]:
        return {}

    def stage_chain(self, stage: Stage) -> list[Stage]:
        """The stage, then the earlier stages it is built FROM, down to the one FROM an image."""
        found = self._chains.get(stage.index)
        if found is not None:
            return list(found)
        chain = [stage]
        parent = self.parent_stage(stage)
        while parent is not None:
            chain.append(parent)
            parent = self.parent_stage(parent)
        self._chains[stage.index] = tuple(chain)  # the final stage's chain is asked for by many rules
        return chain

    def parent_stage(self, stage: Stage) -> Stage | None:
        """The earlier stage ``stage`` is built FROM, or None when it is FROM an image."""
        parent = self.stages_by_name.get(self.resolved_base(stage).lower())
        return parent if parent is not None and parent.index < stage.index else None

    def stage_keywords(self, stage: Stage) -> frozenset[str]:
        """The keywords of a stage's own instructions (ONBUILD, not the one it wraps)."""
        return self._stage_keywords[stage.index]

    @cached_property
    def _stage_keywords(self) -> list[frozenset[str]]:
        return [frozenset(instruction.keyword for instruction in stage.instructions) for stage in self.dockerfile.stages]

    @cached_property
    def _chains(self) -> dict[int, tuple[Stage, ...]]:
        return {}

    @cached_property
    def stages_by_name(self) -> dict[str, Stage]:
        return {s.name: s for s in self.dockerfile.stages if s.name}

    @cached_property
    def final_image_stages(self) -> set[int]:
        """Indexes of the final stage and the stages it is built FROM (their layers ship)."""
        stages = self.dockerfile.stages
        return {stage.index for stage in self.stage_chain(stages[-1])} if stages else set()

    def in_final_image(self, instruction: Instruction) -> bool:
        stage = self.stage_of(instruction)
        return stage is not None and stage.index in self.final_image_stages

    def base_has_unknowns(self, stage: Stage) -> bool:
        """The FROM reference uses a variable with no default: its value is unknown here."""
        return bool(expand(stage.base, self.global_arg_defaults, self.dockerfile.escape).missing) or not stage.base

    @cached_property
    def stage_names(self) -> set[str]:
        return {stage.name for stage in self.dockerfile.stages if stage.name}

    def is_stage_reference(self, stage: Stage) -> bool:
        """FROM an earlier stage of this file (not an image)."""
        first = self.first_stage_named(self.resolved_base(stage).lower())
        return first is not None and first < stage.index

    def first_stage_named(self, name: str) -> int | None:
        """The index of the first stage named ``name`` (lower-case), or None."""
        return self._first_stage_named.get(name)

    @cached_property
    def _first_stage_named(self) -> dict[str, int]:
        first: dict[str, int] = {}
        for stage in self.dockerfile.stages:
            if stage.name:
                first.setdefault(stage.name, stage.index)
        return first

    def stage_of(self, instruction: Instruction) -> Stage | None:
        return self._stage_index.get(id(instruction))

    @cached_property
    def _stage_index(self) -> dict[int, Stage]:
        index: dict[int, Stage] = {}
        for stage in self.dockerfile.stages:
            index[id(stage.from_instruction)] = stage
            for instruction in stage.instructions:
                index[id(instruction)] = stage
                if instruction.onbuild is not None:
                    index[id(instruction.onbuild)] = stage
        return index

    @cached_property
    def pragma_shell(self) -> str | None:
        """hadolint's ``# hadolint shell=powershell`` (or ``# twelvecheck shell=…``): the shell
        of a file whose base image is not visible (a local Windows image)."""
        for comment in self.dockerfile.comments:
            match = _SHELL_PRAGMA.match(comment.text)
            if match:
                return match.group(1)
        return None

    def shell_of(self, instruction: Instruction) -> tuple[str, ...]:
        """The SHELL in force for ``instruction`` (BuildKit's default when none is set; a
        ``shell=`` pragma stands in for that default)."""
        stage = self.stage_of(instruction)
        if stage is None:
            return (self.pragma_shell, "-c") if self.pragma_shell else DEFAULT_SHELL
        shell = WINDOWS_SHELL if self.is_windows(stage) else DEFAULT_SHELL
        if self.pragma_shell:
            shell = (self.pragma_shell, "-c")
        return self._shells.get(id(instruction)) or shell

    @cached_property
    def _shells(self) -> dict[int, tuple[str, ...]]:
        """The last ``SHELL`` before each instruction of its stage, for those after one."""
        shells: dict[int, tuple[str, ...]] = {}
        for stage in self.dockerfile.stages:
            shell: tuple[str, ...] | None = None
            for own in stage.instructions:
                if shell is not None:
                    shells[id(own)] = shell
                    if own.onbuild is not None:
                        shells[id(own.onbuild)] = shell
                if own.keyword == "SHELL" and own.json and own.args:
                    shell = tuple(own.args)
        return shells

    def is_onbuild_trigger(self, instruction: Instruction) -> bool:
        """The instruction is the inner one of an ``ONBUILD`` (it runs in a child image)."""
        return id(instruction) in self._onbuild_inner

    @cached_property
    def _onbuild_inner(self) -> frozenset[int]:
        return frozenset(id(own.onbuild) for own in self.dockerfile.instructions if own.onbuild is not None)

    def image_root(self, stage: Stage) -> str:
        """The image at the bottom of a stage's FROM chain (through earlier stages), resolved."""
        return self._image_roots[stage.index]

    @cached_property
    def _image_roots(self) -> list[str]:
        """Each stage's image root, built in stage order from its parent's (a chain of 50k
        stages is walked once, not once per stage)."""
        roots: list[str] = []
        by_name = self.stages_by_name
        for stage in self.dockerfile.stages:
            base = self.resolved_base(stage).lower()
            parent = by_name.get(base)
            if parent is not None and parent.index < stage.index:
                roots.append(roots[parent.index])
            else:
                roots.append(base)
        return roots

    def sh_is_busybox(self, instruction: Instruction) -> bool:
        """``/bin/sh`` is busybox ash (Alpine and busybox images), not dash or bash."""
        stage = self.stage_of(instruction)
        return stage is not None and any(m in self.image_root(stage) for m in ("alpine", "busybox"))

    def is_windows(self, stage: Stage) -> bool:
        """A Windows base image (servercore, nanoserver, windows) or a Windows-style file."""
        base = self.resolved_base(stage).lower()
        markers = ("windows", "servercore", "nanoserver", "mcr.microsoft.com/powershell")
        return any(marker in base for marker in markers) or self.dockerfile.escape == "`" \
            or (self.pragma_shell or "").lower().removesuffix(".exe") in ("powershell", "pwsh", "cmd")

    def uses_posix_shell(self, instruction: Instruction) -> bool:
        """False for RUN under PowerShell or cmd: POSIX shell rules do not apply."""
        program = self.shell_of(instruction)[0].lower().replace("\\", "/").rsplit("/", 1)[-1]
        return program.removesuffix(".exe") not in {"powershell", "pwsh", "cmd"}

    def expansion(self, text: str, instruction: Instruction) -> Expansion:
        """``text`` expanded with the ARG and ENV values in scope at ``instruction`` (computed
        once for all rules; do not modify it)."""
        key = (text, id(instruction))
        found = self._expansions.get(key)
        if found is None or found[0] is not instruction:  # the instruction is kept: its id stays its own
            escape = self.dockerfile.escape
            # a literal needs no scope: most instruction texts have no variable at all
            expansion = Expansion(text) if is_literal(text, escape) else expand(text, self.variables_at(instruction), escape)
            if len(expansion.value) > MAX_KEPT_EXPANSION:
                return expansion
            expansion.used = expansion.used or _NO_NAMES  # most use no variable: no empty set per kept one
            expansion.missing = expansion.missing or _NO_NAMES
            found = self._expansions[key] = (instruction, expansion)
        return found[1]

    @cached_property
    def _expansions(self) -> dict[tuple[str, int], tuple[Instruction, Expansion]]:
        return {}

    def expand(self, text: str, instruction: Instruction) -> str:
        return self.expansion(text, instruction).value

    def words(self, text: str) -> list[str]:
        return split_words(text, self.dockerfile.escape)

    def argument_words(self, instruction: Instruction) -> list[tuple[str, Span]]:
        """The words of an instruction's arguments, each with its exact source span."""
        return [(word, instruction.text_map.span(start, end))
                for word, start, end in split_words_at(instruction.text, self.dockerfile.escape)]
