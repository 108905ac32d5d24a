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
    services: list[str] = field(default_factory=list)  # the compose services that run it
    missing_env_files: list[tuple[str, str]] = field(default_factory=list)  # (service, env_file) not in the repository

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
    if not os.path.isfile(path):
        return set()
    from twelvecheck.parse.compose import read_dotenv

    return {entry.name for entry in read_dotenv(path, tree=tree).entries}


def _add_compose(root: Path, files: tuple[str, ...], apps: list[Application]) -> None:
    """Environment and container ports of the compose services that run each application: a
    project is its file with its override files (as ``docker compose`` loads them); a service
    runs an application when it builds its Dockerfile, builds from the Dockerfile's directory
    (another Dockerfile of the same code), or runs the image another service builds from it."""
    compose_files = [f for f in files if kind_of(os.path.basename(f)) == "compose"]
    if not compose_files or not apps:
        return
    from twelvecheck.discover import Candidate, group_compose_projects
    from twelvecheck.parse.compose import load_project
    from twelvecheck.parse.compose.nodes import Scalar

    tree = str(root.resolve())
    by_dockerfile = {str((root / app.dockerfile).resolve()): app for app in apps}
    by_directory: dict[str, list[Application]] = {}
    for app in apps:
        by_directory.setdefault(str((root / app.dockerfile).resolve().parent), []).append(app)
    for project in group_compose_projects(Candidate(str(root / f), "compose") for f in compose_files):
        members = [Path(project.path), *map(Path, project.companions)]
        services = list(load_project(members, env={}, tree=tree).services.values())
        runs: dict[str, list[Application]] = {}
        by_image: dict[str, list[Application]] = {}
        for service in services:
            runs[service.name] = _built(service, by_dockerfile, by_directory)
            if runs[service.name] and isinstance(service.image, Scalar) and service.image.text:
                by_image.setdefault(service.image.text, []).extend(runs[service.name])
        for service in services:
            image = service.image.text if isinstance(service.image, Scalar) else None
            for app in {id(app): app for app in runs[service.name] or by_image.get(image or "", [])}.values():
                app.services.append(service.name)
                app.provided_env |= set(service.environment)
                app.missing_env_files.extend((service.name, name) for name in service.missing_env_files)
                app.published_ports |= {port for binding in service.ports
                                        for port in range(binding.target.start, binding.target.end + 1)}


def _built(service, by_dockerfile: dict[str, Application], by_directory: dict[str, list[Application]]) -> list[Application]:
    if service.build is None or service.build.dockerfile_inline is not None:
        return []
    built = (Path(service.build.context) / (service.build.dockerfile or "Dockerfile")).resolve()
    if str(built) in by_dockerfile:
        return [by_dockerfile[str(built)]]
    return by_directory.get(str(Path(service.build.context).resolve()), [])
