"""The command line's dataclass cache: classes made from cached code behave as ``@dataclass``
makes them, and a second process takes the code from the cache instead of compiling it."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import builtins, dataclasses, sys
from twelvecheck import dataclass_cache
dataclass_cache.DIRECTORY = sys.argv[1]
compiled = []
real_compile = builtins.compile
dataclass_cache.compile = lambda *args: compiled.append(1) or real_compile(*args)
dataclass_cache.install()

@dataclasses.dataclass(frozen=True, slots=True, order=True)
class Point:
    x: int
    y: int = 0
    tags: tuple = dataclasses.field(default=(), compare=False)

a, b = Point(1, 2), Point(1, 2, ("t",))
assert a == b and hash(a) == hash(b) and Point(0) < a and repr(a) == "Point(x=1, y=2, tags=())"
try:
    a.x = 3
except dataclasses.FrozenInstanceError:
    pass
else:
    raise AssertionError("not frozen")
assert not hasattr(a, "__dict__")
print(len(compiled))
"""


def _run(directory) -> int:
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(directory)], capture_output=True, text=True, check=True)
    return int(result.stdout)


def test_cached_methods_behave_and_are_not_compiled_again(tmp_path):
    assert _run(tmp_path) > 0  # the first process compiles the generated methods
    assert list(tmp_path.glob("dataclasses-*.marshal"))
    assert _run(tmp_path) == 0  # the second takes every one from the cache


def test_an_unreadable_cache_only_costs_compiling(tmp_path):
    (tmp_path / "code").write_text("not a directory")
    assert _run(tmp_path / "code") > 0 and _run(tmp_path / "code") > 0


def test_the_users_cache_directory_never_supplies_code(tmp_path):
    """XDG_CACHE_HOME may point into a hostile checkout: the cached code lives beside the
    package's bytecode instead."""
    from twelvecheck import dataclass_cache

    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    assert not dataclass_cache._cache_file().startswith(str(tmp_path))
    code = "from twelvecheck import dataclass_cache; print(dataclass_cache._cache_file())"
    result = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True)
    assert os.path.dirname(result.stdout.strip()) == os.path.join(os.path.dirname(dataclass_cache.__file__), "__pycache__")
