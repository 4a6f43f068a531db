"""One article as read from any input format, before dates are inferred and files named."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Draft:
    """What an input says about one article; None where it says nothing."""

    origin: str
    """The input as ``file`` or ``file:line``, for the report."""
    where: str
    """The input file, for problems."""
    line: int | None
    """The article's line in the input (JSON Lines), or None for a whole file."""
    id: str | None
    """The id the input gives; None to derive one from date, source and title."""
    title: str | None
    """The headline; None to derive it from the lead."""
    date: dt.date | dt.datetime | None
    """The date the input gives."""
    source: str | None
    """The outlet the input names."""
    body: str
    """The body as Markdown."""
    lead: str
    """The first paragraph as plain text."""
    url: str | None = None
    """The original's address."""
    dateline: str | None = None
    """Where it was filed from."""
    lang: str | None = None
    """Its language, when the input says."""
    story: str | None = None
    """A story it is pinned to, when the input says."""
    summary: str | None = None
    """A summary, when the input gives one."""
    places: tuple[str, ...] = ()
    """Places, only when the input lists them."""
    people: tuple[str, ...] = ()
    """People, only when the input lists them."""
    tags: tuple[str, ...] = ()
    """Tags, only when the input lists them."""
    copy: bytes | None = None
    """A Markdown file's bytes, copied as they are; None for generated files."""
    stem: str | None = None
    """The file name a copied Markdown file keeps (without ``.md``)."""
    date_noted: bool = False
    """The copied file's date is itself inferred: not evidence."""
