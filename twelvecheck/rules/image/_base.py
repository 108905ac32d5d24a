"""The shape of image rules: ``check(image)`` over the image view, once per verified image.

A finding sits on the Dockerfile line of the instruction that made the layer it is about
(``rules._verify.layer_span``) and carries evidence in the contract's shape; evidence whose
every entry has ``base: true`` marks a finding caused by the base image, which verify drops
unless asked for base findings.
"""

from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule


class ImageRule(Rule):
    kind = "image"

    def check(self, image) -> Iterator[Finding]:
        raise NotImplementedError
