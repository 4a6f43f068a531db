"""Which articles are alike: an inverted index, blocked by the date window.

No pair of articles is compared unless they share a heavy term and were published within the
window; so the work grows with the number of articles times what each one shares nearby, not
with the square of the number of articles.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

from digest.grouping.features import Vector

Pair = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Neighbourhood:
    """Cosine similarities between nearby articles, and each one's nearest neighbours."""

    similar: dict[Pair, float]
    """(i, j) with i < j -> cosine, for every pair that shares a term within the window."""
    nearest: tuple[tuple[int, ...], ...]
    """For each article, its closest neighbours, most similar first (ties by index)."""


def cosines(
    vectors: Sequence[Vector], days: Sequence[int], window: int, floor: float, crowd: int
) -> dict[Pair, float]:
    """Cosine of every pair within ``window`` days that reaches ``floor``.

    A term that more than ``crowd`` later articles within the window share is skipped from
    the earlier one's side: such a term weighs little, and scanning it would make the work
    grow with the square of the articles per window.

    ``vectors`` and ``days`` are in the same order, sorted by day; the result's keys have
    i < j and values rounded so that they do not depend on the order of summation.
    """
    # Per term: the articles that keep it, their weights and their days, in article order.
    posted: dict[str, tuple[array[int], array[float], array[int]]] = {}
    places: list[array[int]] = []
    for index, vector in enumerate(vectors):
        spots = array("I")
        for term, weight in zip(vector.terms, vector.weights, strict=True):
            entry = posted.get(term)
            if entry is None:
                entry = posted[term] = (array("I"), array("d"), array("I"))
            spots.append(len(entry[0]))
            entry[0].append(index)
            entry[1].append(weight)
            entry[2].append(days[index])
        places.append(spots)
    similar: dict[Pair, float] = {}
    for index, vector in enumerate(vectors):
        last_day = days[index] + window
        scores: dict[int, float] = {}
        for term, weight, place in zip(vector.terms, vector.weights, places[index], strict=True):
            found, theirs, on_day = posted[term]
            start = place + 1
            # Most terms have no later article within the window, or one: no search, no slice.
            if start == len(found) or on_day[start] > last_day:
                continue
            if crowd and (start + 1 == len(found) or on_day[start + 1] > last_day):
                other = found[start]
                scores[other] = scores.get(other, 0.0) + weight * theirs[start]
                continue
            stop = bisect.bisect_right(on_day, last_day, start, min(len(found), start + crowd + 1))
            if stop - start > crowd:
                continue
            for other, their in zip(found[start:stop], theirs[start:stop], strict=True):
                scores[other] = scores.get(other, 0.0) + weight * their
        for other, score in scores.items():
            if score >= floor:
                similar[(index, other)] = round(score, 9)
    return similar


def neighbourhood(
    vectors: Sequence[Vector],
    days: Sequence[int],
    window: int,
    floor: float,
    k: int,
    relative: float,
    crowd: int,
) -> Neighbourhood:
    """Similarities and each article's nearest neighbours within the window.

    A neighbour is one of the ``k`` most similar and at least ``relative`` times as similar
    as the closest one: a story of two then lists its other version and not the twin event's
    articles that are merely alike.
    """
    similar = cosines(vectors, days, window, floor, crowd)
    around: list[list[tuple[float, int]]] = [[] for _ in vectors]
    for (i, j), score in similar.items():
        around[i].append((-score, j))
        around[j].append((-score, i))
    nearest = []
    for found in around:
        found.sort()
        least = -found[0][0] * relative if found else 0.0
        nearest.append(tuple(j for score, j in found[:k] if -score >= least))
    return Neighbourhood(similar, tuple(nearest))
