"""The live-reload script tag, added by the server to HTML responses only.

The build output never holds it: ``digest build`` and ``digest serve`` write the same pages.
"""

from __future__ import annotations

import html

PREFIX = "/__digest__/"
SCRIPT_URL = PREFIX + "livereload.js"
EVENTS_URL = PREFIX + "events"
STATE_URL = PREFIX + "state"
_BODY_END = b"</body"


def script_tag(epoch: str, file: str = "") -> bytes:
    """The tag that loads the script: the page's epoch tells it when to reload, and its
    file in the output (empty for a page not found) whether a build changed it."""
    return (
        f'<script src="{SCRIPT_URL}" data-epoch="{html.escape(epoch)}" '
        f'data-file="{html.escape(file)}"></script>\n'
    ).encode()


def inject(page: bytes, epoch: str, file: str = "") -> bytes:
    """``page`` with the script before its last ``</body>``, or at its end."""
    at = page.lower().rfind(_BODY_END)
    tag = script_tag(epoch, file)
    return page + tag if at < 0 else page[:at] + tag + page[at:]
