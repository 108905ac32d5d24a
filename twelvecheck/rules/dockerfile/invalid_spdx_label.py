from __future__ import annotations

from twelvecheck.rules.dockerfile._labels import TypedLabelRule, is_spdx


class InvalidSpdxLabel(TypedLabelRule):
    """A schema label of type `spdx` that is not an SPDX license expression.

    ## What it does
    Active only when `label_schema` types a label as `spdx`: flags a value of that label that
    is not a known SPDX identifier or an expression of them (`MIT`, `Apache-2.0 OR MIT`, `LicenseRef-…`). Values that use a variable without a known value are not judged.

    ## Why is this bad?
    Tools that read the label parse it as a valid SPDX license expression; a malformed value breaks them or is
    silently dropped.

    ## Example
    ```dockerfile
    FROM alpine:3.20
    LABEL org.opencontainers.image.licenses="Apache 2"
    ```

    Use instead:
    ```dockerfile
    FROM alpine:3.20
    LABEL org.opencontainers.image.licenses="Apache-2.0"
    ```

    ## Options
    - `label_schema`. The examples assume `{org.opencontainers.image.licenses: spdx}`.

    ## References
    - [hadolint DL3054](https://github.com/hadolint/hadolint/wiki/DL3054)
    """

    code = "DF026"
    name = "invalid-spdx-label"
    severity = "warning"
    aliases = {"hadolint": ("DL3054",)}
    label_type = "spdx"
    expected = "a valid SPDX license expression"
    example_config = {"label_schema": {"org.opencontainers.image.licenses": "spdx"}}

    def valid(self, value: str) -> bool:
        return is_spdx(value)
