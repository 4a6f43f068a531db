"""Page keys: a hash of everything a page is rendered from, so unchanged pages are skipped.

A page's HTML is a pure function of the templates, the settings and its context (pages.py
keeps it so). Articles enter the key by their file's fingerprint, which covers their text
and path; the settings and templates enter through the build's base key.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

from digest.compare import Comparison
from digest.comparisons import LazyComparison
from digest.model import Article
from digest.pages import Page


def token(value: Any) -> str:
    """A stable text for a context value; refuses types it does not know, so none is missed."""
    if value is None or isinstance(value, bool | int | float):
        return repr(value)
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, Article):
        return "A" + value.fingerprint
    if isinstance(value, Comparison | LazyComparison):
        return "C" + value.key
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return "[" + ",".join(token(v) for v in value) + "]"
    if isinstance(value, Mapping):
        items = sorted((str(k), token(v)) for k, v in value.items())
        return "{" + ",".join(f"{k}:{v}" for k, v in items) + "}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = (token(getattr(value, f.name)) for f in dataclasses.fields(value))
        return type(value).__name__ + "(" + ",".join(fields) + ")"
    raise TypeError(f"page context holds a {type(value).__name__}, which has no page key")


def page_key(base: str, page: Page) -> str:
    """The key of one page: base key (templates, settings), template, path and context."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{base}\0{page.template}\0{page.path}\0".encode())
    digest.update(token(page.context).encode())
    return digest.hexdigest()
