from __future__ import annotations

from twelvecheck.rules.dockerfile._labels import TypedLabelRule, is_email


class InvalidEmailLabel(TypedLabelRule):
    """A schema label of type `email` that is not an e-mail address.

    ## What it does
    Active only when `label_schema` types a label as `email`: flags a value of that label that
    is not an RFC 5322 address (`name@example.com`). Values that use a variable without a known value are not judged.

    ## Why is this bad?
    Tools that read the label parse it as an e-mail address; a malformed value breaks them or is
    silently dropped.

    ## Example
    ```dockerfile
    FROM alpine:3.20
    LABEL maintainer.email="ops at example.com"
    ```

    Use instead:
    ```dockerfile
    FROM alpine:3.20
    LABEL maintainer.email="ops@example.com"
    ```

    ## Options
    - `label_schema`. The examples assume `{maintainer.email: email}`.

    ## References
    - [hadolint DL3058](https://github.com/hadolint/hadolint/wiki/DL3058)
    """

    code = "DF029"
    name = "invalid-email-label"
    severity = "warning"
    aliases = {"hadolint": ("DL3058",)}
    label_type = "email"
    expected = "an e-mail address"
    example_config = {"label_schema": {"maintainer.email": "email"}}

    def valid(self, value: str) -> bool:
        return is_email(value)
