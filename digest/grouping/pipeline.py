"""The grouping recipe: terms -> vectors -> nearby pairs -> scores -> clusters -> reasons.

The result depends only on the articles' content, ids and days: they are put in (day, id)
order first, so neither the input order nor the hash seed can change it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from digest.grouping.clustering import merge, pair_scores
from digest.grouping.features import Weights, encode
from digest.grouping.similarity import Pair, neighbourhood
from digest.model import Article


@dataclass(frozen=True, slots=True)
class Params:
    """The grouping's tuned settings (tuned on ECB+ topics 1-25; see bench/)."""

    weights: Weights = field(default_factory=Weights)
    """How names, numbers and headline words count."""
    keep: int = 60
    """Heaviest terms kept per article for the index."""
    crowd: int = 100
    """A term shared with more later articles than this within the window is not scanned:
    it says little, and scanning it would compare every article with every other nearby."""
    floor: float = 0.05
    """Pairs less similar than this are not looked at."""
    k: int = 3
    """Neighbours per article for shared-neighbour scoring, at most."""
    relative: float = 0.0
    """A neighbour is at least this share as similar as an article's closest one."""
    blend: float = 0.6
    """Weight of the cosine against the shared-neighbour overlap in a pair's score."""
    threshold: float = 0.14
    """Mean pair score two clusters need to merge."""


@dataclass(frozen=True, slots=True)
class Cluster:
    """One story the grouping found."""

    article_ids: tuple[str, ...]
    """Its versions, in (day, id) order."""
    reasons: tuple[str, ...]
    """Why, for editors: the names they share and the score."""
    score: float | None
    """Mean pair score inside the cluster; None for a story of one."""


def _reasons(
    members: Sequence[int], names: Sequence[tuple[str, ...]], scores: dict[Pair, float]
) -> tuple[tuple[str, ...], float | None]:
    """The names at least half the versions share (two at least), and the mean pair score."""
    if len(members) < 2:
        return (), None
    total = 0.0
    for n, i in enumerate(members):
        for j in members[n + 1 :]:
            total += scores.get((i, j), 0.0)
    pairs = len(members) * (len(members) - 1) // 2
    score = round(total / pairs, 3)
    named: Counter[str] = Counter()
    spelled: dict[str, str] = {}
    for i in members:
        for name in dict.fromkeys(name.casefold() for name in names[i]):
            named[name] += 1
        for name in names[i]:
            spelled.setdefault(name.casefold(), name)
    need = max(2, (len(members) + 1) // 2)
    common = [name for name, n in named.items() if n >= need]
    shared = sorted(common, key=lambda name: (-named[name], name))[:6]
    reasons = []
    if shared:
        reasons.append("shared names: " + ", ".join(spelled[name] for name in shared))
    reasons.append(f"similarity {score:.2f}")
    return tuple(reasons), score


def partition(
    articles: Sequence[Article], window_days: int, params: Params | None = None
) -> list[Cluster]:
    """Every article in exactly one cluster; pairs further apart than the window never join."""
    params = params or Params()
    ordered = sorted(articles, key=lambda a: (a.day, a.id))
    if not ordered:
        return []
    first = ordered[0].day
    days = [(a.day - first).days for a in ordered]
    encoded = encode(ordered, params.weights, params.keep)
    near = neighbourhood(
        encoded.vectors, days, window_days, params.floor, params.k, params.relative, params.crowd
    )
    scores = pair_scores(near, params.k, params.blend)
    clusters = []
    for members in merge(len(ordered), scores, params.threshold):
        reasons, score = _reasons(members, encoded.names, scores)
        ids = tuple(ordered[i].id for i in members)
        clusters.append(Cluster(ids, reasons, score))
    return clusters
