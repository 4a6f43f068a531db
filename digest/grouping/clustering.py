"""From pair scores to stories: shared-neighbour scoring and average-link merging.

Twin events share words, so raw similarity joins them; but an article's closest neighbours
are almost all from its own event. A pair's score therefore blends its cosine with how much
their neighbour lists overlap. Clusters merge, strongest pair first, only while the average
score between them stays above the threshold (a missing pair counts as 0), so one strong
pair cannot chain two events together; nor may a cluster's versions lie further apart than
the window, which a busy place's run of events, each close to the next, would otherwise do.

Two articles can only end in one cluster if a chain of pairs at or above the threshold joins
them, and the merging of one such connected component never looks at another's pairs; so
each component is merged on its own, with the same result as merging all at once.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence

from digest.grouping.similarity import Row


def pair_scores(
    rows: Sequence[Row], near: Sequence[tuple[int, ...]], first: int, k: int, blend: float
) -> list[Row]:
    """Blend of cosine and shared-nearest-neighbour overlap, for the pairs of each row.

    ``near`` holds the neighbours (as offsets) of every article of ``rows`` and of every one
    a row reaches; the rows scored are ``rows[first:]``. The overlap counts third articles
    both list among their ``k`` nearest, so two articles alike only to each other (a quiet
    week, a small site) must pass on their cosine alone.
    """
    lists: dict[int, frozenset[int]] = {}

    def listed(index: int) -> frozenset[int]:
        found = lists.get(index)
        if found is None:
            found = lists[index] = frozenset(index + offset for offset in near[index])
        return found

    scored: list[Row] = []
    for index in range(first, len(rows)):
        mine = listed(index)
        row = rows[index]
        # The same offsets as the cosines' row: the array is shared, not copied.
        values = array(
            "d",
            [
                round(blend * cosine + (1.0 - blend) * len(mine & listed(index + offset)) / k, 9)
                for offset, cosine in row.items()
            ],
        )
        scored.append(Row(row.offsets, values))
    return scored


def components(rows: Sequence[Row], threshold: float) -> list[list[int]]:
    """Articles joined by chains of pairs at or above ``threshold``, two or more each, in
    order of their first article; each list sorted."""
    parent = list(range(len(rows)))

    def root(item: int) -> int:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for index, row in enumerate(rows):
        for offset, score in row.items():
            if score >= threshold:
                a, b = root(index), root(index + offset)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    found: dict[int, list[int]] = {}
    for index in range(len(rows)):
        found.setdefault(root(index), []).append(index)
    return [members for members in found.values() if len(members) > 1]


def score_of(rows: Sequence[Row], a: int, b: int) -> float:
    """The score of articles ``a`` and ``b`` (either order) in ``rows``; 0 for no pair."""
    if a < b:
        return rows[a].get(b - a, 0.0)
    return rows[b].get(a - b, 0.0)


def merge(
    rows: Sequence[Row],
    members: Sequence[int],
    threshold: float,
    days: Sequence[int] | None = None,
    window: int | None = None,
) -> list[list[int]]:
    """Average-link clusters of ``members`` (sorted articles of ``rows``); deterministic.

    Returns each cluster as sorted places in ``members``. Pairs are visited strongest
    first (ties by place); two clusters merge when the mean score over all their cross
    pairs reaches ``threshold`` and, given each member's day number in ``days``, the
    merged cluster's first and last days are at most ``window`` apart: versions of one
    event are published within the window of each other, and without that bound a busy
    place chains a week of different events into one story, one close pair at a time.

    A busy site is one component of millions of pairs, so the pairs are not copied: each
    one that can start a merge is one integer (score, then places, so that sorting the
    integers sorts the pairs), and scores are looked up in ``rows``.
    """
    count = len(members)
    place = {item: n for n, item in enumerate(members)}
    shift = max(1, count.bit_length())
    candidates = []
    for n, item in enumerate(members):
        for offset, score in rows[item].items():
            if score >= threshold:
                other = place.get(item + offset)
                if other is not None:
                    rank = -round(score * _SCALE)  # the strongest first
                    candidates.append((((rank << shift) | n) << shift) | other)
    del place
    candidates.sort()
    mask = (1 << shift) - 1
    cluster_of = list(range(count))
    clusters: dict[int, list[int]] = {i: [i] for i in range(count)}
    limit = window if days is not None else None
    spans = {i: (day, day) for i, day in enumerate(days)} if days is not None else {}
    span = (0, 0)
    for key in candidates:
        a, b = cluster_of[(key >> shift) & mask], cluster_of[key & mask]
        if a == b:
            continue
        if limit is not None:
            span = (min(spans[a][0], spans[b][0]), max(spans[a][1], spans[b][1]))
            if span[1] - span[0] > limit:
                continue
        if _average(clusters[a], clusters[b], members, rows) < threshold:
            continue
        if len(clusters[a]) < len(clusters[b]):
            a, b = b, a
        for item in clusters[b]:
            cluster_of[item] = a
        clusters[a].extend(clusters.pop(b))
        if limit is not None:
            spans[a] = span
            del spans[b]
    return sorted(sorted(found) for found in clusters.values())


_SCALE = 1_000_000_000
"""Scores are rounded to 9 decimals (``pair_scores``), so this makes them exact integers."""


def _average(
    left: Sequence[int], right: Sequence[int], members: Sequence[int], rows: Sequence[Row]
) -> float:
    """The mean score between two clusters (places in ``members``); ``score_of`` written
    out, as this runs for every cross pair of every merge tried."""
    total = 0.0
    for n in left:
        item = members[n]
        row = rows[item]
        for m in right:
            other = members[m]
            if other > item:
                total += row.get(other - item, 0.0)
            else:
                total += rows[other].get(item - other, 0.0)
    return total / (len(left) * len(right))
