from __future__ import annotations

from twelvecheck.rules.dockerfile._labels import TypedLabelRule, is_rfc3339


class InvalidDateLabel(TypedLabelRule):
    """A schema label of type `rfc3339` that is not an RFC 3339 timestamp.

    ## What it does
    Active only when `label_schema` types a label as `rfc3339`: flags a value of that label that
    is not a full RFC 3339 timestamp with a time zone (`2024-06-01T12:30:00Z`). Values that use a variable without a known value are not judged.

    ## Why is this bad?
    Tools that read the label parse it as an RFC 3339 timestamp; a malformed value breaks them or is
    silently dropped.

    ## Example
    ```dockerfile
    FROM alpine:3.20
    LABEL org.opencontainers.image.created="2024-06-01"
    ```

    Use instead:
    ```dockerfile
    FROM alpine:3.20
    LABEL org.opencontainers.image.created="2024-06-01T12:30:00Z"
    ```

    ## Options
    - `label_schema`. The examples assume `{org.opencontainers.image.created: rfc3339}`.

    ## References
    - [hadolint DL3053](https://github.com/hadolint/hadolint/wiki/DL3053)
    """

    code = "DF025"
    name = "invalid-date-label"
    severity = "warning"
    aliases = {"hadolint": ("DL3053",)}
    label_type = "rfc3339"
    expected = "an RFC 3339 timestamp"
    example_config = {"label_schema": {"org.opencontainers.image.created": "rfc3339"}}

    def valid(self, value: str) -> bool:
        return is_rfc3339(value)
