from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule
from twelvecheck.rules.crosscheck._apps import Application
from twelvecheck.rules.crosscheck._binaries import base_ships, providers
from twelvecheck.rules.dockerfile._image import parse_image
from twelvecheck.rules.repository_context import RepositoryContext



class BinaryNotInImage(Rule):
    r"""The code runs a program that the final image does not install.

    ## What it does
    Finds programs the application starts with a literal command (`subprocess.run(["convert",
    …])`, `os.system("ffmpeg …")`, `exec.Command("ffmpeg")`, `child_process.exec("git …")`,
    `new ProcessBuilder("…")`, Ruby backticks and `system`) and checks that the final image of
    the Dockerfile above the code has it: installed by apt-get/apt/apk/yum/dnf/zypper in the
    final stage (or a stage it is built FROM) under a package that provides it, copied in under
    its own name, or shipped by the base image (an image named after it, or a full language
    image's usual tools). Code facts come from per-language patterns, so the check is partial:
    commands built at run time are not seen.

    ## Why is this bad?
    Factor II: an app declares all its dependencies, system tools included, and never relies
    on them being on the host. A program that exists on the developer's machine but not in the
    image fails only when that code path runs in production.

    ## Example
    ```files
    -- Dockerfile --
    FROM python:3.12-slim
    COPY . /app
    -- thumbnails.py --
    import subprocess
    subprocess.run(["convert", "in.png", "out.jpg"], check=True)
    ```

    Use instead:
    ```files
    -- Dockerfile --
    FROM python:3.12-slim
    RUN apt-get update && apt-get install -y --no-install-recommends imagemagick \
     && rm -rf /var/lib/apt/lists/*
    COPY . /app
    -- thumbnails.py --
    import subprocess
    subprocess.run(["convert", "in.png", "out.jpg"], check=True)
    ```
    """

    code = "AP200"
    name = "binary-not-in-image"
    severity = "warning"
    factors = ("II",)
    kind = "repository"

    def check(self, ctx: RepositoryContext) -> Iterator[Finding]:
        for app in ctx.applications:
            installed = _installed_packages(app)
            for fact in app.facts:
                if fact.kind == "binary" and not _provided(app, installed, fact.value):
                    yield Finding(fact.span, f"the code runs {fact.value}, which the final image of {app.dockerfile} "
                                             "does not install", hint=_hint(fact.value), file=fact.file)


def _installed_packages(app: Application) -> set[str]:
    from twelvecheck.rules._installs import installed

    return {package.name for package in installed(app.context)}


def _provided(app: Application, installed: set[str], program: str) -> bool:
    if providers(program) & installed:
        return True
    ctx = app.context
    for instruction in app.final_instructions:
        if instruction.keyword in ("COPY", "ADD") and any(
                word.rstrip("/").rsplit("/", 1)[-1] == program for word in ctx.words(instruction.text)):
            return True
    stages = [s for s in ctx.dockerfile.stages if s.index in ctx.final_image_stages]
    bases = [parse_image(ctx.resolved_base(stage)) for stage in stages if not ctx.is_stage_reference(stage)]
    return any(base_ships(image.repository, image.tag, program) for image in bases)


def _hint(program: str) -> str:
    packages = sorted(providers(program))
    return f"install it in the final stage (package {' or '.join(packages)}), or copy it in"
