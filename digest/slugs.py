"""Slugs: the ASCII names that ids, sources and places take in URLs and file names."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
MAX_SLUG = 80
# Names Windows refuses as file or folder names, whatever the extension.
_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"com{i}" for i in range(10)] + [f"lpt{i}" for i in range(10)]
)


def slugify(text: str) -> str:
    """Lowercase ASCII letters, digits and single hyphens; empty when nothing is left.

    Accents are folded (``Erdoğan`` -> ``erdogan``); everything else becomes a hyphen.
    Names reserved by file systems get a trailing ``-x`` so the output can be checked out
    anywhere.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NON_ALNUM.sub("-", folded.lower()).strip("-")
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rstrip("-")
    if slug in _RESERVED:
        slug += "-x"
    return slug
