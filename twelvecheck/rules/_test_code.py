"""Test code, fixtures and tool configuration: what they read, run and hard-code belongs to the
test runner, not to the container, so the application-source checks leave them out."""

from __future__ import annotations

import re

_SKIPPED_DIRECTORIES = {"node_modules", "vendor", "test", "tests", "spec", "__tests__", "testdata", "e2e",
                        "cypress", "fixtures", "__mocks__", "__fixtures__"}
# Test code and build tooling: what they read and run is the test runner's, not the container's.
_TEST_OR_TOOLING_FILE = re.compile(r"(_test\.go|_test\.py|^test_.*\.py|^conftest\.py|\.(spec|test)\.[cm]?[jt]sx?"
                                   r"|_spec\.rb|_test\.rb|Test\.java|Tests\.java|\.config\.[cm]?[jt]s)$")


def is_test_or_tooling(path: str) -> bool:
    """Test code, fixtures and tool configuration (``tests/``, ``*_test.go``, ``*.spec.ts``,
    ``jest.config.js``, ``playwright.config.ts``): out of scope for what the image must provide."""
    *directories, name = path.split("/")
    return bool(_SKIPPED_DIRECTORIES & set(directories)) or _TEST_OR_TOOLING_FILE.search(name) is not None
