"""The dated articles an undated one may be dated from: this batch's and content/'s.

Texts are compared as the content file will hold them (headline, then Markdown body). A
first, cheap look at every dated article reads only the names of its headline and lead;
only those sharing names with the undated article are weighed in full.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from digest.importer import infer
from digest.importer.similar import Profile, names, profile
from digest.records import ArticleRecord

MIN_LEAD_NAMES = 2
"""Names a dated article's headline and lead must share with the undated text to be weighed."""


@dataclass(frozen=True, slots=True)
class Version:
    """One article of the batch, as the evidence needs it."""

    title: str
    """The headline."""
    body: str
    """The Markdown body, as the content file will hold it."""
    lead: str
    """The first paragraph, plain."""
    date: dt.date | dt.datetime | None
    """Its own date (as read, not inferred); None when undated or not to be trusted."""
    id: str
    """The id it will have (only used when dated)."""
    source: str
    """Its outlet."""


def _day(date: dt.date | dt.datetime) -> dt.date:
    return date.date() if isinstance(date, dt.datetime) else date


class Evidence:
    """Dated versions, indexed by the names of their headline and lead."""

    def __init__(self, batch: Sequence[Version], records: Sequence[ArticleRecord]) -> None:
        self._profiles: dict[tuple[str, str], Profile] = {}
        dated: list[infer.Dated] = []
        heads: list[str] = []
        for record in records:
            if record.draft or record.date is None:
                continue
            if any(field == "date" for field, _ in record.provenance):
                continue
            lead = record.body.lstrip().split("\n\n", 1)[0]
            weekday = infer.weekday_in(lead)
            day = _day(record.date)
            dated.append(
                infer.Dated(record.id, day, record.source, weekday, record.title, record.body)
            )
            heads.append(record.title + "\n" + lead)
        for version in batch:
            if version.date is not None:
                weekday = infer.weekday_in(version.lead)
                day = _day(version.date)
                dated.append(
                    infer.Dated(
                        version.id, day, version.source, weekday, version.title, version.body
                    )
                )
                heads.append(version.title + "\n" + version.lead)
        self.dated = dated
        self.by_name: dict[str, list[int]] = {}
        for index, head in enumerate(heads):
            for name in names(head):
                self.by_name.setdefault(name, []).append(index)

    def profile(self, title: str, body: str) -> Profile:
        """The weighed words of a headline and body, computed once."""
        key = (title, body)
        found = self._profiles.get(key)
        if found is None:
            found = self._profiles[key] = profile(title + "\n" + body)
        return found

    def candidates(self, own: Profile) -> list[infer.Dated]:
        """Dated articles whose headline and lead share enough names with ``own``."""
        shared: Counter[int] = Counter()
        for name in own.names:
            shared.update(self.by_name.get(name, ()))
        return [self.dated[i] for i, n in sorted(shared.items()) if n >= MIN_LEAD_NAMES]
