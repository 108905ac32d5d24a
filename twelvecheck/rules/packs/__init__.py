"""Declarative rule packs (codes ``DF3xx`` and ``DC3xx`` for the built-in ones).

A pack is a YAML file of rules with a ``match`` block instead of Python (``docs/packs.md``).
``builtin`` defines the packs of ``rulesets/packs/`` like any family's rule modules; packs named
by the ``packs:`` configuration key are defined per configuration (``configured_rules``), so
an organisation's policy needs no Python and still gets docs, ``rule CODE``, SARIF metadata and
suppressions.
"""

KINDS = ("dockerfile", "compose")
