"""The pages of an edited article, shown before the whole site is rebuilt (``digest serve``).

A whole rebuild re-reads, regroups and re-plans the site; at 10,000 articles that takes a
while even when it re-renders a handful of pages. The editor looks at the article being
edited, so ``digest serve`` first renders that article's page and its story's page from the
last build's model with the edited article swapped in, writes them, and tells open tabs to
reload; the whole rebuild follows at once and brings the rest of the site (listings, the
other versions' links, a regrouping) up to date. Hugo's server does the same by default
("fast render": pages open in a browser first).

Only a plain edit is previewed: an article that already had a page, still valid, and still
dated and drafted as before. Anything else (a new or deleted file, a bad save, a changed
date) waits for the whole rebuild, which reports problems as usual.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from jinja2 import Environment

from digest import urls
from digest.bodies import Body
from digest.compare import compare_story
from digest.comparisons import LazyComparison
from digest.config import SiteConfig
from digest.derive import make_story, to_article
from digest.group import Group
from digest.ingest import Source, parse_source
from digest.model import Article, SiteModel
from digest.pages import Page, article_page, story_page
from digest.render import render_page


@dataclass(frozen=True, slots=True)
class LastBuild:
    """What a good build leaves for previews: its settings, templates and model."""

    config: SiteConfig
    env: Environment
    model: SiteModel
    comparisons: dict[str, LazyComparison]
    drafts: bool


def _edited(last: LastBuild, source: Source) -> Article | None:
    """The article of an edited file, or None when this edit cannot be previewed."""
    entry, rendered, problems = parse_source(source)
    if entry is None or rendered is None or problems:
        return None
    record = entry[0]
    body = Body.held(record.fingerprint, rendered)
    old = last.model.articles.get(record.id)
    if old is None or old.path != record.path or record.date is None:
        return None
    if record.draft and not last.drafts:
        return None
    article = to_article(record, last.config, lambda _record: body)
    if article.fingerprint == old.fingerprint or article.when != old.when:
        return None
    return article


def preview_pages(last: LastBuild, sources: Sequence[Source]) -> list[Page]:
    """The article and story pages of every previewable edit among ``sources``."""
    pages: list[Page] = []
    for source in sources:
        article = _edited(last, source)
        if article is None:
            continue
        old_story = next(s for s in last.model.stories if s.id == last.model.story_of[article.id])
        versions = [article if a.id == article.id else a for a in last.model.versions(old_story)]
        found = Group(old_story.article_ids, old_story.reasons, old_story.score)
        story = make_story(old_story.id, versions, old_story.pinned, found)
        comparison = compare_story(tuple(versions))
        pages.append(article_page(story, tuple(versions), article, comparison))
        pages.append(story_page(story, tuple(versions), comparison))
    return pages


def render_preview(last: LastBuild, pages: Sequence[Page]) -> list[tuple[str, bytes]]:
    """(output path, bytes) of each page."""
    return [(urls.output_file(page.path), render_page(last.env, page)) for page in pages]
