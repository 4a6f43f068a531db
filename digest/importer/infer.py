"""What may be derived when the text does not say it: a headline from the lead, a date from
a weekday plus another version's date. Each function says what it used, for provenance.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from digest.importer.similar import Profile, same_event

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# "said Tuesday", "said on Tuesday", "on Tuesday": the day of the reported event. "last
# Tuesday" or "next Tuesday" do not match.
_WEEKDAY = re.compile(
    r"\b(?:(?:said|says|told|announced|warned|added|reported|stated)\s+(?:on\s+)?|on\s+)"
    r"(" + "|".join(WEEKDAYS) + r")\b(?!['’]s)",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.!?])['\"’”]?\s+(?=['\"‘“]?[A-Z])")
MAX_TITLE = 120
DERIVED_TITLE = "derived from the lead"


@dataclass(frozen=True, slots=True)
class Weekday:
    """A weekday the lead gives for the reported event."""

    phrase: str
    """The words as written, e.g. 'said Tuesday'."""
    day: int
    """0 for Monday … 6 for Sunday."""


def weekday_in(lead: str) -> Weekday | None:
    """The one weekday the lead names; None when it names none or several."""
    found = [(m.group(0), WEEKDAYS.index(m.group(1).capitalize())) for m in _WEEKDAY.finditer(lead)]
    if not found or len({day for _, day in found}) > 1:
        return None
    phrase, day = found[0]
    return Weekday(" ".join(phrase.split()), day)


def title_from_lead(lead: str) -> str:
    """The lead's first sentence, cut at a clause or a word when it is long."""
    sentence = _SENTENCE.split(lead, maxsplit=1)[0].strip()
    sentence = sentence.rstrip(".").rstrip()
    if len(sentence) <= MAX_TITLE:
        return sentence
    head = sentence[:MAX_TITLE]
    clause = max(head.rfind(","), head.rfind(";"), head.rfind(" –"), head.rfind(" —"))
    if clause >= MAX_TITLE // 3:
        return head[:clause].rstrip()
    cut = head.rfind(" ")
    return (head[:cut] if cut > 0 else head).rstrip(" ,;:") + "…"


@dataclass(frozen=True, slots=True)
class Dated:
    """An article with a date of its own (not inferred), usable as evidence."""

    id: str
    """Its id, cited in the provenance."""
    date: dt.date
    """The day it was published."""
    source: str
    """Its outlet: a version of the same event comes from another one."""
    weekday: Weekday | None
    """The weekday its lead names, if one."""
    title: str
    """Its headline."""
    body: str
    """Its Markdown body; headline and body are weighed only when compared."""


@dataclass(frozen=True, slots=True)
class Inference:
    """A date inferred from a weekday and another version's date."""

    date: dt.date
    """The inferred day."""
    note: str
    """What it was inferred from, for ``provenance: {date: ...}``."""


def _weekday_date(evidence: dt.date, day: int, window: int) -> dt.date | None:
    """The latest ``day`` on or before ``evidence``, if within ``window`` days of it."""
    back = (evidence.weekday() - day) % 7
    return evidence - dt.timedelta(days=back) if back <= window else None


def infer_date(
    weekday: Weekday,
    source: str,
    own: Profile,
    candidates: Sequence[Dated],
    profile_of: Callable[[str, str], Profile],
    window: int,
) -> Inference | None:
    """The date of ``weekday`` when versions of the same event agree on one; else None."""
    days: dict[dt.date, Dated] = {}
    for other in candidates:
        if other.source == source and source != "Unattributed":
            continue
        if other.weekday is not None and other.weekday.day != weekday.day:
            continue
        day = _weekday_date(other.date, weekday.day, window)
        if day is None or not same_event(own, profile_of(other.title, other.body)):
            continue
        best = days.get(day)
        if best is None or (other.date, other.id) < (best.date, best.id):
            days[day] = other
        if len(days) > 1:
            return None  # versions disagree: no date can be stood behind
    if len(days) != 1:
        return None
    ((day, other),) = days.items()
    return Inference(
        day,
        f"inferred: '{weekday.phrase}' and version {other.id} is dated {other.date.isoformat()}",
    )
