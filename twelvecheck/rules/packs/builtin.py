"""The built-in packs of ``rulesets/packs/``, defined when the family is imported."""

from __future__ import annotations

from pathlib import Path

from twelvecheck.rules.packs._factory import define_pack

PACK_DIR = Path(__file__).resolve().parents[2] / "rulesets" / "packs"

RULES = tuple(rule for path in sorted(PACK_DIR.glob("*.yaml")) for rule in define_pack(path))
