from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.parse.model import Span
from twelvecheck.rules.base import Rule


class InputOutsideTree(Rule):
    """A symbolic link or a compose reference that leads outside the linted tree, not read.

    ## What it does
    Reports, at the link or the reference, each input twelvecheck refused to read because it
    lies outside the tree being linted: a `Dockerfile`, compose file, `.dockerignore` or
    directory that is a symbolic link leading out of it, and a compose `include`,
    `extends.file` or `env_file` (including the project `.env`) that points outside it.

    The tree is the directory given to `lint` or `audit`; for a file named on the command line,
    the working directory when the file is below it, else the file's own directory. Files a
    Dockerfile copies (entrypoint scripts, `.dockerignore`) must also stay inside its build
    context. Symbolic links that stay inside are followed as usual.

    ## Why is this bad?
    A repository is untrusted input when twelvecheck runs on pull requests: a `Dockerfile` that
    is a link to `/etc/shadow` or an `env_file: /proc/self/environ` would otherwise have host
    files read and quoted into published reports. The build would not see such files either:
    a build context never reaches outside itself.

    To lint files that include each other across directories, lint from a directory that holds
    them all (the repository root). There is no option to follow links out of the tree.

    ## Example
    ```text
    Dockerfile -> /etc/shadow
    compose.yaml:  include: [../../other-project/compose.yaml]
    ```

    Use instead:
    ```text
    a regular Dockerfile in the repository; included files inside the repository
    ```
    """

    code = "TC006"
    name = "input-outside-tree"
    severity = "error"
    kind = "any"

    def check(self, ctx) -> Iterator[Finding]:
        problem = ctx.unreadable
        if problem is not None and problem.outside:
            yield Finding(Span(1, 1, 1, 2), problem.reason, hint="lint from a directory holding the link's target, or make it a regular file")
        for refused in getattr(ctx, "outside_tree", ()):
            yield Finding(refused.span, refused.message, hint="refer only to files inside the linted tree (or lint from a directory holding both)",
                          file=refused.file)
