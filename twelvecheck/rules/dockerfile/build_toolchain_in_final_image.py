from __future__ import annotations

import os
import re
from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._verify import evidence, left_in_layers, not_checkable, refuted, confirmed, size, step_layers, visible_files
from twelvecheck.rules.base import DockerfileRule
from twelvecheck.rules.dockerfile._image import parse_image
from twelvecheck.rules.dockerfile._startup import is_development_image

TOOLCHAIN = re.compile(r"^(gcc|g\+\+|gcc-c\+\+|clang|make|cmake|build-essential|build-base|alpine-sdk|autoconf|automake|libtool"
                       r"|[\w.+-]+-dev|[\w.+-]+-devel)([=<>~].*)?$")
# Language images whose ecosystem has a standard multi-stage build (compile in one stage,
# copy the result into a slim one).
LANGUAGE_IMAGES = frozenset({"python", "node", "ruby", "golang", "rust", "openjdk", "eclipse-temurin", "amazoncorretto",
                             "php", "elixir", "erlang", "haskell", "perl", "swift", "dotnet/aspnet", "dotnet/runtime"})
# Images that exist to generate code (opentelemetry-demo's src/*/genproto/Dockerfile runs protoc
# over the .proto files): a compiler or headers there are the point, not a leftover.
CODE_GENERATION_NAME = re.compile(r"(^|[._-])(gen-?proto|proto-?gen|codegen|code-gen|protoc|generate|generator)([._-]|$)", re.IGNORECASE)
CODE_GENERATORS = re.compile(r"^(protobuf-dev|protobuf-devel|protobuf-c-dev|protoc|grpc-dev|flatbuffers-dev|thrift-dev)([=<>~].*)?$")
INSTALLERS = {"apt-get": "install", "apt": "install", "apk": "add", "yum": "install", "dnf": "install", "microdnf": "install"}
REMOVERS = frozenset({"purge", "remove", "autoremove", "del", "erase"})


