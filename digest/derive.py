"""From validated records to the site model: articles, stories and term pages.

Problems that need more than one file to see (duplicate ids, colliding URLs) are found here
and reported with both files.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence

from digest.bodies import Body
from digest.config import SiteConfig
from digest.errors import Problem, ProblemsError
from digest.group import Group, GroupMemo, Terms, group
from digest.markdown import render_body
from digest.model import Article, SiteModel, Story, Term
from digest.records import ArticleRecord
from digest.slugs import slugify
from digest.urls import TERM_KINDS

Renderer = Callable[[ArticleRecord], Body]


def render_record(record: ArticleRecord) -> Body:
    """Render a record's body now (a build renders ahead of time, in digest.ingest)."""
    return Body.held(record.fingerprint, render_body(record.body))


def _instant(date: dt.date | dt.datetime, zone: dt.tzinfo) -> tuple[dt.date, dt.datetime]:
    """(calendar day in the site's zone, aware UTC instant) of a date or datetime."""
    if isinstance(date, dt.datetime):
        local = date.astimezone(zone)
        return local.date(), date.astimezone(dt.UTC)
    start = dt.datetime(date.year, date.month, date.day, tzinfo=zone)
    return date, start.astimezone(dt.UTC)


def to_article(record: ArticleRecord, config: SiteConfig, render: Renderer) -> Article:
    """Derive one article; ``render`` may be a cached renderer."""
    zone = zoneinfo.ZoneInfo(config.timezone)
    if record.date is None:
        raise ValueError(f"{record.path}: an undated draft cannot be built")
    day, when = _instant(record.date, zone)
    body = render(record)
    return Article(
        id=record.id,
        slug=slugify(record.id),
        path=record.path,
        title=record.title,
        date=record.date,
        day=day,
        when=when,
        source=record.source,
        source_slug=slugify(record.source),
        url=record.url,
        dateline=record.dateline,
        lang=record.lang or config.language,
        story_key=record.story,
        places=record.places,
        people=record.people,
        tags=record.tags,
        summary=record.summary or body.lead,
        draft=record.draft,
        provenance=record.provenance,
        body=body,
        fingerprint=record.fingerprint,
    )


def undated_drafts(records: Sequence[ArticleRecord]) -> list[Problem]:
    """Warnings for drafts the build leaves out because they have no date yet."""
    return [
        Problem(
            r.path,
            1,
            "date: missing: this draft is left out until it has one",
            "add 'date: YYYY-MM-DD', then remove 'draft: true'",
        )
        for r in records
        if r.date is None
    ]


def check_identities(records: Sequence[ArticleRecord]) -> list[Problem]:
    """Every id needs a non-empty slug of its own; names need one to have a page."""
    problems: list[Problem] = []
    seen: dict[str, ArticleRecord] = {}
    for record in records:
        slug = slugify(record.id)
        if not slug:
            problems.append(
                Problem(
                    record.path,
                    1,
                    f"id: {record.id!r} has no letters or digits for its URL",
                    "give it an id such as afp-2019-08-27-idlib",
                )
            )
            continue
        other = seen.get(slug)
        if other is not None:
            same = "the same id" if other.id == record.id else f"an id with the same URL ({slug})"
            problems.append(
                Problem(
                    record.path,
                    1,
                    f"id: {record.id!r} has {same} as {other.path}",
                    "give one of them another id",
                )
            )
            continue
        seen[slug] = record
        names = [
            ("source", [record.source]),
            ("story", [record.story] if record.story else []),
            *((kind, list(getattr(record, kind))) for kind in ("places", "people", "tags")),
        ]
        for field, values in names:
            for value in values:
                if not slugify(value):
                    problems.append(
                        Problem(
                            record.path,
                            1,
                            f"{field}: {value!r} has no letters or digits for its URL",
                            "write it in words",
                        )
                    )
    return problems


def make_story(story_id: str, versions: list[Article], pinned: bool, found: Group | None) -> Story:
    """The story of these versions (sorted here in place), titled by the first."""
    versions.sort(key=lambda a: a.sort_key)
    return Story(
        id=story_id,
        title=versions[0].title,
        article_ids=tuple(a.id for a in versions),
        days=tuple(sorted({a.day for a in versions})),
        first=versions[0].when,
        latest=versions[-1].when,
        pinned=pinned,
        reasons=found.reasons if found else (),
        score=found.score if found else None,
    )


