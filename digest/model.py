"""The derived model: articles with their slugs, days and HTML, and the stories they form.

Built from validated records; stories refer to articles by id, never by a web of objects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from digest.bodies import Body
from digest.config import SiteConfig


@dataclass(frozen=True, slots=True)
class Article:
    """One version of a story, ready to render."""

    id: str
    """The article's id as written (or its file's stem)."""
    slug: str
    """The id's slug: the article's URL is ``articles/SLUG/``."""
    path: str
    """Its file, relative to the site."""
    title: str
    """The headline."""
    date: dt.date | dt.datetime
    """The date as written."""
    day: dt.date
    """The calendar day it belongs to, in the site's time zone."""
    when: dt.datetime
    """An aware UTC instant for ordering; a bare date counts as the start of its day."""
    source: str
    """The outlet."""
    source_slug: str
    """The outlet's URL slug."""
    url: str | None
    """The original article."""
    dateline: str | None
    """Where it was filed from."""
    lang: str
    """Its language (the site's unless the front matter says otherwise)."""
    story_key: str | None
    """The ``story:`` it is pinned to, if any."""
    places: tuple[str, ...]
    """Places, as written."""
    people: tuple[str, ...]
    """People, as written."""
    tags: tuple[str, ...]
    """Tags, as written."""
    summary: str
    """The summary, or the lead when none was given."""
    draft: bool
    """Built only with --drafts."""
    provenance: tuple[tuple[str, str], ...]
    """How each inferred field was obtained."""
    body: Body
    """The rendered body, held or read back when first used (see digest.bodies)."""
    fingerprint: str
    """Hash of the source file."""

    @property
    def lead(self) -> str:
        """The body's first paragraph, as plain text (kept without the body)."""
        return self.body.lead

    @property
    def html(self) -> str:
        """The body, as safe HTML."""
        return self.body.get().html

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """The body's paragraphs as plain text."""
        return self.body.get().paragraphs

    @property
    def sort_key(self) -> tuple[dt.datetime, str]:
        """Publication order: instant, then id, so equal dates still order stably."""
        return (self.when, self.id)


@dataclass(frozen=True, slots=True)
class Story:
    """One real-world event and its versions."""

    id: str
    """Slug of its first version's id, or of its pinned ``story:`` key."""
    title: str
    """Its first version's headline."""
    article_ids: tuple[str, ...]
    """Its versions, in order of publication."""
    days: tuple[dt.date, ...]
    """Every day on which one of its versions was published, oldest first."""
    first: dt.datetime
    """When its first version was published."""
    latest: dt.datetime
    """When its latest version was published; the home page orders by this."""
    pinned: bool
    """True when its versions were grouped by their ``story:`` key."""
    reasons: tuple[str, ...] = ()
    """Why the versions were grouped, in words, for editors."""
    score: float | None = None
    """The grouping's confidence, when grouping decided."""


@dataclass(frozen=True, slots=True)
class Term:
    """A source, place, person or tag with a page of its own."""

    kind: str
    """'sources', 'places', 'people' or 'tags': the URL folder."""
    slug: str
    """Its URL slug."""
    name: str
    """Its name as most often written."""
    article_ids: tuple[str, ...]
    """Articles that name it, newest first."""
    story_ids: tuple[str, ...]
    """Stories whose versions name it, newest first."""


@dataclass(frozen=True, slots=True)
class SiteModel:
    """Everything the renderer needs, derived from the content and the settings."""

    config: SiteConfig
    """The settings."""
    articles: Mapping[str, Article]
    """Articles by id."""
    stories: tuple[Story, ...]
    """Stories, latest version first."""
    story_of: Mapping[str, str]
    """Article id -> story id."""
    terms: Mapping[str, tuple[Term, ...]]
    """Kind -> its terms sorted by name."""

    def versions(self, story: Story) -> tuple[Article, ...]:
        return tuple(self.articles[i] for i in story.article_ids)
