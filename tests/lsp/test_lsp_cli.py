"""``twelvecheck lsp`` without the extra: a clear message and exit code 2, not a traceback."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = ("import sys; sys.modules['pygls'] = None; sys.argv = ['twelvecheck', 'lsp']\n"
          "from twelvecheck.cli import main\nmain()")


def test_lsp_without_pygls_says_which_extra_to_install():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "pip install 'twelvecheck[lsp]'" in result.stderr and "Traceback" not in result.stderr
