from __future__ import annotations

from twelvecheck.rules._commands import installs_or_builds, line_of
from twelvecheck.rules.dockerfile._startup import StartCommandRule


class DependencyInstallAtStart(StartCommandRule):
    """Dependencies installed or the app built when the container starts.

    ## What it does
    Flags package installs and builds (`npm install`, `pip install`, `bundle install`,
    `composer install`, `apt-get install`, `go build`, `npm run build`…) in CMD, ENTRYPOINT or the
    entrypoint scripts they run.

    ## Why is this bad?
    Factor V (build, release, run): the build stage makes the release; the run stage only runs
    it. Installing at start makes every start slow and network-dependent, and two containers of
    the "same" release can run different dependency versions (factor II).

    ## Example
    ```dockerfile
    FROM node:22.11-slim
    COPY . /app
    CMD npm install && node server.js
    ```

    Use instead:
    ```dockerfile
    FROM node:22.11-slim
    COPY . /app
    RUN npm ci --omit=dev
    CMD ["node", "server.js"]
    ```
    """

    code = "DF200"
    name = "dependency-install-at-start"
    severity = "warning"
    factors = ("V", "II")
    hint = "install and build in RUN steps; start only runs the release"

    def judge(self, command):
        return f"installs or builds at container start: {line_of(command)}" if installs_or_builds(command) else None
