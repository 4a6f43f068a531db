"""Which sentences of different versions say the same thing.

Sentences become sets of content-word stems, each weighted by how rare it is in the story
(inverse document frequency over all its versions' sentences), so words every version repeats
(``Idlib``, ``Putin``, ``said``) count for little and a shared rare phrase counts for much.
Two sentences match when their weighted Dice overlap reaches ``MATCH`` — or when most of the
shorter one is in the longer (``CONTAIN``), as when an outlet adds a clause or splits a
sentence in two — and they share at least ``MIN_COMMON`` stems (``MIN_CONTAINED`` for
containment, since a short sentence is easily contained). Stems are crude on purpose
(suffixes off, six letters kept), which is what makes "normalise"/"normalize" or
"warning"/"warns" one word. The thresholds were tuned on the seed pair and the cases in
``tests/data/compare/align.txt``.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from digest.compare.sentences import word_set

MATCH = 0.5
"""Weighted Dice overlap from which two sentences count as the same sentence."""
CONTAIN = 0.6
"""Share of the shorter sentence's weight found in the longer one that also counts."""
MIN_COMMON = 3
"""Fewest stems two matching sentences have in common, so short sentences match by content."""
MIN_CONTAINED = 5
"""Fewest stems in common for a match by containment: a short sentence is easily contained."""
COMMON_SHARE = 0.1
"""Share of the story's sentences from which a stem is too common to propose a match."""
STEM_LENGTH = 6
"""Letters a stem keeps."""

STOPWORDS = word_set(
    """a about above after again against all also am an and any are as at be been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my no nor not now of off on once only or other our ours out over
    own same she should so some such than that the their theirs them themselves then there
    these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours said says say saying told tells added
    adding according while however there"""
)
"""Words that carry no content: rewording adds and drops them freely."""

_WORD = re.compile(r"[a-z0-9]+")
_POSSESSIVE = re.compile(r"'s\b")
_THOUSANDS = re.compile(r",(?<=\d,)(?=\d{3})")
"""A comma between digits: the pattern starts with the comma, so the scan jumps from comma to
comma instead of trying the look-behind at every character."""
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ed", "es", "s")


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A crude stem: common suffixes off, then the first ``STEM_LENGTH`` letters."""
    if not word.isalpha():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                word += "y"
            break
    return word[:STEM_LENGTH]


def fold(text: str) -> str:
    """Lowercase ASCII with possessives and hyphens turned into word breaks."""
    plain = unicodedata.normalize("NFKD", text.replace("’", "'"))
    ascii_text = plain.encode("ascii", "ignore").decode("ascii")
    return _POSSESSIVE.sub(" ", ascii_text.lower())


def content_stems(text: str) -> frozenset[str]:
    """The set of content-word stems of a sentence."""
    folded = _THOUSANDS.sub("", fold(text))
    return frozenset(stem(w) for w in _WORD.findall(folded) if w not in STOPWORDS)


@dataclass(frozen=True, slots=True)
class Link:
    """Two sentences of two versions that say the same thing."""

    a: tuple[int, int]
    """(version index, sentence n) of the earlier version's sentence."""
    b: tuple[int, int]
    """(version index, sentence n) of the later version's sentence."""
    score: float
    """Their weighted Dice overlap."""


def weights(bags: Sequence[Sequence[frozenset[str]]]) -> dict[str, float]:
    """Inverse document frequency of each stem over every sentence of the story."""
    frequency: dict[str, int] = defaultdict(int)
    total = 0
    for bag in bags:
        for stems in bag:
            total += 1
            for one in stems:
                frequency[one] += 1
    return {one: math.log(1.0 + total / count) for one, count in frequency.items()}


def align(bags: Sequence[Sequence[frozenset[str]]]) -> list[Link]:
    """Links between sentences of different versions; ``bags[v][n]`` is sentence n of v.

    Each sentence links to its best match in every other version that passes the
    thresholds, in both directions, so one sentence may match two that split it. Candidates
    come from the stems no more common than ``common_limit``: two sentences that share only
    the story's everyday words are not the same sentence, and skipping those words' long
    lists keeps a story of eight long versions well under 50 ms.
    """
    # Integer weights (millionths) add up to the same total in any order, so the result
    # does not depend on the order of a set, which changes with the hash seed.
    weight = {one: round(value * 1_000_000) for one, value in weights(bags).items()}
    get = weight.__getitem__
    where = [(v, n) for v, bag in enumerate(bags) for n in range(len(bag))]
    stems = [sentence for bag in bags for sentence in bag]
    version = [v for v, _n in where]
    mass = [sum(map(get, sentence)) for sentence in stems]
    first_of = [0]
    for bag in bags:
        first_of.append(first_of[-1] + len(bag))
    limit = common_limit(len(bags), len(stems))
    postings: dict[str, list[int]] = defaultdict(list)
    for index, sentence in enumerate(stems):
        for one in sentence:
            postings[one].append(index)
    rare = {one: where_in for one, where_in in postings.items() if len(where_in) <= limit}
    found: dict[tuple[int, int], float] = {}
    # best[(i, other version)] = (score, j): the best partner of sentence i in that version.
    best: dict[tuple[int, int], tuple[float, int]] = {}
    for i, mine in enumerate(stems):
        later = first_of[version[i] + 1]
        candidates: set[int] = set()
        for one in mine:
            found_in = rare.get(one)
            if found_in is not None:
                candidates.update(found_in[bisect.bisect_left(found_in, later) :])
        for j in candidates:  # any order: ties are broken by sentence index below
            common = mine & stems[j]
            if len(common) < MIN_COMMON:
                continue
            shared = sum(map(get, common))
            dice = 2.0 * shared / (mass[i] + mass[j])
            contained = shared / min(mass[i], mass[j])
            if dice < MATCH and (contained < CONTAIN or len(common) < MIN_CONTAINED):
                continue
            score = max(dice, contained * MATCH / CONTAIN)
            for me, them in ((i, j), (j, i)):
                slot = (me, version[them])
                held = best.get(slot)
                if held is None or (score, -them) > (held[0], -held[1]):
                    best[slot] = (score, them)
            found[(i, j)] = score
    links = {(min(i, j), max(i, j)) for (i, _w), (_score, j) in best.items()}
    return [Link(where[i], where[j], found[(i, j)]) for i, j in sorted(links)]


def common_limit(versions: int, sentences: int) -> int:
    """Stems in more sentences than this are everyday words of the story (see ``align``).

    A sentence every version carries puts its stems in one sentence per version, so the
    limit never falls below twice the number of versions.
    """
    return max(2 * versions, int(sentences * COMMON_SHARE))
