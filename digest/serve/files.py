"""From a request's path to a file of the output folder, and nothing outside it.

A path is refused when it holds ``.`` or ``..`` segments, empty segments, backslashes, NUL
or other control characters, or a percent-encoded dot, slash, backslash or NUL: no legal
page path needs them, so there is nothing to normalise. What remains is resolved (symlinks
followed) and must still lie inside the output folder. Folders are served by their
``index.html`` only; there are no listings.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

_ENCODED_REFUSED = ("%2e", "%2f", "%5c", "%00")
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}
HTML_TYPE = _TYPES[".html"]


@dataclass(frozen=True, slots=True)
class Found:
    """Where a valid request path leads inside the output folder."""

    file: Path | None
    """The file to send; None when there is none (404)."""
    redirect: str | None = None
    """For a folder asked without its trailing '/': the path to redirect to."""


def request_path(target: str) -> str | None:
    """The decoded path of a request target (without query), or None to refuse it."""
    raw = target.split("?", 1)[0].split("#", 1)[0]
    if not raw.startswith("/") or any(ord(c) < 0x21 or c in "\x7f\\" for c in raw):
        return None
    if any(code in raw.lower() for code in _ENCODED_REFUSED):
        return None
    try:
        path = unquote(raw, errors="strict")
    except UnicodeDecodeError:
        return None
    if any(ord(c) < 0x20 or c in "\x7f\\" for c in path):
        return None
    inner = path.split("/")[1:-1]
    if any(part in ("", ".", "..") for part in inner) or path.split("/")[-1] in (".", ".."):
        return None
    return path


def _inside(path: Path, root: Path) -> Path | None:
    """``path`` with symlinks resolved, when it exists and stays inside ``root``."""
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    return resolved if resolved.is_relative_to(root) else None


def locate(output: Path, path: str) -> Found:
    """The file for a path that ``request_path`` accepted; no hidden or temporary files."""
    parts = [part for part in path.split("/") if part]
    if any(part.startswith(".") or part.endswith(".digest-tmp") for part in parts):
        return Found(None)
    root = output.resolve()
    resolved = _inside(output.joinpath(*parts), root)
    if resolved is None:
        return Found(None)
    if resolved.is_dir():
        index = _inside(resolved / "index.html", root)
        if index is None or not index.is_file():
            return Found(None)
        return Found(index) if path.endswith("/") else Found(None, redirect=quote(path) + "/")
    if path.endswith("/") or not resolved.is_file():
        return Found(None)
    return Found(resolved)


def content_type(path: Path) -> str:
    """The Content-Type of a file, by its suffix."""
    suffix = path.suffix.lower()
    if suffix in _TYPES:
        return _TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"
