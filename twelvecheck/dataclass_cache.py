"""Dataclass methods compiled once, not on every start.

``@dataclass`` writes the source of ``__init__``, ``__repr__``, ``__eq__``, ``__hash__`` (and
``__setattr__`` for frozen classes) and compiles it with ``exec`` each time a class is defined:
about 0.4 ms per class, and the one-Dockerfile path defines some fifty, a fifth of a pre-commit
run. The generated text depends only on the class's fields and options, so the compiled code can
be kept, keyed by that text: ``install()`` points the ``exec`` name of the ``dataclasses``
module at a function that compiles a text only when it has not seen it before (the same
``compile`` call ``exec`` makes, so the methods are identical), and the code objects are kept
beside the package's bytecode for the next run (marshal, per Python version).

Only the command line installs it (the library leaves the interpreter alone); a Python whose
``dataclasses`` no longer calls ``exec`` by that name simply never calls it.
"""

from __future__ import annotations

import marshal
import os
import sys
from types import CodeType
from typing import Any

MAX_ENTRIES = 4000  # texts of classes that no longer exist pile up across upgrades: start over
_stored: dict[str, bytes] = {}  # source text -> marshalled code, read from the cache file
_compiled: dict[str, CodeType] = {}  # this run's, by source text
_changed = False


# Beside the package's own bytecode, never in the user's cache directory: these are code
# objects that run, so they are trusted exactly as the .pyc files next to them are. A cache
# directory can be pointed into the linted checkout (CI setups set XDG_CACHE_HOME to the
# workspace), and a hostile repository must not be able to supply code. A read-only install
# keeps no cache and only pays the compiling.
DIRECTORY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "__pycache__")


def _cache_file() -> str:
    tag = f"{sys.implementation.cache_tag}-{sys.hexversion:x}"
    return os.path.join(DIRECTORY, f"dataclasses-v3.{tag}.marshal")


def _exec(source: Any, globals_: dict | None = None, locals_: dict | None = None) -> None:
    global _changed
    if isinstance(source, str):
        code = _compiled.get(source)
        if code is None:
            data = _stored.get(source)
            if data is not None:  # unmarshalled one by one: a run pays only for the classes it defines
                code = marshal.loads(data)
            else:
                code = compile(source, "<string>", "exec")
                _stored[source] = marshal.dumps(code)
                _changed = True
            _compiled[source] = code
        source = code
    exec(source, globals_, locals_)


def install() -> None:
    import dataclasses

    if vars(dataclasses).get("exec") is _exec:
        return
    from twelvecheck.files import load_cache

    stored = load_cache(_cache_file())
    if isinstance(stored, dict) and len(stored) < MAX_ENTRIES:
        _stored.update(stored)
    dataclasses.exec = _exec  # a module global shadows the builtin for dataclasses' own calls

    import atexit

    atexit.register(_save)


def _save() -> None:
    if _changed:
        from twelvecheck.files import store_cache

        store_cache(_cache_file(), _stored)
