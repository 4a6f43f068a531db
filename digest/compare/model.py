"""The comparison of a story's versions: frozen, picklable values, keyed by the versions.

Versions are referred to by article id and sentences by (article id, n), never by objects, so
a comparison can be cached by its versions' fingerprints and shared between pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from digest.errors import DigestError


class CompareError(DigestError):
    """A comparison was asked about a version it does not hold."""


class _Value:
    """Pickled as its class and field values: a comparison is pickled into the build cache and
    out again in every worker that renders its pages, and the per-field state dictionaries
    ``dataclass(slots=True)`` pickles by default cost three times as much."""

    __slots__ = ()

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        names: tuple[str, ...] = type(self).__slots__  # the fields, set by dataclass(slots=True)
        return (type(self), tuple(getattr(self, name) for name in names))


@dataclass(frozen=True, slots=True)
class SentenceRef(_Value):
    """One sentence of one version."""

    version: str
    """The article id."""
    n: int
    """The sentence's number in its version, from 0; its anchor there is ``s-N``."""


@dataclass(frozen=True, slots=True)
class Sentence(_Value):
    """A sentence of a version and the sentences of other versions that say the same."""

    version: str
    """The article id."""
    n: int
    """Its number in its version, from 0."""
    text: str
    """Its text, as written."""
    paragraph: int
    """Index of its paragraph in ``Article.paragraphs``."""
    start: int
    """Offset of its first character in that paragraph."""
    end: int
    """Offset just past its last character."""
    words: int
    """How many words it has: the weight of its share of the text."""
    links: tuple[SentenceRef, ...]
    """Its counterparts in other versions, in publication order, then by number."""

    @property
    def shared_with(self) -> tuple[str, ...]:
        """The other versions that carry it, in publication order."""
        return tuple(dict.fromkeys(ref.version for ref in self.links))


@dataclass(frozen=True, slots=True)
class Version(_Value):
    """One version as the comparison sees it."""

    id: str
    """The article id."""
    slug: str
    """Its URL slug."""
    source: str
    """Its outlet."""
    label: str
    """How the page names it: the outlet, numbered when an outlet has two versions."""
    title: str
    """Its headline."""
    fingerprint: str
    """The article's fingerprint when compared."""
    sentences: tuple[Sentence, ...]
    """Its sentences, in order."""
    firsts: tuple[int, ...]
    """Numbers of its sentences that no earlier version carried: what it reported first."""

    @property
    def only(self) -> tuple[Sentence, ...]:
        """Its sentences that no other version carries."""
        return tuple(s for s in self.sentences if not s.links)

    @property
    def words(self) -> int:
        """Words in all its sentences."""
        return sum(s.words for s in self.sentences)


@dataclass(frozen=True, slots=True)
class Pair(_Value):
    """How much two versions have in common."""

    a: str
    """The earlier version's id."""
    b: str
    """The later version's id."""
    a_share: float
    """Share of a's words in sentences that b also carries, 0 to 1."""
    b_share: float
    """Share of b's words in sentences that a also carries, 0 to 1."""
    sentences: int
    """How many of a's sentences b carries."""


@dataclass(frozen=True, slots=True)
class QuoteForm(_Value):
    """How one version carries a quote."""

    version: str
    """The article id."""
    n: int
    """The sentence it is in."""
    text: str
    """The quoted words, or the sentence that reports them without quoting."""
    verbatim: bool
    """True when the version quotes the same words as the first version to carry it."""


@dataclass(frozen=True, slots=True)
class Quote(_Value):
    """Quoted speech and the versions that carry it."""

    text: str
    """The words, as the first version to quote them wrote them."""
    speaker: str | None
    """Who said them, where the text names someone."""
    versions: tuple[str, ...]
    """The versions that carry it, in publication order."""
    verbatim: bool
    """True when every version carrying it quotes the same words."""
    forms: tuple[QuoteForm, ...]
    """Each version's form, in publication order."""


@dataclass(frozen=True, slots=True)
class Figure(_Value):
    """A number and what it counts, with the versions that give it."""

    value: int | float
    """The number (``370000``, ``4000000``, ``2.5``)."""
    counts: str
    """What it counts: killed, injured, displaced, troops, posts, days, or the noun."""
    text: str
    """The sentence that gives it, in the first version to give it."""
    versions: tuple[str, ...]
    """The versions that give this number for this count, in publication order."""
    qualifier: str
    """"more than", "at least", "some" … as written before it, or empty."""
    where: tuple[SentenceRef, ...]
    """The sentences that give it."""
    differs: bool
    """True when another version gives a different number for the same count."""


@dataclass(frozen=True, slots=True)
class Comparison(_Value):
    """What the versions of one story share, what each adds and where figures differ."""

    story: str
    """The story's id, as the site derives it."""
    key: str
    """Hash of the versions' fingerprints in order: equal keys mean equal comparisons."""
    versions: tuple[Version, ...]
    """The versions, in publication order."""
    pairs: tuple[Pair, ...]
    """Every pair of versions, earlier first."""
    quotes: tuple[Quote, ...]
    """Quotes in order of first appearance."""
    figures: tuple[Figure, ...]
    """Figures in order of first appearance."""

    def version(self, article_id: str) -> Version:
        """The version with this article id."""
        for version in self.versions:
            if version.id == article_id:
                return version
        raise CompareError(f"{article_id!r} is not a version of story {self.story!r}")

    def sentence(self, ref: SentenceRef) -> Sentence:
        """The sentence a reference names."""
        return self.version(ref.version).sentences[ref.n]

    def label(self, article_id: str) -> str:
        """How pages name the version with this id."""
        return self.version(article_id).label
