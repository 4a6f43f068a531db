"""What an article says, as weighted terms: words, names, numbers and headline words.

Twin events (two earthquakes, two strikes on two schools) share their vocabulary; what tells
them apart is who, where and how many. So capitalised names and the numbers and dates a text
mentions become terms of their own, weighed above plain words.
"""

from __future__ import annotations

import functools
import math
import operator
import re
import string
import sys
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from digest.model import Article

# Every ASCII character but letters, digits, '.' and ',' (kept for '6.1' and '2,000'), and
# common typographic punctuation, split tokens.
_SPLIT = str.maketrans(
    {c: " " for c in [*map(chr, range(128)), *"‘’“”–—…«»"] if not (c.isalnum() or c in ".,")}
)
_LETTERS = string.ascii_letters
_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+")

# Words too common in news to say anything about which event a text reports.
STOPWORDS = frozenset(
    str.split(
        """
    about above after again against all also among and another any are around because been
    before being below between both but can could did does doing down during each either
    even ever every few for from further had has have having her here hers herself him
    himself his how however into its itself just last least less like made make many more
    most much must near next nor not now off once one only other our ours out over own per
    said same says she should since some such than that the their theirs them themselves
    then there these they this those though three through thus till too two under until
    upon very was were what when where whether which while who whom whose why will with
    within without would yet you your yours yesterday today tomorrow monday tuesday
    wednesday thursday friday saturday sunday week weeks year years month months day days
    time told say saying according reported report reports news people new first second
    back still may might get got told including told being week's people's mr mrs ms
    """
    )
)
# Capitalised words that open sentences or are common titles, not names.
NAME_STOPWORDS = frozenset(
    str.split(
        """
    a an the he she it its they we i you his her their this that these those there
    in on at of for by to from with and but or as if when after before while during
    mr mrs ms dr president minister officials police monday tuesday wednesday thursday
    friday saturday sunday january february march april may june july august september
    october november december reuters ap afp associated press update breaking photo video
    according said says
    """
    )
)


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each kind of term counts against a plain word (which counts 1)."""

    name: float = 3.0
    """A capitalised name (phrase or single word) from the text or front matter."""
    number: float = 3.0
    """A number or figure the text mentions."""
    title: int = 2
    """Extra weight of each headline word, on top of its weight in the text."""
    max_words: int = 450
    """Only the first this many words of a body count: the lead says which event it is, and
    the cut bounds the work per article."""


@dataclass(frozen=True, slots=True)
class Terms:
    """One article's raw term counts before corpus weighting."""

    counts: dict[str, int]
    """Stemmed words (headline words count extra), names as 'n:name' and numbers as
    '#:number' (so they never meet a plain word), each with its count."""
    spelled: tuple[str, ...]
    """Names as written, most frequent first, for the reasons shown to editors."""


@functools.lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    """A light plural fold so 'strikes' meets 'strike'; no more: precision matters."""
    if len(word) > 4 and not word.endswith("ss"):
        if word.endswith("ies"):
            return word[:-3] + "y"
        return word[:-1]
    return word


def _tokens(text: str) -> list[str]:
    """Words and numbers: punctuation (but the dot and comma of '6.1' and '2,000') splits."""
    return text.translate(_SPLIT).split()