class BuildToolchainInFinalImage(DockerfileRule):
    """A single-stage image installs a compiler or `-dev` headers and never removes them.

    ## What it does
    Reports an `apt-get install`/`apk add`/`yum install` of gcc, g++, make, cmake,
    build-essential, build-base, alpine-sdk, autoconf or `*-dev`/`*-devel` packages in a
    single-stage Dockerfile built FROM a language image (python, node, ruby, golang, rust,
    openjdk/temurin, php…) when no later `apt-get purge`, `apk del` (of the package or of its
    `--virtual` group) or `yum remove` removes them. Development Dockerfiles
    (`Dockerfile.dev`), images FROM plain distributions (debian, alpine: often toolchain
    images on purpose) and code-generation images are not reported: a Dockerfile whose path or
    stage is named for it (`genproto/Dockerfile`, `AS codegen`), or one with no `CMD` or
    `ENTRYPOINT` that installs only a code generator's packages (`protobuf-dev`, `protoc`).

    ## Why is this bad?
    Factor V (build, release, run): the build stage turns code into an artifact; the run stage
    executes it. A compiler in the running image makes it larger, slower to ship and gives an
    attacker a toolchain. Every one of these languages has a multi-stage pattern: build wheels,
    gems, binaries or `node_modules` in a builder stage and copy them into a slim final stage.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev \\
        && rm -rf /var/lib/apt/lists/*
    COPY requirements.txt .
    RUN pip install --no-cache-dir -r requirements.txt
    ```

    Use instead:
    ```dockerfile
    FROM python:3.12-slim AS build
    RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev
    COPY requirements.txt .
    RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt

    FROM python:3.12-slim
    COPY --from=build /wheels /wheels
    RUN pip install --no-cache-dir /wheels/*
    ```
    """

    code = "DF220"
    name = "build-toolchain-in-final-image"
    severity = "info"
    factors = ("V",)

    def check(self, ctx) -> Iterator[Finding]:
        stages = ctx.dockerfile.stages
        if len(stages) != 1 or is_development_image(ctx) or not _language_image(ctx.resolved_base(stages[0])):
            return
        if _named_for_code_generation(ctx.path, stages[0].name):
            return
        installed: list[tuple[object, object, list[str], str | None]] = []
        removed: set[str] = set()
        for run in ctx.run_scripts:
            for command in run.commands:
                verb = _subcommand(command)
                if verb == INSTALLERS.get(command.name):
                    names = [a for a in _operands(command) if TOOLCHAIN.match(a)]
                    if names:
                        installed.append((run, command, names, _virtual(command)))
                elif verb in REMOVERS:
                    removed.update(_operands(command) or ["*"])
        if not _runs_a_command(stages[0]) and all(CODE_GENERATORS.match(n) for *_, names, _ in installed for n in names):
            return  # a tool image: protoc is run with explicit arguments, nothing else is built
        for run, command, names, virtual in installed:
            left = [name for name in names if not (removed & {name, re.split(r"[=<>~]", name)[0], virtual, "*"} - {None})]
            if left:
                yield Finding(run.command_span(command), f"installs the build toolchain {', '.join(left)} into the final image and never removes it",
                              hint="compile in a build stage and copy the result into a slim final stage")

    def verify(self, finding: Finding, image):
        """Which compilers the final image holds, and what the toolchain weighs; removed by a
        later step, the claim is refuted (the bytes may still ship: the ledger shows them)."""
        line, layers = step_layers(image, finding)
        if layers is None:
            return not_checkable(f"the image has no step for line {line or finding.span.line}")
        present = sorted({path.rsplit("/", 1)[1] for path, event in visible_files(image)
                          if path.startswith(("/usr/bin/", "/usr/local/bin/")) and COMPILERS.match(path.rsplit("/", 1)[1])})
        weight = sum(event.size for path, event in visible_files(image)
                     if path.startswith(TOOLCHAIN_DIRS) and event.type == "file")
        number = layers[0].number if layers else None
        if not present:
            shipped = sum(item.bytes for item in left_in_layers(image, [number], TOOLCHAIN_DIRS)) if number else 0
            return refuted(evidence(image, f"the final image has no compiler in /usr/bin ({size(shipped)} of "
                                           f"toolchain files stay in layer {number} all the same)", number,
                                    bytes=shipped, line=line))
        return confirmed(evidence(image, f"the final image holds {', '.join(present[:6])}; toolchain directories "
                                         f"weigh {size(weight)}", number, path="/usr/bin/" + present[0],
                                  bytes=weight, line=line))


COMPILERS = re.compile(r"^(gcc|g\+\+|cc|c\+\+|clang|clang\+\+|make|cmake|ld|as|[\w-]+-gcc(-\d+)?|gcc-\d+)$")
TOOLCHAIN_DIRS = ("/usr/lib/gcc", "/usr/libexec/gcc", "/usr/include", "/usr/bin/gcc", "/usr/bin/g++", "/usr/bin/make",
                  "/usr/bin/cc", "/usr/bin/clang", "/usr/bin/ld", "/usr/bin/as")


def _named_for_code_generation(path: str, stage: str | None) -> bool:
    parts = [*re.split(r"[\\/]", path), stage or ""]
    return any(CODE_GENERATION_NAME.search(part) for part in parts)


def _runs_a_command(stage) -> bool:
    return any(instruction.keyword in ("CMD", "ENTRYPOINT") for instruction in stage.instructions)


def _language_image(base: str) -> bool:
    repository = parse_image(base).repository.lower()
    return repository in LANGUAGE_IMAGES or os.path.basename(repository) in LANGUAGE_IMAGES


def _subcommand(command) -> str | None:
    return next((arg for arg in command.args if not arg.startswith("-")), None)


def _operands(command) -> list[str]:
    """Package operands after the subcommand (options and their values skipped roughly)."""
    args = [arg for arg in command.args if not arg.startswith("-")]
    return [arg for arg in args[1:] if arg != _virtual(command)]


def _virtual(command) -> str | None:
    args = command.args
    for index, arg in enumerate(args):
        if arg in ("-t", "--virtual") and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith("--virtual="):
            return arg.split("=", 1)[1]
    return None
