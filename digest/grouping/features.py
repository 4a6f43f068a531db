"""What an article says, as weighted terms: words, names, numbers and headline words.

Twin events (two earthquakes, two strikes on two schools) share their vocabulary; what tells
them apart is who, where and how many. So capitalised names and the numbers and dates a text
mentions become terms of their own, weighed above plain words.
"""

from __future__ import annotations

import functools
import itertools
import math
import operator
import re
import string
import sys
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
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


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True, slots=True)
class Terms:
    """One article's raw term counts before corpus weighting; picklable, so the build can
    work them out where it reads each file and cache them with it."""

    keys: tuple[str, ...]
    """Stemmed words (headline words count extra), names as 'n:name' and numbers as
    '#:number' (so they never meet a plain word)."""
    counts: array[int]
    """How often each of ``keys`` counts, in the same order (at most 65,535)."""
    spelled: tuple[str, ...]
    """Up to ten names as written, most frequent first, for the reasons shown to editors."""


@functools.lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    """A light plural fold so 'strikes' meets 'strike'; no more: precision matters."""
    if len(word) > 4 and not word.endswith("ss"):
        if word.endswith("ies"):
            return word[:-3] + "y"
        return word[:-1]
    return word


@functools.lru_cache(maxsize=1 << 18)
def _token_keys(token: str) -> tuple[tuple[str, ...], str | None]:
    """The terms one token counts for, and the name it spells as written, if any.

    A token's terms depend on the token alone and news repeats its words, so the answer is
    cached (bounded: a long-running server sees new words all day).
    """
    core = token.strip(".,")
    if not core:
        return (), None
    if core[0].isdigit():
        return ("#:" + core.rstrip(_LETTERS).replace(",", ""),), None
    lower = core.lower()
    if len(lower) < 3 or lower in STOPWORDS:
        return (), None
    word = () if " " in lower else (_stem(lower) if lower[-1] == "s" else lower,)
    if core[0].isupper() and lower not in NAME_STOPWORDS:
        return ("n:" + lower, *word), core
    return word, None


@functools.lru_cache(maxsize=1 << 16)
def _title_key(word: str) -> str | None:
    """The plain-word term a lower-cased headline word adds weight to, if any."""
    word = word.strip(".,")
    if len(word) < 3 or word[0].isdigit() or word in STOPWORDS:
        return None
    return _stem(word) if word[-1] == "s" else word


def _tokens(text: str) -> list[str]:
    """Words and numbers: punctuation (but the dot and comma of '6.1' and '2,000') splits."""
    return text.translate(_SPLIT).split()


def terms_from(
    title: str,
    paragraphs: Sequence[str],
    places: Iterable[str] = (),
    people: Iterable[str] = (),
    weights: Weights = DEFAULT_WEIGHTS,
) -> Terms:
    """Count the terms of one article: body words, headline words, names, numbers.

    A pure function of the article's headline, plain-text paragraphs, places and people,
    so it can run wherever the article is read. Tokens are split and counted by
    ``str.translate``, ``split`` and ``Counter`` (C code); the Python work is one cached
    look-up per distinct token.
    """
    text = " ".join(paragraphs)
    if len(text) > weights.max_words * 7:
        words = text.split(None, weights.max_words)
        if len(words) > weights.max_words:
            text = " ".join(words[: weights.max_words])
    found = Counter(_tokens(f"{title}\n{text}"))
    found.update((*_NAME.findall(title), *places, *people))
    counts: dict[str, int] = {}
    shown: dict[str, int] = {}
    for token, n in found.items():
        keys, name = _token_keys(token)
        for key in keys:
            counts[key] = counts.get(key, 0) + n
        if name is not None:
            shown[name] = shown.get(name, 0) + n
    for word in _tokens(title.lower()):
        extra = _title_key(word)
        if extra is not None:
            counts[extra] = counts.get(extra, 0) + weights.title
    ranked = sorted(shown.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    values = list(counts.values())
    if max(values, default=0) > 65_535:
        values = [min(n, 65_535) for n in values]
    return Terms(
        tuple(map(sys.intern, counts)),
        array("H", values),
        tuple(name for name, _ in ranked),
    )


def article_terms(article: Article, weights: Weights = DEFAULT_WEIGHTS) -> Terms:
    """``terms_from`` of an article's headline, paragraphs, places and people."""
    return terms_from(article.title, article.paragraphs, article.places, article.people, weights)


@dataclass(frozen=True, slots=True)
class Vector:
    """One article's heaviest shared terms and their weights."""

    terms: tuple[str, ...]
    """The terms, heaviest first (ties by term)."""
    weights: array[float]
    """Their TF-IDF weights on the unit-length whole vector."""


_PREFIX = slice(0, 2)


def document_counts(found: Iterable[Terms]) -> Counter[str]:
    """In how many of ``found`` each term occurs."""
    counts: Counter[str] = Counter()
    for terms in found:
        counts.update(terms.keys)
    return counts


def encode(
    found: Sequence[Terms],
    counts: Sequence[Counter[str]],
    total: int,
    weights: Weights,
    keep: int,
) -> tuple[Vector, ...]:
    """TF-IDF vectors of ``found``, unit length, each cut to its ``keep`` heaviest shared terms.

    The document counts are those of ``found`` (``counts[0]``) plus the other ``counts``,
    out of ``total`` articles: the articles published around them, not the whole site, so
    an edit changes the weights of its neighbourhood only. A term found in one article only
    cannot join it to another, so it is left out of the vector (it still lengthens it): its
    scale is made negative. Cutting to the heaviest terms bounds the work per article
    without losing what makes it alike to its own event.
    """
    own = counts[0]
    keys = list(own)
    df = list(own.values())
    for other in counts[1:]:
        df = list(map(operator.add, df, map(other.get, keys, itertools.repeat(0))))
    # boost * log((total + 1) / n), negated for n == 1, term by term in C.
    idf = [0.0, -math.log(total + 1)] + [math.log((total + 1) / n) for n in range(2, total + 1)]
    boost = {"n:": weights.name, "#:": weights.number}
    prefixes = map(str.__getitem__, keys, itertools.repeat(_PREFIX))
    boosts = map(boost.get, prefixes, itertools.repeat(1.0))
    scale = dict(zip(keys, map(operator.mul, boosts, map(idf.__getitem__, df)), strict=True))
    highest = max((max(terms.counts, default=0) for terms in found), default=0)
    tf = [0.0] + [1.0 + math.log(n) for n in range(1, highest + 1)]
    vectors = []
    for terms in found:
        weighted = list(
            map(operator.mul, map(scale.__getitem__, terms.keys), map(tf.__getitem__, terms.counts))
        )
        norm = math.sqrt(sum(map(operator.mul, weighted, weighted))) or 1.0
        # Only terms at or above the keep-th heaviest weight (and above 0) are sorted as pairs.
        cut = sorted(weighted)[-keep] if len(weighted) > keep else 0.0
        least = cut if cut > 0 else math.ulp(0.0)
        heavy = itertools.compress(
            zip(weighted, terms.keys, strict=True), map(least.__le__, weighted)
        )
        best = sorted(heavy, reverse=True)[:keep]
        vectors.append(Vector(tuple(t for _, t in best), array("d", [w / norm for w, _ in best])))
    return tuple(vectors)