def build_stories(
    articles: Sequence[Article],
    config: SiteConfig,
    terms: Mapping[str, Terms] | None = None,
    *,
    memo: GroupMemo | None = None,
    jobs: int | None = None,
) -> list[Story]:
    """Pinned articles by their key; the rest as the grouping decides. Ids never collide.

    ``memo`` keeps the grouping's parts from one call to the next (see ``group``); ``jobs``
    caps the processes the grouping may use (default: every core).
    """
    pinned: dict[str, list[Article]] = defaultdict(list)
    loose: list[Article] = []
    for article in articles:
        if article.story_key:
            pinned[slugify(article.story_key)].append(article)
        else:
            loose.append(article)
    stories = [make_story(key, versions, True, None) for key, versions in pinned.items()]
    by_id = {a.id: a for a in loose}
    ordered = sorted(loose, key=lambda a: a.sort_key)
    groups = group(ordered, config.grouping, terms=terms, memo=memo, jobs=jobs)
    for found in groups:
        versions = [by_id[i] for i in found.article_ids]
        first = min(versions, key=lambda a: a.sort_key)
        stories.append(make_story(first.slug, versions, False, found))
    everyone = {a.id: a for a in articles}
    problems: list[Problem] = []
    owners: dict[str, Story] = {}
    for story in sorted(stories, key=lambda s: (s.first, s.id)):
        if story.id in owners:
            first = everyone[story.article_ids[0]]
            other = everyone[owners[story.id].article_ids[0]]
            problems.append(
                Problem(
                    first.path,
                    1,
                    f"story: '{story.id}' is also the story of {other.path}",
                    f"pin both with 'story: {story.id}' to "
                    "make them one story, or change one of them",
                )
            )
        owners[story.id] = story
    if problems:
        raise ProblemsError(problems)
    return sorted(stories, key=lambda s: (s.latest, s.id), reverse=True)


def build_terms(
    articles: Iterable[Article], story_of: dict[str, str], order: dict[str, int]
) -> dict[str, tuple[Term, ...]]:
    """Sources, places, people and tags by slug; spellings that slug alike share a page."""
    terms: dict[str, tuple[Term, ...]] = {}
    for kind in TERM_KINDS:
        names: dict[str, Counter[str]] = defaultdict(Counter)
        members: dict[str, list[Article]] = defaultdict(list)
        for article in articles:
            values = [article.source] if kind == "sources" else list(getattr(article, kind))
            for value in values:
                slug = slugify(value)
                names[slug][value] += 1
                members[slug].append(article)
        built = []
        for slug, found in members.items():
            name = sorted(names[slug].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            newest = sorted(found, key=lambda a: a.sort_key, reverse=True)
            story_ids = sorted({story_of[a.id] for a in found}, key=lambda s: order[s])
            built.append(Term(kind, slug, name, tuple(a.id for a in newest), tuple(story_ids)))
        terms[kind] = tuple(sorted(built, key=lambda t: (t.name.casefold(), t.slug)))
    return terms


def derive(
    records: Sequence[ArticleRecord],
    config: SiteConfig,
    *,
    drafts: bool,
    render: Renderer = render_record,
    checked: bool = False,
    terms: Mapping[str, Terms] | None = None,
    memo: GroupMemo | None = None,
    jobs: int | None = None,
) -> SiteModel:
    """The site model, or ProblemsError listing everything that spans files.

    ``checked`` says the caller ran ``check_identities`` already (the build does, to report
    those problems together with the files' own). ``memo``, kept between builds of one site,
    lets the grouping rework only the days around what changed.
    """
    problems = [] if checked else check_identities(records)
    if problems:
        raise ProblemsError(problems)
    chosen = [r for r in records if (drafts or not r.draft) and r.date is not None]
    articles = [to_article(r, config, render) for r in chosen]
    stories = build_stories(articles, config, terms, memo=memo, jobs=jobs)
    story_of = {aid: s.id for s in stories for aid in s.article_ids}
    order = {s.id: n for n, s in enumerate(stories)}
    return SiteModel(
        config=config,
        articles={a.id: a for a in sorted(articles, key=lambda a: a.sort_key)},
        stories=tuple(stories),
        story_of=story_of,
        terms=build_terms(articles, story_of, order),
    )
