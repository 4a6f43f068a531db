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
    members: dict[str, array[int]] = {}
    weights: dict[str, array[float]] = {}
    places: list[list[int]] = []
    for index, vector in enumerate(vectors):
        spots: list[int] = []
        for term, weight in zip(vector.terms, vector.weights, strict=True):
            if term not in members:
                members[term] = array("I")
                weights[term] = array("d")
            spots.append(len(members[term]))
            members[term].append(index)
            weights[term].append(weight)
        places.append(spots)
    on_day = {term: array("I", (days[i] for i in found)) for term, found in members.items()}
    similar: dict[Pair, float] = {}
    for index, vector in enumerate(vectors):
        last_day = days[index] + window
        scores: dict[int, float] = {}
        for term, weight, place in zip(vector.terms, vector.weights, places[index], strict=True):
            found = members[term]
            start = place + 1
            stop = bisect.bisect_right(on_day[term], last_day, lo=start)
            if start == stop or stop - start > crowd:
                continue
            for other, theirs in zip(found[start:stop], weights[term][start:stop], strict=True):
                scores[other] = scores.get(other, 0.0) + weight * theirs
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
