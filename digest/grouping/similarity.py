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
from collections.abc import Sequence

from digest.grouping.features import Vector

Row = dict[int, float]
"""Offset of a later article (1 = the next one) -> similarity."""


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
    article within the window after those in ``emit``; values are rounded so that they do
    not depend on the order of summation.
    """
    # Per term: the articles that keep it and their weights, in article order. Articles are
    # sorted by day, so "within the window" is "before the first index past it".
    posted: dict[str, tuple[array[int], array[float]]] = {}
    places: list[array[int]] = []
    for index, vector in enumerate(vectors):
        spots = array("I")
        for term, weight in zip(vector.terms, vector.weights, strict=True):
            entry = posted.get(term)
            if entry is None:
                entry = posted[term] = (array("I"), array("d"))
            found = entry[0]
            spots.append(len(found))
            found.append(index)
            entry[1].append(weight)
        places.append(spots)
    rows: list[Row] = []
    for index in emit:
        vector = vectors[index]
        limit = bisect.bisect_right(days, days[index] + window, index)
        scores: dict[int, float] = {}
        for term, weight, place in zip(vector.terms, vector.weights, places[index], strict=True):
            found, theirs = posted[term]
            start = place + 1
            # Most terms have no later article within the window, or one: no search, no slice.
            if start == len(found) or found[start] >= limit:
                continue
            if crowd and (start + 1 == len(found) or found[start + 1] >= limit):
                other = found[start]
                scores[other] = scores.get(other, 0.0) + weight * theirs[start]
                continue
            stop = bisect.bisect_left(found, limit, start, min(len(found), start + crowd + 1))
            if stop - start > crowd:
                continue
            for other, their in zip(found[start:stop], theirs[start:stop], strict=True):
                scores[other] = scores.get(other, 0.0) + weight * their
        rows.append(
            {other - index: round(score, 9) for other, score in scores.items() if score >= floor}
        )
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
