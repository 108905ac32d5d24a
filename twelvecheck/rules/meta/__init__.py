"""Rules about the tool's own input: parse errors, unreadable files, bad pragmas (codes ``TC``)."""

KINDS = ("dockerfile", "compose", "dockerignore", "repository", "source", "image")
