"""Rules about application source, matched by semgrep (codes ``AP``).

Each rule is one YAML file of ``rulesets/semgrep/<factor>/``; ``rulesets.py`` turns each file
into a rule class, so the YAML stays the single source of a rule's identity and documentation.
"""

KINDS = ("source",)
