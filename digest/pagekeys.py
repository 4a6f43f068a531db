"""Page keys: a hash of everything a page is rendered from, so unchanged pages are skipped.

A page's HTML is a pure function of the templates, the settings and its context (pages.py
keeps it so). Articles and comparisons enter the key by their fingerprints, which cover
their text; the settings and templates enter through the build's base key. Stories, cards
and terms are shared by many pages, so each one's text is worked out once per build.
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


class PageKeys:
    """Computes page keys for one build, remembering the text of shared objects."""

    def __init__(self, base: str) -> None:
        self.base = base
        self._shared: dict[int, tuple[object, str]] = {}

    def token(self, value: Any) -> str:
        """A stable text for a context value; refuses types it does not know."""
        if value is None or isinstance(value, bool | int | float | str):
            return repr(value)
        if isinstance(value, Article):
            return "A" + value.fingerprint
        if isinstance(value, Comparison | LazyComparison):
            return "C" + value.key
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, tuple | list):
            return "[" + ",".join([self.token(v) for v in value]) + "]"
        if isinstance(value, Mapping):
            items = sorted((str(k), self.token(v)) for k, v in value.items())
            return "{" + ",".join(f"{k}:{v}" for k, v in items) + "}"
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            known = self._shared.get(id(value))
            if known is not None and known[0] is value:
                return known[1]
            fields = [self.token(getattr(value, f.name)) for f in dataclasses.fields(value)]
            text = type(value).__name__ + "(" + ",".join(fields) + ")"
            self._shared[id(value)] = (value, text)  # keeps value alive: its id stays its own
            return text
        raise TypeError(f"page context holds a {type(value).__name__}, which has no page key")

    def key(self, page: Page) -> str:
        """The key of one page: base key (templates, settings), template, path and context."""
        digest = hashlib.blake2b(digest_size=16)
        digest.update(f"{self.base}\0{page.template}\0{page.path}\0".encode())
        digest.update(self.token(page.context).encode())
        return digest.hexdigest()
