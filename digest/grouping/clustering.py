"""From pair scores to stories: shared-neighbour scoring and average-link merging.

Twin events share words, so raw similarity joins them; but an article's closest neighbours
are almost all from its own event. A pair's score therefore blends its cosine with how much
their neighbour lists overlap. Clusters merge, strongest pair first, only while the average
score between them stays above the threshold (a missing pair counts as 0), so one strong
pair cannot chain two events together.
"""

from __future__ import annotations

from collections.abc import Sequence

from digest.grouping.similarity import Neighbourhood, Pair


def pair_scores(near: Neighbourhood, k: int, blend: float) -> dict[Pair, float]:
    """Blend of cosine and shared-nearest-neighbour overlap for every similar pair.

    The overlap counts third articles both list among their ``k`` nearest, so two articles
    alike only to each other (a quiet week, a small site) must pass on their cosine alone.
    """
    lists = [frozenset(found) for found in near.nearest]
    scores: dict[Pair, float] = {}
    for (i, j), cosine in near.similar.items():
        shared = len(lists[i] & lists[j]) / k
        scores[(i, j)] = round(blend * cosine + (1.0 - blend) * shared, 9)
    return scores


def merge(count: int, scores: dict[Pair, float], threshold: float) -> list[list[int]]:
    """Average-link clusters of ``count`` items over sparse ``scores``; deterministic.

    Pairs are visited strongest first (ties by index); two clusters merge when the mean
    score over all their cross pairs reaches ``threshold``.
    """
    cluster_of = list(range(count))
    members: dict[int, list[int]] = {i: [i] for i in range(count)}
    links: dict[int, dict[int, float]] = {i: {} for i in range(count)}
    for (i, j), score in scores.items():
        links[i][j] = score
        links[j][i] = score
    for (i, j), score in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0])):
        if score < threshold:
            break
        a, b = cluster_of[i], cluster_of[j]
        if a == b:
            continue
        if _average(members[a], members[b], links) < threshold:
            continue
        if len(members[a]) < len(members[b]):
            a, b = b, a
        for item in members[b]:
            cluster_of[item] = a
        members[a].extend(members.pop(b))
    return sorted(sorted(found) for found in members.values())


def _average(
    left: Sequence[int], right: Sequence[int], links: dict[int, dict[int, float]]
) -> float:
    total = 0.0
    for item in left:
        near = links[item]
        for other in right:
            total += near.get(other, 0.0)
    return total / (len(left) * len(right))
