"""The validated input: one frozen record per content file, exactly what the editor wrote.

Derived facts (slugs, days, rendered HTML) live in ``digest.model``, built from these.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """The front matter and body of one ``content/*.md``, checked against the schema."""

    path: str
    """The file, relative to the site (``content/x.md``), for messages."""
    id: str
    """Unique, stable free text; the file's stem when the front matter has none."""
    title: str
    """The headline."""
    date: dt.date | dt.datetime | None
    """Publication date, or an aware datetime; None only for a draft awaiting its date."""
    source: str
    """The outlet; 'Unattributed' when unknown."""
    url: str | None
    """The original, http(s) only."""
    dateline: str | None
    """Where the article was filed from."""
    lang: str | None
    """Language tag when it differs from the site's."""
    story: str | None
    """Pins the article to a story; None lets grouping decide."""
    places: tuple[str, ...]
    """Places the article is about."""
    people: tuple[str, ...]
    """People the article is about."""
    tags: tuple[str, ...]
    """Free tags."""
    summary: str | None
    """One paragraph; the first paragraph of the body when None."""
    draft: bool
    """Drafts are built only with --drafts."""
    provenance: tuple[tuple[str, str], ...]
    """(field, how it was obtained) for each field the importer inferred rather than read."""
    body: str
    """The Markdown body."""
    body_line: int
    """The line of the file the body starts on."""
    fingerprint: str
    """Hash of the file's bytes; the cache key of everything derived from this file."""
