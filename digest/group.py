"""Automatic grouping of unpinned articles into stories.

The hook the build calls for every article without a ``story:`` key; the work is done in
``digest.grouping`` (names, numbers and TF-IDF, shared-neighbour scoring, average link).
``terms_from`` is the per-article part, for the build to run where it reads each file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from digest.config import GroupingConfig
from digest.grouping.features import Terms, terms_from
from digest.grouping.pipeline import partition, spans
from digest.model import Article

__all__ = ["Group", "Terms", "group", "runs", "terms_from"]


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
) -> list[Group]:
    """Partition ``articles`` (none pinned) into groups; every article in exactly one.

    Two articles whose days differ by more than ``config.window_days`` are never joined
    directly. The result does not depend on the order of ``articles``. ``terms`` maps an
    ``Article.fingerprint`` to ``terms_from`` of that article, worked out where its file was
    read; what it lacks is worked out here, with the same result.
    """
    if not config.enabled:
        return [Group((article.id,)) for article in articles]
    return [
        Group(found.article_ids, found.reasons, found.score)
        for found in partition(articles, config.window_days, terms=terms)
    ]


def runs(articles: Sequence[Article], config: GroupingConfig) -> list[tuple[Article, ...]]:
    """The parts ``group`` works on each alone, in (day, id) order: runs of days with no gap
    wider than the window. Grouping each run by itself gives the same groups as grouping
    all, so a build may keep each run's groups, keyed by its articles' ids, days and
    fingerprints, and regroup only the runs an edit touches.
    """
    ordered = sorted(articles, key=lambda a: (a.day, a.id))
    days = [(a.day - ordered[0].day).days for a in ordered]
    return [tuple(ordered[span.start : span.stop]) for span in spans(days, config.window_days)]
