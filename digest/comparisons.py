"""The compare stage: every story's versions compared, on every core, cached by content.

A comparison depends only on its versions (their ids, fingerprints and outlets), so one
found in the build cache under the same key is reused; an unchanged story is never
compared again.
"""

from __future__ import annotations

from collections.abc import Mapping

from digest.cache import BuildCache
from digest.compare import Comparison, compare_story, comparison_key
from digest.model import SiteModel
from digest.parallel import map_chunks

MIN_PARALLEL = 200
"""Comparisons are heavier than files: fewer of them pay for a fork."""


def compare_all(model: SiteModel, jobs: int, cache: BuildCache | None) -> Mapping[str, Comparison]:
    """Story id -> the comparison of its versions."""
    stories = model.stories
    keys = [comparison_key(model.versions(story)) for story in stories]
    cached: dict[str, Comparison] = cache.get_many(keys, "comparisons") if cache else {}
    missing = [(story, key) for story, key in zip(stories, keys, strict=True) if key not in cached]

    def work(start: int, stop: int) -> list[tuple[str, Comparison]]:
        return [(key, compare_story(model.versions(story))) for story, key in missing[start:stop]]

    fresh = dict(map_chunks(work, len(missing), jobs, min_items=MIN_PARALLEL))
    if cache is not None and (fresh or len(cached) != len(set(keys))):
        cache.put_many(fresh.items(), keep=keys, table="comparisons")
    found = {**cached, **fresh}
    return {story.id: found[key] for story, key in zip(stories, keys, strict=True)}
