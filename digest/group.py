"""Automatic grouping of unpinned articles into stories.

The hook the build calls for every article without a ``story:`` key; the work is done in
``digest.grouping`` (names, numbers and TF-IDF, shared-neighbour scoring, average link).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from digest.config import GroupingConfig
from digest.grouping.pipeline import partition
from digest.model import Article


@dataclass(frozen=True, slots=True)
class Group:
    """Articles the grouping found to be versions of one event."""

    article_ids: tuple[str, ...]
    """The versions, in any order."""
    reasons: tuple[str, ...] = ()
    """Why they were grouped, in words."""
    score: float | None = None
    """How sure the grouping is, 0..1."""


def group(articles: Sequence[Article], config: GroupingConfig) -> list[Group]:
    """Partition ``articles`` (none pinned) into groups; every article in exactly one.

    Two articles whose days differ by more than ``config.window_days`` are never joined
    directly. The result does not depend on the order of ``articles``.
    """
    if not config.enabled:
        return [Group((article.id,)) for article in articles]
    return [
        Group(found.article_ids, found.reasons, found.score)
        for found in partition(articles, config.window_days)
    ]
