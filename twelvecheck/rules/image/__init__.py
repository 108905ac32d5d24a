"""Rules about the built image itself (codes ``IM``): they read the image view (build/inspect.py)
that ``twelvecheck verify`` makes, never a Dockerfile alone."""

KINDS = ("image",)
