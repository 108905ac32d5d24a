from __future__ import annotations

from twelvecheck.rules.dockerfile._labels import TypedLabelRule, is_url


class InvalidUrlLabel(TypedLabelRule):
    """A schema label of type `url` that is not a valid URL.

    ## What it does
    Active only when `label_schema` types a label as `url`: flags a value of that label that
    is not an absolute URL with a scheme (`https://…`, `git+ssh://…`); web URLs need a host. Values that use a variable without a known value are not judged.

    ## Why is this bad?
    Tools that read the label parse it as a valid URL; a malformed value breaks them or is
    silently dropped.

    ## Example
    ```dockerfile
    FROM alpine:3.20
    LABEL org.opencontainers.image.source="git.example.com/api"
    ```

    Use instead:
    ```dockerfile
    FROM alpine:3.20
    LABEL org.opencontainers.image.source="https://git.example.com/api"
    ```

    ## Options
    - `label_schema`. The examples assume `{org.opencontainers.image.source: url}`.

    ## References
    - [hadolint DL3052](https://github.com/hadolint/hadolint/wiki/DL3052)
    """

    code = "DF024"
    name = "invalid-url-label"
    severity = "warning"
    aliases = {"hadolint": ("DL3052",)}
    label_type = "url"
    expected = "a valid URL"
    example_config = {"label_schema": {"org.opencontainers.image.source": "url"}}

    def valid(self, value: str) -> bool:
        return is_url(value)
