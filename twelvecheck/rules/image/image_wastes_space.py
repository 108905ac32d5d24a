from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.build.ledger import dive_figures, ledger
from twelvecheck.findings import Evidence, Finding
from twelvecheck.rules._verify import evidence, size, span_at
from twelvecheck.rules.image._base import ImageRule

_OFF = (None, "disabled", "off", False)


class ImageWastesSpace(ImageRule):
    """The image fails dive's CI thresholds: low efficiency or too many wasted bytes.

    ## What it does
    Computes dive's figures for the image (efficiency, wasted bytes, user-wasted percent, as
    `docs/verify.md` and `build/ledger.py` define them, the same way dive does) and fails the
    thresholds dive's CI mode uses, with the same names and defaults: `lowest-efficiency` 0.9,
    `highest-wasted-bytes` off, `highest-user-wasted-percent` 0.1. The finding sits on the
    instruction whose bytes are most reclaimable, with the line that deleted or overwrote them.

    ## Why is this bad?
    A file deleted or overwritten by a later step still ships in the layer that added it: every
    pull and every node's disk pays for bytes the container never sees.

    ## Example
    ```files
    -- Dockerfile --
    FROM scratch
    COPY data.txt /data.txt
    COPY data.txt /data.txt
    -- data.txt --
    the same content, shipped twice
    ```

    Use instead:
    ```files
    -- Dockerfile --
    FROM scratch
    COPY data.txt /data.txt
    -- data.txt --
    the same content, shipped once
    ```

    ## Options
    - `lowest-efficiency` (0.9): fail below this efficiency (0 to 1); `disabled` turns it off.
    - `highest-wasted-bytes` (disabled): fail above this many wasted bytes.
    - `highest-user-wasted-percent` (0.1): fail above this fraction of wasted bytes over the
      bytes of all layers but the first.

    ## References
    - [dive CI integration](https://github.com/wagoodman/dive#ci-integration)
    """

    code = "IM009"
    name = "image-wastes-space"
    severity = "info"
    options = {"lowest-efficiency": 0.9, "highest-wasted-bytes": "disabled", "highest-user-wasted-percent": 0.1}

    def check(self, image) -> Iterator[Finding]:
        figures = dive_figures(image)
        failed = self._failed(figures)
        if not failed:
            return
        blamed = [entry for entry in ledger(image)["reclaimable"] if not entry["base"]]
        proofs = [evidence(image, f"{size(entry['bytes'])} in {entry['files']} file(s) added at line "
                                  f"{entry['added_at_line']} (layer {entry['layer']}) are {entry['how']} at line "
                                  f"{entry['removed_at_line']} but still shipped (largest: {entry['largest']})",
                           entry["layer"], path=entry["largest"], bytes=entry["bytes"], removed_at=entry["removed_at_line"])
                  for entry in blamed[:3]]
        summary = Evidence(f"dive: efficiency {figures['efficiency']:.4f}, wasted {size(figures['wasted_bytes'])}, "
                           f"user wasted {figures['user_wasted_percent']:.4f}",
                           {"field": "dive", "value": {key: figures[key] for key in
                                                      ("efficiency", "wasted_bytes", "user_wasted_percent")},
                            "base": not blamed})
        line = blamed[0]["added_at_line"] if blamed else None
        yield Finding(span_at(image, line), "; ".join(failed),
                      hint="delete files in the same RUN that creates them, or copy only the final result "
                           "from a build stage", evidence=(*proofs, summary))

    def _failed(self, figures) -> list[str]:
        failed = []
        lowest = self.config["lowest-efficiency"]
        if lowest not in _OFF and figures["efficiency"] < float(lowest):
            failed.append(f"image efficiency {figures['efficiency']:.2%} is below {float(lowest):.0%}")
        most = self.config["highest-wasted-bytes"]
        if most not in _OFF and figures["wasted_bytes"] > float(most):
            failed.append(f"{size(figures['wasted_bytes'])} wasted, more than {size(int(float(most)))}")
        share = self.config["highest-user-wasted-percent"]
        if share not in _OFF and figures["user_wasted_percent"] > float(share):
            failed.append(f"wasted bytes are {figures['user_wasted_percent']:.1%} of your layers, "
                          f"more than {float(share):.0%}")
        return failed
