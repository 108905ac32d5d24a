from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import DockerfileRule
from twelvecheck.rules.context import arg_pairs

_PRAGMAS = ("hadolint", "twelvecheck", "check=", "syntax=", "escape=")


class InvalidDefinitionDescription(DockerfileRule):
    """A comment right above an `ARG` or a named stage that does not start with its name.

    ## What it does
    Off by default. BuildKit reads the comment line directly above `ARG NAME` or
    `FROM … AS name` as that definition's description (shown by `docker buildx build --call
    outline`) when it starts with the name: `# NAME description`. Flags such a comment that
    starts with something else. Pragmas and parser directives are not descriptions.

    ## Why is this bad?
    The description is lost from the build's outline; a blank line tells BuildKit the comment
    was not meant as one.

    ## Example
    ```dockerfile
    # the Go toolchain to build with
    ARG GO_VERSION=1.23
    FROM golang:${GO_VERSION}
    ```

    Use instead:
    ```dockerfile
    # GO_VERSION is the Go toolchain to build with
    ARG GO_VERSION=1.23
    FROM golang:${GO_VERSION}
    ```

    ## References
    - [BuildKit InvalidDefinitionDescription](https://docs.docker.com/reference/build-checks/invalid-definition-description/)
    """

    code = "DF045"
    name = "invalid-definition-description"
    severity = "style"
    aliases = {"buildkit": ("InvalidDefinitionDescription",)}
    enabled_by_default = False

    def check(self, ctx) -> Iterator[Finding]:
        directives = {directive.span.line for directive in ctx.dockerfile.directives}
        comment_at = {c.span.line: c for c in ctx.dockerfile.comments if c.span.line not in directives}
        for instruction in ctx.dockerfile.instructions:
            if instruction.keyword == "ARG":
                names = [name for name, _ in arg_pairs(instruction)]
                what = "ARG"
            elif instruction.keyword == "FROM" and len(instruction.args) == 3:
                names, what = [instruction.args[2]], "stage"
            else:
                continue
            comment = comment_at.get(instruction.span.line - 1)
            if comment is None or not comment.text or comment.text.lower().startswith(_PRAGMAS):
                continue
            first = comment.text.split()[0]
            if first not in names:
                example = names[0] if len(names) == 1 else "<arg_key>"
                yield Finding(comment.span, f"the comment above this {what} does not start with '{example}', so it is not its description",
                              hint=f"write '# {example} <description>', or put a blank line between comment and instruction")
