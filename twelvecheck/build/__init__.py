"""The daemonless OCI image builder. The package itself is callable: ``twelvecheck.build(...)``."""

import sys as _sys
import types as _types


class _CallablePackage(_types.ModuleType):
    """Lets ``twelvecheck.build(context, dockerfile, **options)`` call the builder directly."""

    def __call__(self, context_dir: str, dockerfile_path: str | None = None, **options):
        from twelvecheck.build.builder import build

        return build(context_dir, dockerfile_path, **options)


_sys.modules[__name__].__class__ = _CallablePackage
