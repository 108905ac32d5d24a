"""Rules about the repository as a whole (codes ``RP``), run by ``twelvecheck audit``."""

KINDS = ("repository",)
