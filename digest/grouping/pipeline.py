"""The grouping recipe: terms -> vectors -> nearby pairs -> scores -> clusters -> reasons.

The result depends only on the articles' content, ids and days: they are put in (day, id)
order first, so neither the input order nor the hash seed can change it. The work is done in
blocks of days (see ``blocks``) and the clusters are merged per group of strongly joined
articles, each a part a ``GroupMemo`` keeps; only the parts whose keys are new are worked
out, and the result is the same as working out all of them.

On a cold build the per-article terms and the vectors and similarity rows of the blocks are
most of the work; they are split between forked workers (``digest.parallel``) when there
are enough of them to pay for the fork, in whole blocks, so the result is the same.
"""

from __future__ import annotations

import contextlib
import gc
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TypeVar

from digest.grouping import blocks as parts
from digest.grouping.clustering import components, merge, pair_scores, score_of
from digest.grouping.features import Terms, Vector, article_terms, document_counts, encode
from digest.grouping.memo import GroupMemo, Shelf
from digest.grouping.model import Cluster, Params
from digest.grouping.similarity import EMPTY, Row, cosines, nearest
from digest.model import Article
from digest.parallel import MIN_ITEMS, default_jobs, map_chunks

__all__ = ["Cluster", "Params", "partition"]

T = TypeVar("T")

PARALLEL_BLOCKS = 8
"""Fewer blocks to compare than this stay in this process: each worker's share also works
out the vectors of the block after it, which for a few blocks is a large extra share."""
PARALLEL_ARTICLES = 2_000
"""Fewer articles in the blocks to compare than this stay in this process: forking a large
process and sending the rows back costs more than their cosines (a fraction of a ms each)."""

Rows = tuple[Row, ...]
Made = tuple[Rows, dict[int, tuple[Vector, ...]]]
"""One block's rows, and the vectors worked out for them that this block hands back."""


