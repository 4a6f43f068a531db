"""The grouping recipe: terms -> vectors -> nearby pairs -> scores -> clusters -> reasons.

The result depends only on the articles' content, ids and days: they are put in (day, id)
order first, so neither the input order nor the hash seed can change it. Where two
consecutive days are further apart than the window, nothing can join across the gap: each
run between such gaps is grouped on its own, with term weights from that run alone.
"""

from __future__ import annotations

import contextlib
import gc
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from digest.grouping.clustering import merge, pair_scores
from digest.grouping.features import Terms, Weights, article_terms, encode
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


def spans(days: Sequence[int], window_days: int) -> list[range]:
    """Runs of sorted ``days`` with no gap wider than the window: nothing joins across one.

    Each run is grouped on its own, with its own term weights, so an edit regroups only the
    run it falls in, and the work of one run does not grow with the rest of the site.
    """
    if not days:
        return []
    cuts = [n for n in range(1, len(days)) if days[n] - days[n - 1] > window_days]
    return [range(a, b) for a, b in zip([0, *cuts], [*cuts, len(days)], strict=True)]


def _group_span(
    ordered: Sequence[Article], found: Sequence[Terms], window_days: int, params: Params
) -> list[Cluster]:
    """The clusters of one run of articles in (day, id) order."""
    first = ordered[0].day
    days = [(a.day - first).days for a in ordered]
    encoded = encode(found, params.weights, params.keep)
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


def partition(
    articles: Sequence[Article],
    window_days: int,
    params: Params | None = None,
    terms: Mapping[str, Terms] | None = None,
) -> list[Cluster]:
    """Every article in exactly one cluster; pairs further apart than the window never join.

    ``terms`` maps ``Article.fingerprint`` to ``terms_from`` of that article, worked out
    ahead (with the default weights); what it lacks is worked out here.
    """
    params = params or Params()
    terms = terms or {}
    ordered = sorted(articles, key=lambda a: (a.day, a.id))
    clusters: list[Cluster] = []
    with _no_cycle_collector():
        found = [terms.get(a.fingerprint) or article_terms(a, params.weights) for a in ordered]
        days = [(a.day - ordered[0].day).days for a in ordered]
        for span in spans(days, window_days):
            part = ordered[span.start : span.stop]
            clusters += _group_span(part, found[span.start : span.stop], window_days, params)
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
