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
from digest.bodies import forget_loaded
from digest.cache import BuildCache, SharedCache
from digest.compare import Comparison, compare_story, comparison_key, comparison_text
from digest.model import Article, SiteModel
from digest.output import FileStager, Staged
from digest.parallel import map_chunks
from digest.unpickling import unpickle

MIN_PARALLEL = 200
"""Comparisons are heavier than files: fewer of them pay for a fork."""
TABLE = "comparisons"
"""The build cache's table of pickled comparisons, by comparison key."""


class LazyComparison:
    """A story's comparison, known by its key, unpickled on first use from its bytes, or
    read from the build cache when they are not held (in a one-off build, the process that
    compares a story stores it there); compared again from its versions if the bytes are
    lost or damaged.

    Pages carry it; ``render_page`` hands templates the Comparison itself.
    """

    __slots__ = ("_cache", "_data", "_value", "_versions", "key", "story")

    def __init__(
        self,
        key: str,
        data: bytes | None,
        story: str,
        versions: Sequence[Article],
        cache: SharedCache | None = None,
    ) -> None:
        self.key = key
        self._data = data
        self.story = story
        """The id of the story it compares."""
        self._versions = versions
        self._cache = cache
        self._value: Comparison | None = None

    @property
    def loaded(self) -> bool:
        """Whether it is unpickled now."""
        return self._value is not None

    def get(self) -> Comparison:
        if self._value is None:
            data = self._data
            if data is None and self._cache is not None:
                data = self._cache.get_raw(self.key, TABLE)
            found = unpickle(data)
            if not isinstance(found, Comparison):
                found = compare_story(self._versions)
                forget_loaded()  # the versions' bodies, read back to compare them
            self._value = found
        return self._value

    def forget(self) -> None:
        """Let the unpickled comparison go (it is loaded again if asked for)."""
        self._value = None


def compare_all(
    model: SiteModel,
    jobs: int,
    cache: BuildCache | None,
    remembered: dict[str, bytes] | None = None,
) -> Mapping[str, LazyComparison]:
    """Story id -> the comparison of its versions; only new ones are computed.

    ``remembered`` holds the pickled comparisons of the last build by the same Builder:
    they are not read from the cache again, and it is left holding this build's. Without
    it (a one-off build), no comparison that could be stored is held: each process stores
    those it makes in the cache, and each is read back when a page needs it (at 10,000
    articles, the peak is 100-150 MiB lower).
    """
    stories = model.stories
    versions = [model.versions(story) for story in stories]
    keys = [comparison_key(these) for these in versions]
    shared = cache.shared() if cache is not None and remembered is None else None
    known = remembered if remembered is not None else {}
    found: dict[str, bytes | None] = {key: known[key] for key in keys if key in known}
    if cache is not None and len(found) < len(keys):
        unknown = [key for key in keys if key not in found]
        if shared is None:
            found |= cache.get_raw(unknown, TABLE)
        else:
            found |= dict.fromkeys(cache.present(unknown, TABLE))
    missing = [(these, key) for these, key in zip(versions, keys, strict=True) if key not in found]

    def work(start: int, stop: int) -> list[tuple[str, bytes | None]]:
        done = []
        for these, key in missing[start:stop]:
            done.append((key, pickle.dumps(compare_story(these), protocol=5)))
            forget_loaded()  # the versions' bodies, if they were read back for this story
        stored = shared is not None and shared.put_raw(done, TABLE)
        return [(key, None if stored else data) for key, data in done]  # stored: read back

    fresh = dict(map_chunks(work, len(missing), jobs, min_items=MIN_PARALLEL))
    if cache is not None and (fresh or len(found) != len(set(keys))):
        unstored = [(key, data) for key, data in fresh.items() if data is not None]
        cache.put_raw(unstored, keep=keys, table=TABLE)  # if it fails, they are held
    found |= fresh
    if remembered is not None:
        remembered.clear()
        remembered.update((key, data) for key, data in found.items() if data is not None)
    return {
        story.id: LazyComparison(key, found[key], story.id, these, shared)
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
    staged = stager.stage(path, (comparison_text(lazy.get()) + "\n").encode(), key)
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
