"""Which articles are alike: an inverted index, blocked by the date window.

No pair of articles is compared unless they share a heavy term and were published within the
window; so the work grows with the number of articles times what each one shares nearby, not
with the square of the number of articles.

Pairs are kept as rows: for each article, the later articles it is alike to, by how many
places later they come in (day, id) order. A row does not change when articles are added or
removed elsewhere, so rows computed for one part of the site can be kept and reused.
"""

from __future__ import annotations

import bisect
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from digest.grouping.features import Vector


class Row(NamedTuple):
    """One article's pairs with later articles: offsets (1 = the next article), ascending,
    and their scores.

    Two flat arrays rather than a dict: a busy site has millions of pairs, and a dict entry
    with its float object costs about five times as much as the 12 bytes here.
    """

    offsets: array[int]
    """Ascending."""
    scores: array[float]
    """The score of each offset, in the same order."""

    @classmethod
    def of(cls, pairs: Iterable[tuple[int, float]]) -> Row:
        """A row of (offset, score) pairs in any order, offsets distinct."""
        ordered = sorted(pairs)
        return cls(array("I", [o for o, _ in ordered]), array("d", [s for _, s in ordered]))

    def items(self) -> Iterator[tuple[int, float]]:
        """(offset, score) pairs, nearest first."""
        return zip(self.offsets, self.scores, strict=True)

    def get(self, offset: int, default: float = 0.0) -> float:
        """The score of the article ``offset`` places later, or ``default``."""
        at = bisect.bisect_left(self.offsets, offset)
        if at < len(self.offsets) and self.offsets[at] == offset:
            return self.scores[at]
        return default


EMPTY = Row(array("I"), array("d"))
"""A row of no pairs (never changed: rows are only read)."""


def cosines(
    vectors: Sequence[Vector],
    days: Sequence[int],
    window: int,
    floor: float,
    crowd: int,
    emit: range,
) -> list[Row]:
    """The row of each article in ``emit``: cosines with later ones within ``window`` days.

    A term that more than ``crowd`` later articles within the window share is skipped from
    the earlier one's side: such a term weighs little, and scanning it would make the work
    grow with the square of the articles per window.

    ``vectors`` and ``days`` are in the same order, sorted by day, and must hold every
    article within the window after those in ``emit`` (a range with step 1); values are
    rounded so that they do not depend on the order of summation.
    """
    # One pass from the last article back, so that each term's list holds the later
    # articles only: no second pass, no places to keep. They are kept as negated indices,
    # so that a list is ascending (for bisect) and its nearest articles are at its end.
    posted: dict[str, tuple[list[int], array[float]]] = {}
    rows: list[Row] = []
    for index in reversed(range(emit.start, len(vectors))):
        vector = vectors[index]
        place = -index
        if index not in emit:
            for term, weight in zip(vector.terms, vector.weights, strict=True):
                entry = posted.get(term)
                if entry is None:
                    posted[term] = ([place], array("d", (weight,)))
                else:
                    entry[0].append(place)
                    entry[1].append(weight)
            continue
        # Later articles within the window are those past -least in a list.
        least = -bisect.bisect_right(days, days[index] + window, index)
        # By negated index, in the order each pair is first met; each pair's terms are
        # summed in this article's order of terms, as before.
        scores: defaultdict[int, float] = defaultdict(float)
        for term, weight in zip(vector.terms, vector.weights, strict=True):
            entry = posted.get(term)
            if entry is None:
                posted[term] = ([place], array("d", (weight,)))
                continue
            found, theirs = entry
            # Most terms have no later article within the window, or one: no search.
            if found[-1] > least:
                end = len(found)
                if end == 1 or found[-2] <= least:
                    if crowd:
                        scores[found[-1]] += weight * theirs[-1]
                else:
                    start = bisect.bisect_right(found, least, max(0, end - crowd - 1), end)
                    if end - start <= crowd:
                        for at in range(end - 1, start - 1, -1):
                            scores[found[at]] += weight * theirs[at]
            found.append(place)
            theirs.append(weight)
        rows.append(
            Row.of(
                (place - other, round(score, 9))
                for other, score in scores.items()
                if score >= floor
            )
        )
    rows.reverse()
    return rows


def nearest(
    rows: Sequence[Row], first: int, count: int, k: int, relative: float
) -> list[tuple[int, ...]]:
    """The closest neighbours of articles ``first`` .. ``first + count - 1``, as offsets.

    ``rows`` are those of every article up to the last of them, from one at least ``window``
    days before the first (earlier rows give the pairs looking back). A neighbour is one of
    the ``k`` most similar and at least ``relative`` times as similar as the closest one: a
    story of two then lists its other version and not the twin event's articles that are
    merely alike. Ties go to the earlier article.
    """
    around: list[list[tuple[float, int]]] = [[] for _ in range(count)]
    stop = first + count
    for index, row in enumerate(rows[:stop]):
        mine = index - first
        for offset, score in row.items():
            other = index + offset
            if first <= other < stop:
                around[other - first].append((-score, -offset))
            if mine >= 0:
                around[mine].append((-score, offset))
    found = []
    for near in around:
        near.sort()
        least = -near[0][0] * relative if near else 0.0
        found.append(tuple(offset for score, offset in near[:k] if -score >= least))
    return found
