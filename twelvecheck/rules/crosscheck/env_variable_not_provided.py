from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule
from twelvecheck.rules.crosscheck._apps import ENV_EXAMPLES
from twelvecheck.rules.repository_context import RepositoryContext

# Set in every container by the runtime or the image's shell.
RUNTIME_VARIABLES = frozenset({"HOME", "PATH", "HOSTNAME", "PWD", "USER", "SHELL", "TERM", "LANG", "CI"})
# Set by the platform that runs the code, never by the app's own configuration.
PLATFORM_PREFIXES = ("KUBERNETES_", "GITHUB_", "RUNNER_", "GITLAB_", "CI_", "BUILDKITE_", "CIRCLE")


class EnvVariableNotProvided(Rule):
    """The code reads an environment variable that nothing declares.

    ## What it does
    Finds environment variables the code reads without a default (`os.environ["X"]`,
    `os.getenv("X")`, `process.env.X`, `os.Getenv("X")`, `System.getenv("X")`, `ENV["X"]`,
    `ENV.fetch("X")`) and checks that something declares them: the `environment` or `env_file`
    of a compose service built from the Dockerfile above the code, an `.env.example` (or
    `.env.sample`, `.env.template`, `.env.dist`) beside that Dockerfile or at the root, or an
    `ENV` of the final image. `ARG` does not count: it is gone when the container runs.
    A service runs the code when it builds the Dockerfile, builds from its directory, or runs
    the image another service builds; override files, anchors and merge keys count as
    `docker compose` merges them. Reported once per variable, at its first read, saying what was
    looked at; when such a service names an `env_file` that is not in the repository (a
    git-ignored `.env`), the variable may be set there, and the finding is `info`. An assignment (`os.environ["X"] = "1"`) is
    not a read; variables the platform sets (`HOSTNAME`, `CI`, `KUBERNETES_*`, `GITHUB_*`) need
    no declaration; test code and tool configuration (`tests/`, `*_test.go`, `*.spec.ts`,
    `jest.config.js`, `playwright.config.ts`) are out of scope. Code facts come from
    per-language patterns: partial.

    ## Why is this bad?
    Factor III: config lives in the environment, and the environment an app needs must be
    written down somewhere a deployer reads. A variable only the original developer knows
    about crashes the first deploy that lacks it (`KeyError: 'API_TOKEN'`).

    ## Example
    ```files
    -- Dockerfile --
    FROM python:3.12-slim
    -- compose.yaml --
    services:
      web:
        build: .
    -- settings.py --
    import os
    API_TOKEN = os.environ["API_TOKEN"]
    ```

    Use instead:
    ```files
    -- Dockerfile --
    FROM python:3.12-slim
    -- compose.yaml --
    services:
      web:
        build: .
        environment:
          API_TOKEN: ${API_TOKEN:?set API_TOKEN}
    -- settings.py --
    import os
    API_TOKEN = os.environ["API_TOKEN"]
    ```
    """

    code = "AP202"
    name = "env-variable-not-provided"
    severity = "warning"
    factors = ("III",)
    kind = "repository"

    def check(self, ctx: RepositoryContext) -> Iterator[Finding]:
        for app in ctx.applications:
            reported: set[str] = set()
            for fact in app.facts:
                name = fact.value
                if fact.kind != "env" or not fact.required or name in reported:
                    continue
                if name in app.provided_env or name in RUNTIME_VARIABLES or name.startswith(PLATFORM_PREFIXES):
                    continue
                reported.add(name)
                yield _finding(app, fact, name)


def _finding(app, fact, name: str) -> Finding:
    """Says what was looked at: the services that run the app (or that none does), and an
    env_file that is not in the repository and so may well set the variable (info, then)."""
    services = list(dict.fromkeys(app.services))
    if services:
        named = ", ".join(f"'{service}'" for service in services[:3]) + (" and others" if len(services) > 3 else "")
        where = f"not the environment or env_file of compose service{'s' if len(services) > 1 else ''} {named}"
    else:
        where = f"no compose service (none runs {app.dockerfile})"
    message = f"the code reads {name}, which nothing declares: {where}, no env example, no ENV of {app.dockerfile}"
    missing = list(dict.fromkeys(app.missing_env_files))
    if missing:
        service, env_file = missing[0]
        message += (f"; service '{service}' also reads env_file {env_file}, which is not in the repository "
                    "and may set it")
    return Finding(fact.span, message, severity="info" if missing else None,
                   hint=f"declare {name} in the compose service's environment or in {ENV_EXAMPLES[0]}", file=fact.file)
