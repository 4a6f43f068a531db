"""Automatic grouping of unpinned articles into stories.

The hook the build calls for every article without a ``story:`` key. For now every such
article is a story of its own; the grouping of issue 4 replaces the body of ``group``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from digest.config import GroupingConfig
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
    """Partition ``articles`` (none pinned) into groups; every article in exactly one."""
    return [Group((article.id,)) for article in articles]
