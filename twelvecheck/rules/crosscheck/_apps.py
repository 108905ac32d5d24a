"""Applications of a repository as the cross-checks see them: a Dockerfile, the source files
in its directory tree (its build context), and what the image and compose give them."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from twelvecheck.discover import SOURCE_SUFFIXES, kind_of
from twelvecheck.files import read_text
from twelvecheck.parse.dockerfile import parse
from twelvecheck.parse.model import Instruction
from twelvecheck.rules._test_code import is_test_or_tooling
from twelvecheck.rules.context import DockerfileContext, env_pairs
from twelvecheck.rules.crosscheck._facts import Fact, facts_of
from twelvecheck.parse.words import bounded_int

ENV_EXAMPLES = (".env.example", ".env.sample", ".env.template", ".env.dist")


@dataclass
class Application:
    dockerfile: str  # relative to the root
    context: DockerfileContext
    facts: list[Fact]
    provided_env: set[str] = field(default_factory=set)  # compose environment/env_file, .env examples, ENV
    published_ports: set[int] = field(default_factory=set)  # EXPOSE and compose container ports
    env_instructions: dict[str, Instruction] = field(default_factory=dict)  # ENV keys of the final image

    @property
    def final_instructions(self) -> list[Instruction]:
        ctx = self.context
        return [i for stage in ctx.dockerfile.stages if stage.index in ctx.final_image_stages for i in stage.instructions]


def applications(root: Path, files: tuple[str, ...]) -> list[Application]:
    """One application per Dockerfile with source files below its directory; a source file
    belongs to the nearest Dockerfile above it."""
    dockerfiles = sorted((f for f in files if kind_of(os.path.basename(f)) == "dockerfile"),
                         key=lambda f: -f.count("/"))
    owned: dict[str, list[str]] = {d: [] for d in dockerfiles}
    for source in files:
        if source.endswith(SOURCE_SUFFIXES) and not is_test_or_tooling(source):
            owner = next((d for d in dockerfiles if _below(source, os.path.dirname(d))), None)
            if owner is not None:
                owned[owner].append(source)
    apps = []
    for dockerfile, sources in sorted(owned.items()):
        app = _application(root, dockerfile, sources)
        if app is not None:
            apps.append(app)
    _add_compose(root, files, apps)
    return apps


def _below(path: str, directory: str) -> bool:
    return not directory or path.startswith(directory + "/")


def _application(root: Path, dockerfile: str, sources: list[str]) -> Application | None:
    text = read_text(str(root / dockerfile), root=str(root.resolve()))
    if not sources or not isinstance(text, str):
        return None
    facts = []
    for source in sources:
        code = read_text(str(root / source), root=str(root.resolve()))
        if isinstance(code, str):
            facts.extend(facts_of(source, code))
    context = DockerfileContext(dockerfile, parse(text, dockerfile), source=str(root / dockerfile))
    app = Application(dockerfile, context, facts)
    for instruction in app.final_instructions:
        if instruction.keyword == "ENV":
            for key, _ in env_pairs(instruction):
                app.provided_env.add(key)
                app.env_instructions[key] = instruction
        elif instruction.keyword == "EXPOSE":
            app.published_ports |= _exposed(context, instruction)
    for directory in {os.path.dirname(dockerfile), ""}:
        for name in ENV_EXAMPLES:
            app.provided_env |= _dotenv_names(root / directory / name, str(root.resolve()))
    return app


def _exposed(ctx: DockerfileContext, instruction: Instruction) -> set[int]:
    ports = set()
    for word in ctx.words(ctx.expand(instruction.text, instruction)):
        number = word.split("/", 1)[0]
        if bounded_int(number) is not None:
            ports.add(bounded_int(number))
    return ports


def _dotenv_names(path: Path, tree: str) -> set[str]:
    if not path.is_file():
        return set()
    from twelvecheck.parse.compose import read_dotenv

    return {entry.name for entry in read_dotenv(path, tree=tree).entries}


def _add_compose(root: Path, files: tuple[str, ...], apps: list[Application]) -> None:
    """Environment and container ports of the compose services that build each application."""
    compose_files = [f for f in files if kind_of(os.path.basename(f)) == "compose"]
    if not compose_files or not apps:
        return
    from twelvecheck.parse.compose import load_project

    by_dockerfile = {str((root / app.dockerfile).resolve()): app for app in apps}
    for compose_file in compose_files:
        for service in load_project([root / compose_file], env={}).services.values():
            if service.build is None or service.build.dockerfile_inline is not None:
                continue
            built = (Path(service.build.context) / (service.build.dockerfile or "Dockerfile")).resolve()
            app = by_dockerfile.get(str(built))
            if app is not None:
                app.provided_env |= set(service.environment)
                app.published_ports |= {port for binding in service.ports
                                        for port in range(binding.target.start, binding.target.end + 1)}
