"""Automatic grouping of unpinned articles into stories.

The hook the build calls for every article without a ``story:`` key; the work is done in
``digest.grouping`` (names, numbers and TF-IDF, shared-neighbour scoring, average link).
``terms_from`` is the per-article part, for the build to run where it reads each file;
a ``GroupMemo`` kept between builds lets an edit regroup only the days around it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from digest.config import GroupingConfig
from digest.grouping.blocks import block_days
from digest.grouping.features import Terms, terms_from
from digest.grouping.memo import GroupMemo
from digest.grouping.pipeline import Params, partition
from digest.model import Article

__all__ = ["Group", "GroupMemo", "Terms", "group", "runs", "terms_from"]


@dataclass(frozen=True, slots=True)
class Group:
    """Articles the grouping found to be versions of one event."""

    article_ids: tuple[str, ...]
    """The versions, in any order."""
    reasons: tuple[str, ...] = ()
    """Why they were grouped, in words."""
    score: float | None = None
    """How sure the grouping is, 0..1."""


def group(
    articles: Sequence[Article],
    config: GroupingConfig,
    terms: Mapping[str, Terms] | None = None,
    memo: GroupMemo | None = None,
    jobs: int | None = None,
) -> list[Group]:
    """Partition ``articles`` (none pinned) into groups; every article in exactly one.

    Two articles whose days differ by more than ``config.window_days`` are never joined
    directly. The result does not depend on the order of ``articles``. ``terms`` maps an
    ``Article.fingerprint`` to ``terms_from`` of that article, worked out where its file was
    read; what it lacks is worked out here, with the same result. ``memo`` holds the parts
    of the previous call (give the same one to every call for one site): the parts whose
    articles did not change are taken from it, with the same result as working them out.
    ``jobs`` caps the processes the work may be split between (default: every core), with
    the same result.
    """
    if not config.enabled:
        return [Group((article.id,)) for article in articles]
    return [
        Group(found.article_ids, found.reasons, found.score)
        for found in partition(articles, config.window_days, terms=terms, memo=memo, jobs=jobs)
    ]


def runs(articles: Sequence[Article], config: GroupingConfig) -> list[tuple[Article, ...]]:
    """Parts of ``articles`` that ``group`` could group each alone, in (day, id) order.

    Term weights are counted over blocks of days and the blocks either side (see
    ``digest.grouping.blocks``), so the site splits where a whole block passes with no
    article: grouping each run by itself gives the same groups as grouping all.
    """
    ordered = sorted(articles, key=lambda a: (a.day, a.id))
    days = block_days(config.window_days, Params())
    found: list[list[Article]] = []
    for article in ordered:
        block = article.day.toordinal() // days
        if not found or block - found[-1][-1].day.toordinal() // days > 1:
            found.append([])
        found[-1].append(article)
    return [tuple(run) for run in found]
