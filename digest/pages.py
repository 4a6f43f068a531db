"""Which pages the site has, and what each shows: the plan the renderer follows.

Each page is a site path, a template and a context holding everything its template shows
(no template reaches into the model by itself). That makes a page a pure function of its
context, so a page whose context did not change need not be rendered again.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from digest import urls
from digest.compare import Comparison
from digest.comparisons import LazyComparison
from digest.model import Article, SiteModel, Story


@dataclass(frozen=True, slots=True)
class Page:
    """One HTML page to render."""

    path: str
    """Its site path, e.g. ``stories/x/``."""
    template: str
    """The template that renders it."""
    context: Mapping[str, Any] = field(default_factory=dict)
    """Everything the template shows, besides the site settings."""


@dataclass(frozen=True, slots=True)
class Card:
    """A story as listings show it."""

    id: str
    """The story's id."""
    title: str
    """Its headline."""
    versions: int
    """How many versions it has."""
    outlets: tuple[str, ...]
    """Its versions' outlets, in order of publication, each once."""
    places: tuple[str, ...]
    """Places its versions name, each once."""
    first_day: dt.date
    """Day of its first version."""
    last_day: dt.date
    """Day of its latest version."""
    summary: str
    """Its first version's summary."""
    lang: str
    """Its first version's language (cards mark their headline and summary with it)."""


@dataclass(frozen=True, slots=True)
class DayGroup:
    """Story cards shown under one day's heading."""

    day: dt.date
    cards: tuple[Card, ...]


def _unique(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def card(model: SiteModel, story: Story) -> Card:
    versions = model.versions(story)
    return Card(
        id=story.id,
        title=story.title,
        versions=len(versions),
        outlets=_unique([a.source for a in versions]),
        places=_unique([p for a in versions for p in a.places]),
        first_day=versions[0].day,
        last_day=versions[-1].day,
        summary=versions[0].summary,
        lang=versions[0].lang,
    )


def _by_latest_day(cards: Sequence[Card]) -> tuple[DayGroup, ...]:
    groups: dict[dt.date, list[Card]] = defaultdict(list)
    for one in cards:
        groups[one.last_day].append(one)
    return tuple(DayGroup(day, tuple(c)) for day, c in sorted(groups.items(), reverse=True))


def stories_by_day(model: SiteModel) -> dict[dt.date, list[Story]]:
    """Each day -> the stories with a version published that day, latest first."""
    days: dict[dt.date, list[Story]] = defaultdict(list)
    for story in model.stories:
        for day in story.days:
            days[day].append(story)
    return dict(sorted(days.items()))


def home_pages(model: SiteModel, cards: Mapping[str, Card]) -> Iterator[Page]:
    per_page = model.config.per_page
    total = max(1, -(-len(model.stories) // per_page))
    for number in range(1, total + 1):
        chunk = model.stories[(number - 1) * per_page : number * per_page]
        yield Page(
            urls.home(number),
            "home.html",
            {
                "groups": _by_latest_day([cards[s.id] for s in chunk]),
                "page_number": number,
                "page_count": total,
                "previous_page": urls.home(number - 1) if number > 1 else None,
                "next_page": urls.home(number + 1) if number < total else None,
            },
        )


def day_pages(model: SiteModel, cards: Mapping[str, Card]) -> Iterator[Page]:
    days = stories_by_day(model)
    order = list(days)
    for n, (day, stories) in enumerate(days.items()):
        yield Page(
            urls.day(day),
            "day.html",
            {
                "day": day,
                "cards": tuple(cards[s.id] for s in stories),
                "previous_day": order[n - 1] if n > 0 else None,
                "next_day": order[n + 1] if n + 1 < len(order) else None,
            },
        )
    counts = tuple((day, len(stories)) for day, stories in reversed(days.items()))
    yield Page("days/", "days.html", {"days": counts})


def story_page(
    story: Story, versions: tuple[Article, ...], comparison: Comparison | LazyComparison | None
) -> Page:
    return Page(
        urls.story(story.id),
        "story.html",
        {"story": story, "versions": versions, "comparison": comparison},
    )


def article_page(
    story: Story,
    versions: tuple[Article, ...],
    article: Article,
    comparison: Comparison | LazyComparison | None,
) -> Page:
    return Page(
        urls.article(article.slug),
        "article.html",
        {
            "article": article,
            "story": story,
            "others": tuple(a for a in versions if a.id != article.id),
            "comparison": comparison,
        },
    )


def story_pages(model: SiteModel, comparisons: Mapping[str, LazyComparison]) -> Iterator[Page]:
    for story in model.stories:
        yield story_page(story, model.versions(story), comparisons.get(story.id))


def article_pages(model: SiteModel, comparisons: Mapping[str, LazyComparison]) -> Iterator[Page]:
    for story in model.stories:
        versions = model.versions(story)
        comparison = comparisons.get(story.id)
        for article in versions:
            yield article_page(story, versions, article, comparison)


def term_pages(model: SiteModel, cards: Mapping[str, Card]) -> Iterator[Page]:
    for kind, terms in model.terms.items():
        for term in terms:
            articles: tuple[Article, ...] = ()
            if kind == "sources":
                articles = tuple(model.articles[a] for a in term.article_ids)
            yield Page(
                urls.term(kind, term.slug),
                "term.html",
                {
                    "term": term,
                    "cards": tuple(cards[s] for s in term.story_ids),
                    "articles": articles,
                },
            )
        yield Page(f"{kind}/", "terms.html", {"kind": kind, "terms": terms})


def plan(model: SiteModel, comparisons: Mapping[str, LazyComparison]) -> Iterator[Page]:
    """Every HTML page of the site, in a stable order."""
    cards = {story.id: card(model, story) for story in model.stories}
    yield from home_pages(model, cards)
    yield from day_pages(model, cards)
    yield from story_pages(model, comparisons)
    yield from article_pages(model, comparisons)
    yield from term_pages(model, cards)
    yield Page("search/", "search.html", {})
