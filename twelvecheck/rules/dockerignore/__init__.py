"""Rules about ``.dockerignore`` files (codes ``DI``)."""

KINDS = ("dockerignore",)
