from __future__ import annotations

import re
from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule

# Where one-off admin code lives in common frameworks.
ADMIN_PATHS = ("manage.py", "migrations", "alembic", "alembic.ini", "db/migrate", "database/migrations", "prisma",
               "bin", "scripts", "Rakefile", "artisan", "knexfile.js")
# Folders that hold admin code only sometimes (CI and developer scripts live there too): they
# count when a file in them is named for an admin task.
GENERIC_PATHS = ("bin", "scripts")
_ADMIN_TASK = re.compile(r"(?i)migrat|seed|manage|upgrade|backup|restore|createsuperuser|init[-_]?db|"
                         r"setup[-_]?db|db[-_]|console|rake|artisan|admin")


def _holds_admin_tasks(folder, depth: int = 2) -> bool:
    try:
        entries = list(folder.iterdir())
    except OSError:
        return False
    return any(_ADMIN_TASK.search(entry.name) for entry in entries) or depth > 0 and any(
        _holds_admin_tasks(entry, depth - 1) for entry in entries if entry.is_dir())


class DockerignoreExcludesAdminCode(Rule):
    """The `.dockerignore` leaves admin code (migrations, `manage.py`, `bin/`) out of the image.

    ## What it does
    Reports admin paths present in the build context (`manage.py`, `migrations/`, `alembic/`,
    `db/migrate`, `prisma/`, `bin/`, `scripts/`, `Rakefile`, `artisan`…) that a pattern excludes,
    in a directory some build uses as its context. `bin/` and `scripts/` count only when a file
    in them is named for an admin task (`migrate.sh`, `seed.py`, `backup`): CI and developer
    scripts are rightly left out.

    ## Why is this bad?
    Factor XII (admin processes): one-off admin tasks run in an identical environment as the
    app, against the same release, from the same image. Without the migrations in the image,
    they must be run from a laptop or another image, against code of another version.

    ## Example
    ```files
    -- .dockerignore --
    .git
    migrations
    -- Dockerfile --
    FROM python:3.12-slim
    -- manage.py --
    -- migrations/0001_initial.py --
    ```

    Use instead:
    ```files
    -- .dockerignore --
    .git
    .env
    -- Dockerfile --
    FROM python:3.12-slim
    -- manage.py --
    -- migrations/0001_initial.py --
    ```
    """

    code = "DI002"
    name = "dockerignore-excludes-admin-code"
    severity = "warning"
    factors = ("XII",)
    kind = "dockerignore"

    def check(self, ctx) -> Iterator[Finding]:
        if not ctx.used_as_build_context:
            return
        for path in ADMIN_PATHS:
            pattern = ctx.dockerignore.pattern_excluding(path) if ctx.exists(path) else None
            if path in GENERIC_PATHS and pattern is not None and not _holds_admin_tasks(ctx.context_dir / path):
                continue
            if pattern is not None:
                yield Finding(pattern.span, f"pattern '{pattern.text}' leaves the admin code {path} out of the image",
                              hint="ship admin code in the app image so one-off tasks run against the same release")