def _reasons(
    members: Sequence[int], names: Sequence[tuple[str, ...]], rows: Sequence[Row]
) -> tuple[tuple[str, ...], float | None]:
    """The names at least half of ``members`` (articles of ``rows``; ``names`` in the same
    order) share, two at least, and their mean pair score."""
    if len(members) < 2:
        return (), None
    total = 0.0
    for n, i in enumerate(members):
        for j in members[n + 1 :]:
            total += score_of(rows, i, j)
    pairs = len(members) * (len(members) - 1) // 2
    score = round(total / pairs, 3)
    named: Counter[str] = Counter()
    spelled: dict[str, str] = {}
    for spelt in names:
        for name in dict.fromkeys(name.casefold() for name in spelt):
            named[name] += 1
        for name in spelt:
            spelled.setdefault(name.casefold(), name)
    need = max(2, (len(members) + 1) // 2)
    common = [name for name, n in named.items() if n >= need]
    shared = sorted(common, key=lambda name: (-named[name], name))[:6]
    reasons = []
    if shared:
        reasons.append("shared names: " + ", ".join(spelled[name] for name in shared))
    reasons.append(f"similarity {score:.2f}")
    return tuple(reasons), score


def _runs(blocks: Sequence[int]) -> list[list[int]]:
    """``blocks`` (sorted) cut into runs of consecutive numbers, each compared in one go."""
    runs: list[list[int]] = []
    for block in blocks:
        if runs and runs[-1][-1] == block - 1:
            runs[-1].append(block)
        else:
            runs.append([block])
    return runs


class _Run:
    """One grouping: the articles in (day, id) order, their blocks and what is worked out."""

    def __init__(
        self,
        ordered: Sequence[Article],
        window_days: int,
        params: Params,
        terms: Mapping[str, Terms],
        memo: GroupMemo,
        jobs: int,
    ) -> None:
        self.ordered = ordered
        self.window = window_days
        self.params = params
        self.given = terms
        self.memo = memo
        self.jobs = jobs
        self.layout = parts.blocks(ordered, parts.block_days(window_days, params))
        self.keys = parts.keys(ordered, self.layout, window_days, params)
        self.days = [a.day.toordinal() for a in ordered]
        self._terms: dict[int, Terms] = {}

    def terms(self, index: int) -> Terms:
        found = self._terms.get(index)
        if found is None:
            article = self.ordered[index]
            found = self.given.get(article.fingerprint) or article_terms(
                article, self.params.weights
            )
            self._terms[index] = found
        return found

    def _prepare_terms(self, blocks: Iterable[int]) -> None:
        """Work out the terms ``blocks``' articles lack in forked workers, if there are many.

        The articles are inherited through the fork, so only the terms travel back; with
        few missing, ``terms`` works each out when it is first asked for.
        """
        lacking = []
        for block in sorted(blocks):
            for index in self.layout.span(block):
                if index not in self._terms:
                    given = self.given.get(self.ordered[index].fingerprint)
                    if given is None:
                        lacking.append(index)
                    else:
                        self._terms[index] = given
        if self.jobs < 2 or len(lacking) < MIN_ITEMS:
            return
        weights = self.params.weights

        def work(start: int, stop: int) -> list[Terms]:
            return [article_terms(self.ordered[i], weights) for i in lacking[start:stop]]

        found = map_chunks(work, len(lacking), self.jobs)
        self._terms.update(zip(lacking, found, strict=True))

    def _block_terms(self, block: int) -> list[Terms]:
        return [self.terms(i) for i in self.layout.span(block)]

    def _document_counts(self, block: int, kept: dict[int, Counter[str]]) -> Counter[str]:
        found = kept.get(block)
        if found is None:
            found = kept[block] = document_counts(self._block_terms(block))
        return found

    @staticmethod
    def _with(blocks: Iterable[int], *sides: Callable[[int], int | None]) -> set[int]:
        """``blocks`` and the blocks beside each on ``sides`` (``layout.before``/``after``)."""
        blocks = list(blocks)
        found = set(blocks)
        for side in sides:
            found.update(b for b in map(side, blocks) if b is not None)
        return found

    def _fetch(
        self, shelf: Shelf[T], keys: Sequence[bytes], wanted: set[int]
    ) -> tuple[dict[int, T], list[int]]:
        """The kept parts of ``wanted`` blocks, and the blocks still to work out, in order."""
        have: dict[int, T] = {}
        missing = []
        for block in sorted(wanted):
            found = shelf.get(keys[block])
            if found is None:
                missing.append(block)
            else:
                have[block] = found
        return have, missing

    def _encode(self, block: int, kept: dict[int, Counter[str]]) -> tuple[Vector, ...]:
        """The vectors of ``block``, weighed by the document counts of it and its neighbours.

        ``kept`` holds the counts of the blocks last encoded: blocks are encoded in order,
        so those before ``block - 1`` are let go (a site's worth of counts is large).
        """
        for done in [b for b in kept if b < block - 1]:
            del kept[done]
        around = [self.layout.before(block), self.layout.after(block)]
        counts = [self._document_counts(block, kept)]
        counts += [self._document_counts(b, kept) for b in around if b is not None]
        total = sum(len(self.layout.span(b)) for b in [block, *around] if b is not None)
        p = self.params
        return encode(self._block_terms(block), counts, total, p.weights, p.keep)

    def _pays(self, blocks: Sequence[int]) -> bool:
        """Whether comparing ``blocks`` in forked workers saves more than it costs."""
        if self.jobs < 2 or len(blocks) < PARALLEL_BLOCKS:
            return False
        return sum(len(self.layout.span(b)) for b in blocks) >= PARALLEL_ARTICLES

    def _compare(
        self,
        blocks: Sequence[int],
        missing: set[int],
        known: Mapping[int, tuple[Vector, ...]],
        todo: set[int],
    ) -> list[Made]:
        """The rows of ``blocks``, a share in order of the blocks whose rows are ``missing``.

        Each block hands back the vectors in ``todo`` it is the one to work out: its own,
        and those of the block after it when that one's rows are not missing; so each is
        handed back once. A share also works out the vectors of the block after its last
        one, to compare with, when the next share is the one to hand them back.
        """
        made: dict[int, tuple[Vector, ...]] = {}
        kept: dict[int, Counter[str]] = {}

        def vectors(block: int) -> tuple[Vector, ...]:
            found = known.get(block)
            if found is None:
                found = made.get(block)
                if found is None:
                    found = made[block] = self._encode(block, kept)
            return found

        p = self.params
        results: list[Made] = []
        for run in _runs(blocks):
            last = self.layout.after(run[-1])
            spanned = [*run, last] if last is not None else run
            first = self.layout.starts[run[0]]
            stop = self.layout.starts[spanned[-1] + 1]
            rows = cosines(
                [v for b in spanned for v in vectors(b)],
                self.days[first:stop],
                self.window,
                p.floor,
                p.crowd,
                range(self.layout.starts[run[-1] + 1] - first),
            )
            for block in run:
                span = self.layout.span(block)
                after = self.layout.after(block)
                mine = [block] if after is None or after in missing else [block, after]
                handed = {b: made[b] for b in mine if b in todo}
                results.append((tuple(rows[span.start - first : span.stop - first]), handed))
        return results

    def pairs(self, wanted: set[int]) -> dict[int, Rows]:
        have, missing = self._fetch(self.memo.pairs, self.keys.pairs, wanted)
        if not missing:
            return have
        # Each block is compared with the block after: their vectors are needed.
        needed = self._with(missing, self.layout.after)
        known, todo = self._fetch(self.memo.vectors, self.keys.vectors, needed)
        self._prepare_terms(self._with(todo, self.layout.before, self.layout.after))
        jobs = self.jobs if self._pays(missing) else 1
        absent, weigh = set(missing), set(todo)

        def work(start: int, stop: int) -> list[Made]:
            return self._compare(missing[start:stop], absent, known, weigh)

        # Shares of whole blocks for the workers; one result per block, in order.
        results = map_chunks(work, len(missing), jobs, min_items=1)
        made: dict[int, tuple[Vector, ...]] = {}
        for _, handed in results:
            made.update(handed)
        for block in todo:
            self.memo.vectors.put(self.keys.vectors[block], made[block])
        for block, (rows, _) in zip(missing, results, strict=True):
            have[block] = rows
            self.memo.pairs.put(self.keys.pairs[block], rows)
        return have

    def _rows_from(self, pairs: Mapping[int, tuple[Row, ...]], block: int) -> tuple[list[Row], int]:
        """The rows of ``block`` with those of the block before, and where ``block``'s start."""
        before = self.layout.before(block)
        rows = list(pairs[before]) if before is not None else []
        return rows + list(pairs[block]), len(rows)

    def neighbours(self, wanted: set[int]) -> dict[int, tuple[tuple[int, ...], ...]]:
        have, missing = self._fetch(self.memo.neighbours, self.keys.neighbours, wanted)
        if not missing:
            return have
        pairs = self.pairs(self._with(missing, self.layout.before))
        p = self.params
        for block in missing:
            rows, first = self._rows_from(pairs, block)
            found = tuple(nearest(rows, first, len(rows) - first, p.k, p.relative))
            have[block] = found
            self.memo.neighbours.put(self.keys.neighbours[block], found)
        return have

    def scores(self) -> dict[int, tuple[Row, ...]]:
        everything = set(range(len(self.layout.numbers)))
        have, missing = self._fetch(self.memo.scores, self.keys.scores, everything)
        if not missing:
            return have
        near = self.neighbours(self._with(missing, self.layout.after))
        pairs = self.pairs(set(missing))
        p = self.params
        for block in missing:
            after = self.layout.after(block)
            listed = [*near[block], *(near[after] if after is not None else ())]
            rows = list(pairs[block]) + [EMPTY] * (len(listed) - len(pairs[block]))
            found = tuple(pair_scores(rows, listed, 0, p.k, p.blend)[: len(pairs[block])])
            have[block] = found
            self.memo.scores.put(self.keys.scores[block], found)
        return have

    def clusters(self) -> list[Cluster]:
        """Every article in exactly one cluster, in order of their first articles."""
        kept = self.scores()
        rows = [row for block in range(len(self.layout.numbers)) for row in kept[block]]
        ids = [a.id for a in self.ordered]
        found: list[tuple[int, Cluster]] = []
        alone = set(range(len(ids)))
        keys = []
        for members in components(rows, self.params.threshold):
            alone.difference_update(members)
            member_ids = [ids[i] for i in members]
            key = parts.story_key(self.keys, self.layout, members, member_ids)
            keys.append(key)
            stories = self.memo.stories.get(key)
            if stories is None:
                stories = self._merge(rows, members)
                self.memo.stories.put(key, stories)
            place = {ids[i]: i for i in members}
            found += [(place[story.article_ids[0]], story) for story in stories]
        self.memo.stories.keep(keys)
        found += [(i, Cluster((ids[i],), (), None)) for i in alone]
        found.sort(key=lambda pair: pair[0])
        return [cluster for _, cluster in found]

    def _merge(self, rows: Sequence[Row], members: Sequence[int]) -> tuple[Cluster, ...]:
        stories = []
        days = [self.ordered[i].day.toordinal() for i in members]
        for cluster in merge(rows, members, self.params.threshold, days, self.window):
            found = [members[n] for n in cluster]
            names = [self.terms(i).spelled for i in found]
            reasons, score = _reasons(found, names, rows)
            ids = tuple(self.ordered[i].id for i in found)
            stories.append(Cluster(ids, reasons, score))
        return tuple(stories)

    def keep(self) -> None:
        """Keep every part this grouping holds, used or not, for the next one."""
        self.memo.vectors.keep(self.keys.vectors)
        self.memo.pairs.keep(self.keys.pairs)
        self.memo.neighbours.keep(self.keys.neighbours)
        self.memo.scores.keep(self.keys.scores)


def partition(
    articles: Sequence[Article],
    window_days: int,
    params: Params | None = None,
    terms: Mapping[str, Terms] | None = None,
    memo: GroupMemo | None = None,
    *,
    jobs: int | None = None,
) -> list[Cluster]:
    """Every article in exactly one cluster; pairs further apart than the window never join.

    ``terms`` maps ``Article.fingerprint`` to ``terms_from`` of that article, worked out
    ahead (with the default weights); what it lacks is worked out here, and only for the
    parts ``memo`` does not hold. ``jobs`` (default: the cores this process may use) caps
    the processes the work is split between when there is enough of it; the result is the
    same with any number.
    """
    params = params or Params()
    memo = memo if memo is not None else GroupMemo()
    ordered = sorted(articles, key=lambda a: (a.day, a.id))
    memo.start()
    with _no_cycle_collector():
        run = _Run(ordered, window_days, params, terms or {}, memo, jobs or default_jobs())
        clusters = run.clusters()
        run.keep()
    memo.finish()
    return clusters


@contextlib.contextmanager
def _no_cycle_collector() -> Iterator[None]:
    """Pause Python's cycle collector while grouping, then put it back as it was.

    The grouping makes millions of small tuples and dicts and no reference cycles; with a
    large site in memory each collection would walk all of it again to free nothing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
