"""The grouping's parts: blocks of days, and the keys their work is kept under.

Days are cut into blocks of ``block_days`` (at least the window), counted from a fixed day,
so a block's bounds never depend on which articles there are. Each stage's work for a block
depends on a few blocks around it only:

- vectors(b): term weights counted over blocks b-1, b, b+1;
- pairs(b): similarities of b's articles with later ones, all in b or b+1 (the window is no
  longer than a block): vectors(b), vectors(b+1);
- neighbours(b): from the pairs that reach b's articles: pairs(b-1), pairs(b);
- scores(b): pairs(b), neighbours(b), neighbours(b+1).

A block's key is a hash of the keys it depends on, so an edit changes the keys of the
blocks a few either side of its own and of no others.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from digest.grouping.model import Params
from digest.model import Article

NONE = b""
"""The key of a block with no articles."""


def _hash(*parts: bytes) -> bytes:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(len(part).to_bytes(4, "little"))
        digest.update(part)
    return digest.digest()


@dataclass(frozen=True, slots=True)
class Blocks:
    """The non-empty blocks of articles in (day, id) order."""

    numbers: tuple[int, ...]
    """Each block's number: day ordinal // block days."""
    starts: tuple[int, ...]
    """Each block's first article, then the count of articles."""

    def span(self, block: int) -> range:
        return range(self.starts[block], self.starts[block + 1])

    def before(self, block: int) -> int | None:
        """The block just before, if it has articles."""
        if block > 0 and self.numbers[block - 1] == self.numbers[block] - 1:
            return block - 1
        return None

    def after(self, block: int) -> int | None:
        """The block just after, if it has articles."""
        if block + 1 < len(self.numbers) and self.numbers[block + 1] == self.numbers[block] + 1:
            return block + 1
        return None

    def of(self, index: int) -> int:
        """The block of article ``index``."""
        return bisect.bisect_right(self.starts, index) - 1


def block_days(window_days: int, params: Params) -> int:
    return max(window_days, params.block_days, 1)


def blocks(ordered: Sequence[Article], days: int) -> Blocks:
    """The blocks of ``ordered``, sorted by (day, id)."""
    numbers: list[int] = []
    starts: list[int] = []
    for index, article in enumerate(ordered):
        number = article.day.toordinal() // days
        if not numbers or numbers[-1] != number:
            numbers.append(number)
            starts.append(index)
    return Blocks(tuple(numbers), (*starts, len(ordered)))


@dataclass(frozen=True, slots=True)
class Keys:
    """Each stage's key for each block."""

    vectors: tuple[bytes, ...]
    pairs: tuple[bytes, ...]
    neighbours: tuple[bytes, ...]
    scores: tuple[bytes, ...]


def keys(ordered: Sequence[Article], layout: Blocks, window_days: int, params: Params) -> Keys:
    """The keys of every block's parts, from its articles' ids, days and fingerprints."""
    settings = repr((window_days, block_days(window_days, params), params)).encode()
    count = len(layout.numbers)
    content = [
        _hash(
            settings,
            *(
                f"{a.id}\x1f{a.day.toordinal()}\x1f{a.fingerprint}".encode()
                for a in ordered[layout.span(block).start : layout.span(block).stop]
            ),
        )
        for block in range(count)
    ]

    def at(found: Sequence[bytes], block: int | None) -> bytes:
        return NONE if block is None else found[block]

    vectors = [
        _hash(b"v", at(content, layout.before(b)), content[b], at(content, layout.after(b)))
        for b in range(count)
    ]
    pairs = [_hash(b"p", vectors[b], at(vectors, layout.after(b))) for b in range(count)]
    near = [_hash(b"n", at(pairs, layout.before(b)), pairs[b]) for b in range(count)]
    scores = [_hash(b"s", pairs[b], near[b], at(near, layout.after(b))) for b in range(count)]
    return Keys(tuple(vectors), tuple(pairs), tuple(near), tuple(scores))


def story_key(found: Keys, layout: Blocks, members: Sequence[int], ids: Sequence[str]) -> bytes:
    """The key of the stories merged from ``members``: their ids and their blocks' scores."""
    touched = sorted({layout.of(index) for index in members})
    return _hash(b"m", *(found.scores[b] for b in touched), "\x1f".join(ids).encode())
