"""The site's machine-readable and publishing files: stories.json, the Atom feed, the
sitemap, robots.txt, .nojekyll and CNAME.

Dates come from the content, never from the clock, so the same input gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from digest import urls
from digest.model import SiteModel

FEED_SIZE = 50


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


def dump_json(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode()


def _iso(model: SiteModel, article_id: str) -> str:
    return model.articles[article_id].when.strftime("%Y-%m-%dT%H:%M:%SZ")


def feed_xml(model: SiteModel) -> bytes:
    """Atom feed of the latest stories, with absolute links under the base URL."""
    base = model.config.base_url
    latest = model.stories[:FEED_SIZE]
    updated = _iso(model, latest[0].article_ids[-1]) if latest else "1970-01-01T00:00:00Z"
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"  <title>{escape(model.config.title)}</title>",
        f"  <subtitle>{escape(model.config.description)}</subtitle>",
        f"  <id>{escape(base)}</id>",
        f'  <link rel="alternate" href={quoteattr(base)}/>',
        f'  <link rel="self" href={quoteattr(base + "feed.xml")}/>',
        f"  <updated>{updated}</updated>",
        f"  <author><name>{escape(model.config.title)}</name></author>",
    ]
    for story in latest:
        versions = model.versions(story)
        href = urls.absolute(base, urls.story(story.id))
        outlets = ", ".join(sorted({a.source for a in versions}))
        summary = f"{len(versions)} version(s): {outlets}. {versions[0].summary}"
        lines += [
            "  <entry>",
            f"    <title>{escape(story.title)}</title>",
            f"    <id>{escape(href)}</id>",
            f'    <link rel="alternate" href={quoteattr(href)}/>',
            f"    <published>{_iso(model, story.article_ids[0])}</published>",
            f"    <updated>{_iso(model, story.article_ids[-1])}</updated>",
            f"    <summary>{escape(summary)}</summary>",
            "  </entry>",
        ]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode()


def sitemap_xml(model: SiteModel, paths: list[str]) -> bytes:
    base = model.config.base_url
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    lines += [f"  <url><loc>{escape(urls.absolute(base, p))}</loc></url>" for p in paths]
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode()


def robots_txt(model: SiteModel) -> bytes:
    text = "User-agent: *\nAllow: /\n"
    if model.config.base_url:
        text += f"Sitemap: {model.config.base_url}sitemap.xml\n"
    return text.encode()


def publishing_files(model: SiteModel, page_paths: list[str]) -> Iterator[tuple[str, bytes]]:
    """Every non-HTML file of the site; the feed and sitemap only with a base URL."""
    yield "stories.json", dump_json(stories_json(model))
    yield ".nojekyll", b""
    yield "robots.txt", robots_txt(model)
    if model.config.base_url:
        yield "feed.xml", feed_xml(model)
        yield "sitemap.xml", sitemap_xml(model, page_paths)
    if model.config.cname:
        yield "CNAME", (model.config.cname + "\n").encode()
