from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import InstructionRule
from twelvecheck.rules.dockerfile._labels import labels, schema


class SuperfluousLabel(InstructionRule):
    """A label outside the label schema, when labels are strict.

    ## What it does
    Active only when `strict_labels` is on and a `label_schema` is configured: flags each
    `LABEL` key the schema does not list.

    ## Why is this bad?
    A strict schema is a team's agreement on which labels exist; others are typos or drift.

    ## Example
    ```dockerfile
    FROM alpine:3.20
    LABEL org.opencontainers.image.titel="api"
    ```

    Use instead:
    ```dockerfile
    FROM alpine:3.20
    LABEL org.opencontainers.image.title="api"
    ```

    ## Options
    - `strict_labels` (default false) and `label_schema`. The examples assume
      `strict_labels: true` and `{org.opencontainers.image.title: text}`.

    ## References
    - [hadolint DL3050](https://github.com/hadolint/hadolint/wiki/DL3050)
    """

    code = "DF022"
    name = "superfluous-label"
    severity = "info"
    aliases = {"hadolint": ("DL3050",)}
    keywords = frozenset({"LABEL"})
    options = {"label_schema": {}, "strict_labels": False}
    example_config = {"strict_labels": True, "label_schema": {"org.opencontainers.image.title": "text"}}

    def check_instruction(self, ctx, instruction) -> Iterator[Finding]:
        known = schema(self)
        if not self.config["strict_labels"] or not known:
            return
        for label in labels(ctx, instruction):
            if label.key not in known:
                yield Finding(label.span, f"label '{label.key}' is not in the label schema",
                              hint="remove it, or add it to label_schema")
