"""Rules about docker compose projects (codes ``DC``)."""

KINDS = ("compose",)
