from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from twelvecheck.findings import Finding
from twelvecheck.parse.shell import parse_script
from twelvecheck.rules._commands import runs_admin_task
from twelvecheck.rules.base import Rule
from twelvecheck.rules.compose._private import command_text, scalar


class AdminServiceFromOtherImage(Rule):
    """A one-off admin service (migrations, `manage.py`, `rake`) runs another image than the app.

    ## What it does
    Finds services whose `command`/`entrypoint` only runs admin tasks (`manage.py migrate`,
    `rails db:migrate`, `rake …`, `artisan …`, `alembic upgrade`) and reports them when the
    project builds app services locally but the admin service neither builds the same
    Dockerfile (context and file) nor runs the `image:` those app services are tagged with.

    ## Why is this bad?
    Factor XII (admin processes): one-off processes run in an identical environment as the
    app's regular processes, against the same release, with the same code and config. An admin
    service built from `Dockerfile.migrate` or run from `python:3.12` with the code mounted can
    drift from the app: other dependencies, another interpreter, migrations from another commit.

    ## Example
    ```yaml
    services:
      web:
        build: .
        image: example/web:2.0
      migrate:
        build: {context: ., dockerfile: Dockerfile.migrate}
        command: python manage.py migrate
    ```

    Use instead:
    ```yaml
    services:
      web:
        build: .
        image: example/web:2.0
      migrate:
        image: example/web:2.0
        command: python manage.py migrate
    ```
    """

    code = "DC031"
    name = "admin-service-from-other-image"
    severity = "warning"
    factors = ("XII",)
    kind = "compose"

    def check(self, ctx) -> Iterator[Finding]:
        admin, apps = [], []
        for service in ctx.services.values():
            (admin if _runs_only_admin_tasks(service) else apps).append(service)
        built = [app for app in apps if app.build is not None]
        if not admin or not built:
            return
        builds = {_build_key(app) for app in built}
        images = {node.text for app in built if (node := scalar(app.image)) is not None}
        for service in admin:
            image = scalar(service.image)
            if service.build is not None and _build_key(service) in builds:
                continue
            if service.build is None and image is not None and image.text in images:
                continue
            where = service.build or image or service  # each has the file and span to point at
            origin = "builds another Dockerfile" if service.build is not None else f"runs the image {image.text if image else '(none)'}"
            yield ctx.finding(where, f"admin service '{service.name}' {origin} than the app ({', '.join(a.name for a in built)})",
                                 hint="run one-off tasks from the app's own image: the same build or the image it is tagged with")


def _runs_only_admin_tasks(service) -> bool:
    text = " ".join(t for t in (command_text(service.get("entrypoint")), command_text(service.get("command"))) if t)
    commands = [c for c in parse_script(text) if c.argv and c.name not in ("sh", "bash", "exec", "set", "echo")] if text else []
    return bool(commands) and all(runs_admin_task(c) for c in commands)


def _build_key(service) -> tuple[str, str]:
    build = service.build
    return str(Path(build.context)), build.dockerfile or "Dockerfile"
