"""Control characters out of what reaches a terminal or a CI log.

File contents and file names are untrusted: an escape sequence in a message (OSC 8 links, a
CSI that clears the screen, a window title) or a newline in a file name (a forged finding line)
must arrive as visible text. Our own colour codes are added after escaping, so they stay.
"""

from __future__ import annotations

import re

# C0 except tab, DEL, C1, the line and paragraph separators and the bidirectional overrides
# (text that reads differently from what it is).
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\x1b": "\\e"}
# The same set outside tab, for JSON text: json.dumps already escapes C0.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def terminal_safe(text: str) -> str:
    """``text`` with every control character shown as an escape (``\\e``, ``\\n``, ``\\x9b``)."""
    return _CONTROL.sub(_visible, text) if _CONTROL.search(text) else text


def json_safe(json_text: str) -> str:
    """JSON text (``ensure_ascii=False``) with DEL, C1 and the invisible controls written as
    ``\\uXXXX`` escapes: the same JSON value, harmless when the file is printed."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)