def article_terms(article: Article, weights: Weights) -> Terms:
    """Count the terms of one article: body words, headline words, names, numbers.

    Tokens are split and counted by ``str.translate``, ``split`` and ``Counter`` (C code);
    the Python work is over distinct tokens only, which bounds the cost per article.
    """
    text = " ".join(article.paragraphs)
    if len(text) > weights.max_words * 7:
        words = text.split()
        if len(words) > weights.max_words:
            text = " ".join(words[: weights.max_words])
    counts: dict[str, int] = {}
    shown: dict[str, int] = {}
    found = Counter(_tokens(f"{article.title}\n{text}"))
    found.update(_NAME.findall(article.title))
    found.update((*article.places, *article.people))
    for token, n in found.items():
        core = token.strip(".,")
        if not core:
            continue
        if core[0].isdigit():
            key = "#:" + core.rstrip(_LETTERS).replace(",", "")
            counts[key] = counts.get(key, 0) + n
            continue
        lower = core.lower()
        if len(lower) < 3 or lower in STOPWORDS:
            continue
        if core[0].isupper() and lower not in NAME_STOPWORDS:
            key = "n:" + lower
            counts[key] = counts.get(key, 0) + n
            shown[core] = n
        if " " not in lower:
            key = _stem(lower) if lower[-1] == "s" else lower
            counts[key] = counts.get(key, 0) + n
    for word in _tokens(article.title.lower()):
        word = word.strip(".,")
        if len(word) >= 3 and not word[0].isdigit() and word not in STOPWORDS:
            key = _stem(word) if word[-1] == "s" else word
            counts[key] = counts.get(key, 0) + weights.title
    ranked = sorted(shown.items(), key=lambda kv: (-kv[1], kv[0]))
    return Terms(counts, tuple(name for name, _ in ranked))


@dataclass(frozen=True, slots=True)
class Vector:
    """One article's heaviest shared terms and their weights."""

    terms: tuple[str, ...]
    """The terms, heaviest first (ties by term)."""
    weights: array[float]
    """Their TF-IDF weights on the unit-length whole vector."""


@dataclass(frozen=True, slots=True)
class Encoded:
    """What the grouping keeps of each article, small enough for 100,000 of them."""

    vectors: tuple[Vector, ...]
    """One per article, in the order given."""
    names: tuple[tuple[str, ...], ...]
    """Each article's most frequent names as written, for the reasons."""


def _boost(term: str, weights: Weights) -> float:
    if term.startswith("n:"):
        return weights.name
    if term.startswith("#:"):
        return weights.number
    return 1.0


def encode(articles: Iterable[Article], weights: Weights, keep: int) -> Encoded:
    """TF-IDF vectors, unit length, each cut to its ``keep`` heaviest shared terms.

    Each article's terms are kept as a tuple of interned strings and an array of counts
    (a body is cut to ``max_words``, so a count fits 16 bits), never as a dict, so 100,000
    articles fit in memory. A term found in one article only cannot join it to another, so
    it is left out of the vector (it still lengthens it): its scale is made negative.
    Cutting to the heaviest terms bounds the work per article without losing what makes it
    alike to its own event.
    """
    df: Counter[str] = Counter()
    found: list[tuple[tuple[str, ...], array[int]]] = []
    names: list[tuple[str, ...]] = []
    for article in articles:
        terms = article_terms(article, weights)
        keys = tuple(map(sys.intern, terms.counts))
        df.update(keys)
        found.append((keys, array("H", terms.counts.values())))
        names.append(terms.spelled[:10])
    total = len(found)
    scale = {
        term: _boost(term, weights) * math.log((total + 1) / n) * (1 if n > 1 else -1)
        for term, n in df.items()
    }
    highest = max((max(counts, default=0) for _, counts in found), default=0)
    tf = [0.0] + [1.0 + math.log(n) for n in range(1, highest + 1)]
    vectors = []
    for keys, counts in found:
        weighted = [scale[t] * tf[c] for t, c in zip(keys, counts, strict=True)]
        norm = math.sqrt(sum(map(operator.mul, weighted, weighted))) or 1.0
        cut = sorted(weighted, reverse=True)[keep - 1] if len(weighted) > keep else 0.0
        best = sorted(
            ((w, t) for w, t in zip(weighted, keys, strict=True) if w >= cut and w > 0),
            reverse=True,
        )[:keep]
        vectors.append(Vector(tuple(t for _, t in best), array("d", (w / norm for w, _ in best))))
    return Encoded(tuple(vectors), tuple(names))
