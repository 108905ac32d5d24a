from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import DockerfileRule
from twelvecheck.rules.dockerfile._labels import labels, schema


class MissingLabel(DockerfileRule):
    r"""The image lacks a label the label schema requires.

    ## What it does
    Active only when `label_schema` is configured. Collects the labels of the final stage and
    of the stages it is built `FROM` (their labels are inherited) and reports each schema
    label none of them sets, on the final stage's `FROM`. Build stages that only feed
    `COPY --from` are not judged: their labels never reach the image.

    ## Why is this bad?
    Registries, scanners and deployment tooling read these labels (source, version, licence);
    an image without them cannot be traced back to its code (factor I: one codebase, tracked).

    ## Example
    ```dockerfile
    FROM alpine:3.20
    LABEL org.opencontainers.image.title="api"
    ```

    Use instead:
    ```dockerfile
    FROM alpine:3.20
    LABEL org.opencontainers.image.title="api" \
          org.opencontainers.image.source="https://git.example.com/api"
    ```

    ## Options
    - `label_schema` (mapping of label name to type, shared with the other label rules). The
      examples assume `{org.opencontainers.image.source: url}`.

    ## References
    - [hadolint DL3049](https://github.com/hadolint/hadolint/wiki/DL3049)
    """

    code = "DF021"
    name = "missing-label"
    severity = "info"
    factors = ("I",)
    aliases = {"hadolint": ("DL3049",)}
    options = {"label_schema": {}}
    example_config = {"label_schema": {"org.opencontainers.image.source": "url"}}

    def check(self, ctx) -> Iterator[Finding]:
        required = schema(self)
        final = ctx.dockerfile.final_stage
        if not required or final is None:
            return
        present = {label.key
                   for stage in ctx.dockerfile.stages if stage.index in ctx.final_image_stages
                   for instruction in stage.instructions if instruction.keyword == "LABEL"
                   for label in labels(ctx, instruction)}
        for name in required:
            if name not in present:
                yield Finding(final.from_instruction.span, f"the image has no label '{name}'",
                              hint=f"add LABEL {name}=… to the final stage")
