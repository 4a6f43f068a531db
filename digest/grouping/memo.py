"""What one grouping keeps for the next: its parts, by a key of everything they depend on.

A key is a hash of the articles (ids, days, fingerprints) a part was worked out from and of
the grouping's settings, so a part found under its key is exactly what working it out again
would give; an edit changes the keys of the parts around it and of no others.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any, Generic, TypeVar

from digest.grouping.features import Vector
from digest.grouping.model import Cluster
from digest.grouping.similarity import Row

T = TypeVar("T")


class Shelf(Generic[T]):
    """One kind of part, by key; what the last grouping did not use is let go."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._parts: dict[bytes, T] = {}
        self._live: set[bytes] = set()
        self.computed = 0
        """Parts of this kind the last grouping worked out (not found here)."""
        self.reused = 0
        """Parts of this kind the last grouping found here."""

    def __len__(self) -> int:
        return len(self._parts)

    def get(self, key: bytes) -> T | None:
        found = self._parts.get(key)
        if found is not None:
            self.reused += 1
        return found

    def put(self, key: bytes, value: T) -> None:
        self._parts[key] = value
        self.computed += 1

    def keep(self, keys: Iterable[bytes]) -> None:
        """Mark parts the current grouping holds, used or not, to be kept for the next."""
        self._live.update(keys)

    def start(self) -> None:
        self._live = set()
        self.computed = self.reused = 0

    def finish(self) -> None:
        """Let go of every part the grouping just done does not hold."""
        self._parts = {key: value for key, value in self._parts.items() if key in self._live}
        self._live = set()


class GroupMemo:
    """The parts of the last grouping, for the next one to reuse; give the same one to every
    ``group`` call of one site (a long-running server keeps it across rebuilds).

    It holds the parts of one grouping at a time: each call lets go of those it did not
    hold, so it never grows beyond the site. The result is the same with or without it.
    """

    def __init__(self) -> None:
        self.vectors: Shelf[tuple[Vector, ...]] = Shelf("vectors")
        """Per block of days: its articles' weighted terms."""
        self.pairs: Shelf[tuple[Row, ...]] = Shelf("pairs")
        """Per block: the similarities of its articles with later ones."""
        self.neighbours: Shelf[tuple[tuple[int, ...], ...]] = Shelf("neighbours")
        """Per block: its articles' nearest neighbours."""
        self.scores: Shelf[tuple[Row, ...]] = Shelf("scores")
        """Per block: the pair scores of its articles with later ones."""
        self.stories: Shelf[tuple[Cluster, ...]] = Shelf("stories")
        """Per group of articles joined by strong pairs: the stories merged from it."""

    def shelves(self) -> tuple[Shelf[Any], ...]:
        return (self.vectors, self.pairs, self.neighbours, self.scores, self.stories)

    def computed(self) -> Counter[str]:
        """How many parts of each kind the last grouping worked out rather than reused."""
        return Counter({shelf.name: shelf.computed for shelf in self.shelves()})

    def reused(self) -> Counter[str]:
        """How many parts of each kind the last grouping found here."""
        return Counter({shelf.name: shelf.reused for shelf in self.shelves()})

    def start(self) -> None:
        for shelf in self.shelves():
            shelf.start()

    def finish(self) -> None:
        for shelf in self.shelves():
            shelf.finish()
