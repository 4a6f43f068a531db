"""JSON as the site writes it: compact, by json's C encoder, and safe inside HTML and scripts.

``<``, ``>`` and ``&`` only occur inside JSON strings, where their ``\\u`` escapes mean the
same: no ``</script>`` or markup from content reaches a file. U+2028 and U+2029 are legal in
JSON but ended JavaScript strings before ES2019, so they are escaped too.
"""

from __future__ import annotations

import json
from typing import Any

# Replaced one by one: ``str.replace`` scans in C, where ``str.translate`` with a table of
# strings looks every character up (ten times slower on a story's compare.json).
_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def inline_json(data: Any, *, sort_keys: bool = False) -> str:
    """``data`` as one line of JSON that is safe to embed in HTML or JavaScript."""
    return safe_json(compact_json(data, sort_keys=sort_keys))


def compact_json(data: Any, *, sort_keys: bool = False) -> str:
    """``data`` as one line of JSON, not yet safe in HTML: for a larger text that is then
    passed whole through ``safe_json`` (compare.json is written so)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=sort_keys)


def safe_json(text: str) -> str:
    """One line of JSON with the characters that could end a script or string escaped."""
    for character, escape in _ESCAPES:
        if character in text:
            text = text.replace(character, escape)
    return text
