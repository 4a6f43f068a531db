"""The site's machine-readable and publishing files: stories.json, the Atom feed, the
sitemap, robots.txt, .nojekyll and CNAME.

Dates come from the content, never from the clock, so the same input gives the same bytes.
The feed and the sitemap hold absolute URLs under the base URL: readers and crawlers see
them outside the site, where a relative link means nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from digest import urls
from digest.jsontext import inline_json
from digest.model import SiteModel, Story
from digest.search import Words, search_files

FEED_SIZE = 50
ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# Before any content exists the feed still needs an <updated>; a fixed instant keeps the
# output a pure function of the input.
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# Characters XML 1.0 forbids even when escaped; a stray one would make the feed unreadable.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def stories_json(model: SiteModel) -> dict[str, Any]:
    """The document DESIGN.md fixes for other tools: every story and its versions."""
    stories = []
    for story in model.stories:
        first = model.articles[story.article_ids[0]]
        stories.append(
            {
                "id": story.id,
                "title": story.title,
                "date": first.day.isoformat(),
                "url": urls.story(story.id),
                "pinned": story.pinned,
                "reasons": list(story.reasons),
                "score": story.score,
                "articles": [
                    {
                        "id": a.id,
                        "source": a.source,
                        "date": a.day.isoformat(),
                        "url": urls.article(a.slug),
                        "title": a.title,
                    }
                    for a in model.versions(story)
                ],
            }
        )
    return {"stories": stories}


def dump_listing(key: str, items: list[Any]) -> bytes:
    """``{"key": [...]}`` with one item a line: fast like compact JSON, and diffable."""
    lines = [inline_json(item) for item in items]
    return ("{" + json.dumps(key) + ":[\n" + ",\n".join(lines) + "\n]}\n").encode()


def timestamp(when: dt.datetime) -> str:
    """RFC 3339 in UTC, as Atom and sitemaps want it."""
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def _attr(value: str) -> str:
    return quoteattr(_NOT_XML.sub("", value))


def _entry(model: SiteModel, story: Story) -> list[str]:
    """One story as an Atom entry: its page is the link and the id, its outlets the authors."""
    base = model.config.base_url
    versions = model.versions(story)
    href = urls.absolute(base, urls.story(story.id))
    outlets = list(dict.fromkeys(a.source for a in versions))
    count = f"{len(versions)} version{'s' if len(versions) != 1 else ''}"
    summary = f"{count}: {', '.join(outlets)}. {versions[0].summary}"
    lines = [
        "  <entry>",
        f"    <title>{_text(story.title)}</title>",
        f"    <id>{_text(href)}</id>",
        f'    <link rel="alternate" type="text/html" href={_attr(href)}/>',
        f"    <published>{timestamp(story.first)}</published>",
        f"    <updated>{timestamp(story.latest)}</updated>",
    ]
    lines += [f"    <author><name>{_text(name)}</name></author>" for name in outlets]
    places = dict.fromkeys(p for a in versions for p in a.places)
    lines += [f"    <category term={_attr(place)}/>" for place in places]
    lines += [f"    <summary>{_text(summary)}</summary>", "  </entry>"]
    return lines


def feed_xml(model: SiteModel) -> bytes:
    """Atom feed of the latest stories, with absolute links under the base URL.

    A story is updated when a new version joins it, so its entry's <updated> is its latest
    version's date and the feed's is the newest of those.
    """
    config = model.config
    base = config.base_url
    latest = model.stories[:FEED_SIZE]
    updated = max((s.latest for s in latest), default=EPOCH)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="{ATOM_NS}" xml:lang={_attr(config.language)}>',
        f"  <title>{_text(config.title)}</title>",
        f"  <subtitle>{_text(config.description)}</subtitle>",
        f"  <id>{_text(base)}</id>",
        f'  <link rel="alternate" type="text/html" href={_attr(base)}/>',
        f'  <link rel="self" type="application/atom+xml" href={_attr(base + "feed.xml")}/>',
        f"  <updated>{timestamp(updated)}</updated>",
        f"  <author><name>{_text(config.title)}</name></author>",
        "  <generator>digest</generator>",
    ]
    for story in latest:
        lines += _entry(model, story)
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode()


def last_modified(model: SiteModel) -> dict[str, dt.datetime]:
    """Site path -> when what the page shows last changed: the latest version it shows.

    A story's page, its versions' pages, its days and its terms change when a version joins
    it; listings that show every story change with the newest one.
    """
    latest = {story.id: story.latest for story in model.stories}
    mods: dict[str, dt.datetime] = {}
    for story in model.stories:
        mods[urls.story(story.id)] = story.latest
        for article in model.versions(story):
            mods[urls.article(article.slug)] = story.latest
        for day in story.days:
            path = urls.day(day)
            mods[path] = max(mods.get(path, story.latest), story.latest)
    for kind, terms in model.terms.items():
        for term in terms:
            mods[urls.term(kind, term.slug)] = max(
                (latest[s] for s in term.story_ids), default=EPOCH
            )
    return mods


def sitemap_xml(model: SiteModel, paths: Iterable[str]) -> bytes:
    """Every page's absolute URL, with the date of the newest version it shows."""
    base = model.config.base_url
    mods = last_modified(model)
    newest = max((s.latest for s in model.stories), default=EPOCH)
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<urlset xmlns="{SITEMAP_NS}">']
    for path in paths:
        loc = _text(urls.absolute(base, path))
        lastmod = timestamp(mods.get(path, newest))
        lines.append(f"  <url><loc>{loc}</loc><lastmod>{lastmod}</lastmod></url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode()


def robots_txt(model: SiteModel) -> bytes:
    text = "User-agent: *\nAllow: /\n"
    if model.config.base_url:
        text += f"Sitemap: {model.config.base_url}sitemap.xml\n"
    return text.encode()


def publishing_files(
    model: SiteModel, page_paths: list[str], words: Mapping[str, Words] | None = None
) -> Iterator[tuple[str, bytes]]:
    """Every non-HTML file of the site but compare.json; feed and sitemap need a base URL.

    ``words`` are the articles' search words, when the reader worked them out already.
    """
    yield "stories.json", dump_listing("stories", stories_json(model)["stories"])
    yield from search_files(model, words)
    yield ".nojekyll", b""
    yield "robots.txt", robots_txt(model)
    if model.config.base_url:
        yield "feed.xml", feed_xml(model)
        yield "sitemap.xml", sitemap_xml(model, page_paths)
    if model.config.cname:
        yield "CNAME", (model.config.cname + "\n").encode()
