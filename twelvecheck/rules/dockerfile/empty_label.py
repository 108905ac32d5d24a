from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import InstructionRule
from twelvecheck.rules.dockerfile._labels import labels, schema


class EmptyLabel(InstructionRule):
    """A schema label set to an empty value.

    ## What it does
    Active only when `label_schema` is configured: flags a label of the schema whose value,
    after variable expansion, is empty. A value from an `ARG` without a default is not judged:
    the build passes it in.

    ## Why is this bad?
    An empty label satisfies "the label exists" while telling nothing.

    ## Example
    ```dockerfile
    FROM alpine:3.20
    LABEL org.opencontainers.image.version=""
    ```

    Use instead:
    ```dockerfile
    FROM alpine:3.20
    LABEL org.opencontainers.image.version="1.4.2"
    ```

    ## Options
    - `label_schema`. The examples assume `{org.opencontainers.image.version: semver}`.

    ## References
    - [hadolint DL3051](https://github.com/hadolint/hadolint/wiki/DL3051)
    """

    code = "DF023"
    name = "empty-label"
    severity = "warning"
    aliases = {"hadolint": ("DL3051",)}
    keywords = frozenset({"LABEL"})
    options = {"label_schema": {}}
    example_config = {"label_schema": {"org.opencontainers.image.version": "semver"}}

    def check_instruction(self, ctx, instruction) -> Iterator[Finding]:
        known = schema(self)
        for label in labels(ctx, instruction):
            if label.key in known and not label.unknown and not label.value:
                yield Finding(label.span, f"label '{label.key}' is empty", hint="give it a value or remove it")
