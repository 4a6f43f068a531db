"""The compare stage: every story's versions compared, on every core, cached by content.

A comparison depends only on its versions (their ids, fingerprints and outlets), so one
found in the build cache under the same key is reused, and it is only unpickled when a
page that shows it is rendered: an unchanged story is never compared again, and its
comparison is only read where a page that shows it is rendered again.
"""

from __future__ import annotations

import pickle
from collections.abc import Mapping, Sequence

from digest import urls
from digest.cache import BuildCache, CacheReader
from digest.compare import Comparison, compare_story, comparison_json, comparison_key
from digest.exports import dump_json
from digest.model import Article, SiteModel
from digest.output import FileStager, Staged
from digest.parallel import map_chunks

MIN_PARALLEL = 200
"""Comparisons are heavier than files: fewer of them pay for a fork."""


class LazyComparison:
    """A story's comparison, known by its key, unpickled on first use from its bytes, or
    from the build cache when they are not held (a one-off build lets them go); compared
    again from its versions if the bytes are lost or damaged.

    Pages carry it; ``render_page`` hands templates the Comparison itself.
    """

    __slots__ = ("_data", "_reader", "_value", "_versions", "key", "story")

    def __init__(
        self,
        key: str,
        data: bytes | None,
        story: str,
        versions: Sequence[Article],
        reader: CacheReader | None = None,
    ) -> None:
        self.key = key
        self._data = data
        self.story = story
        """The id of the story it compares."""
        self._versions = versions
        self._reader = reader
        self._value: Comparison | None = None

    @property
    def loaded(self) -> bool:
        """Whether it is unpickled now."""
        return self._value is not None

    def get(self) -> Comparison:
        if self._value is None:
            data = self._data
            if data is None and self._reader is not None:
                data = self._reader.get_raw(self.key, "comparisons")
            try:
                self._value = pickle.loads(data) if data is not None else None
            except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
                self._value = None  # damaged or written by other code: a miss
            if self._value is None:
                self._value = compare_story(self._versions)
        return self._value

    def forget(self) -> None:
        """Let the unpickled comparison go (it is loaded again if asked for)."""
        self._value = None


def compare_all(
    model: SiteModel,
    jobs: int,
    cache: BuildCache | None,
    remembered: dict[str, bytes] | None = None,
    *,
    hold: bool = True,
) -> Mapping[str, LazyComparison]:
    """Story id -> the comparison of its versions; only new ones are computed.

    ``remembered`` holds the pickled comparisons of the last build by the same Builder:
    they are not read from the cache again, and it is left holding this build's. Without
    ``hold``, comparisons that are safely in the cache are not kept in memory: each is read
    back when a page needs it (a one-off build; at 10,000 articles, 50-70 MiB less at the
    peak).
    """
    stories = model.stories
    versions = [model.versions(story) for story in stories]
    keys = [comparison_key(these) for these in versions]
    known = remembered if remembered is not None else {}
    stored = {key: known[key] for key in keys if key in known}
    if cache and len(stored) < len(keys):
        stored |= cache.get_raw([key for key in keys if key not in stored], "comparisons")
    missing = [(these, key) for these, key in zip(versions, keys, strict=True) if key not in stored]

    def work(start: int, stop: int) -> list[tuple[str, bytes]]:
        return [
            (key, pickle.dumps(compare_story(these), protocol=5))
            for these, key in missing[start:stop]
        ]

    fresh = dict(map_chunks(work, len(missing), jobs, min_items=MIN_PARALLEL))
    saved = False
    if cache is not None:
        changed = bool(fresh) or len(stored) != len(set(keys))
        saved = cache.put_raw(fresh.items(), keep=keys, table="comparisons") if changed else True
    found = {**stored, **fresh}
    if remembered is not None:
        remembered.clear()
        remembered.update(found)
    reader = cache.reader() if cache is not None and saved and not hold else None
    return {
        story.id: LazyComparison(key, None if reader else found[key], story.id, these, reader)
        for story, these, key in zip(stories, versions, keys, strict=True)
    }


def compare_json_path(story_id: str) -> str:
    """Where a story's compare.json is in the output."""
    return f"{urls.story(story_id)}compare.json"


def compare_json_file(lazy: LazyComparison, stager: FileStager) -> Staged:
    """A story's compare.json; one whose comparison is unchanged is not even serialised.

    A comparison it had to load is let go again (``digest serve`` keeps the last build's).
    """
    path, key = compare_json_path(lazy.story), "compare.json " + lazy.key
    reused = stager.reuse(path, key)
    if reused is not None:
        return reused
    was_loaded = lazy.loaded
    staged = stager.stage(path, dump_json(comparison_json(lazy.get())), key)
    if not was_loaded:
        lazy.forget()
    return staged


def stage_compare_json(
    comparisons: Mapping[str, LazyComparison],
    stager: FileStager,
    jobs: int,
    done: frozenset[str] = frozenset(),
) -> list[Staged]:
    """Each story's compare.json but those in ``done`` (output paths staged already)."""
    items: Sequence[tuple[str, LazyComparison]] = sorted(
        (story_id, lazy)
        for story_id, lazy in comparisons.items()
        if compare_json_path(story_id) not in done
    )

    def work(start: int, stop: int) -> list[Staged]:
        return [compare_json_file(lazy, stager) for _, lazy in items[start:stop]]

    return map_chunks(work, len(items), jobs)
