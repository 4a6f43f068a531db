"""The grouping's settings and what it finds."""

from __future__ import annotations

from dataclasses import dataclass, field

from digest.grouping.features import Weights


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
    block_days: int = 7
    """Days per block, at least (never fewer than the window): term weights are counted
    over an article's block and the blocks either side, and each block's work is one part
    of the memo."""


@dataclass(frozen=True, slots=True)
class Cluster:
    """One story the grouping found."""

    article_ids: tuple[str, ...]
    """Its versions, in (day, id) order."""
    reasons: tuple[str, ...]
    """Why, for editors: the names they share and the score."""
    score: float | None
    """Mean pair score inside the cluster; None for a story of one."""
