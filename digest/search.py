"""Full-text search that works offline: a small index of our own, loaded as script files.

Browsers refuse ``fetch()`` of JSON on pages opened from disk, so every index file is a
script that hands its data to ``digestSearch.load(kind, key, data)`` (defined by
``static/search.js``). The index has three kinds of file under ``search/``:

- ``meta.js``: how many documents there are, which term shards exist, the dropped terms;
- ``docs-N.js``: the documents (versions), ``DOCS_PER_FILE`` a file, in story order, so
  the versions of one story sit side by side and the newest stories come first;
- ``terms.js`` / ``terms-KEY.js``: term -> postings, split by the terms' first letters
  (at most ``MAX_PREFIX``) until a shard holds at most ``SHARD_LIMIT`` bytes. A query
  word loads one shard: the one whose key is the longest prefix of the word.

A posting is one base-36 number per document: ``delta * 2 + strong``, where ``delta`` is
the gap from the previous document number and ``strong`` says the word is in the headline,
the outlet, the dateline or a place, person or tag name (rather than only in the text).
On sites of ``COMMON_MIN_DOCS`` documents or more, words found in more than
``COMMON_SHARE`` of them are left out (listed in meta.js, so a query ignores them).
The same input gives the same bytes.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from digest.jsontext import inline_json
from digest.model import Article, SiteModel

FOLDER = "search/"  # the search page (template search.html) and its index files
DOCS_PER_FILE = 500
SHARD_LIMIT = 64_000
MAX_PREFIX = 3
MIN_WORD = 2
MAX_WORD = 24
COMMON_MIN_DOCS = 200
COMMON_SHARE = 0.4
FORMAT = 1

_WORD = re.compile(rf"[^\W_]{{{MIN_WORD},}}")
_FILE_SAFE = re.compile(r"[a-z0-9]")


@dataclass(frozen=True, slots=True)
class Doc:
    """One version as a search result shows it."""

    slug: str
    """The article's slug: its page is ``articles/SLUG/``."""
    title: str
    """Its headline."""
    source: str
    """Its outlet."""
    day: str
    """Its calendar day, ``YYYY-MM-DD``."""
    story_id: str
    """Its story's id: the story's page is ``stories/ID/``."""
    story_title: str
    """Its story's headline, or '' when that is this version's headline too."""
    lang: str
    """Its language when it differs from the site's, else ''."""

    def row(self) -> list[str]:
        """The compact form written to docs-N.js (search.js reads it by position)."""
        return [
            self.slug,
            self.title,
            self.source,
            self.day,
            self.story_id,
            self.story_title,
            self.lang,
        ]


@functools.cache
def _marks() -> dict[int, None]:
    """Combining marks (accents) to delete; all of them lie below U+20000 or in U+E01xx."""
    points = itertools.chain(range(0x20000), range(0xE0100, 0xE01F0))
    return {c: None for c in points if unicodedata.category(chr(c)).startswith("M")}


def fold(text: str) -> str:
    """Lowercase without accents, as search.js folds a query (``Erdoğan`` -> ``erdogan``)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).translate(_marks())
    return text.lower()


def words(text: str) -> list[str]:
    """The index's words of ``text``: runs of letters and digits, folded, cut to MAX_WORD.

    search.js splits a query the same way, so a word matches whatever its accents or case.
    """
    return [w if len(w) <= MAX_WORD else w[:MAX_WORD] for w in _WORD.findall(fold(text))]


def _word_set(text: str) -> set[str]:
    """set(words(text)), faster: long words are rare, so cut them after deduplication."""
    found = set(_WORD.findall(fold(text)))
    long = {w for w in found if len(w) > MAX_WORD}
    return (found - long) | {w[:MAX_WORD] for w in long} if long else found


def documents(model: SiteModel) -> list[Doc]:
    """Every version, story by story (newest story first), versions in publication order."""
    language = model.config.language
    docs = []
    for story in model.stories:
        for article in model.versions(story):
            docs.append(
                Doc(
                    slug=article.slug,
                    title=article.title,
                    source=article.source,
                    day=article.day.isoformat(),
                    story_id=story.id,
                    story_title="" if story.title == article.title else story.title,
                    lang="" if article.lang == language else article.lang,
                )
            )
    return docs


Words = tuple[str, str]
"""An article's index words, sorted and joined by spaces: (strong: headline, outlet, names;
plain: the rest of the text). Two strings, not two sets: a set of 300 words held for each of
10,000 articles took 230 MB of the build's memory, and the index only ever walks them."""


def article_words(
    title: str,
    source: str,
    dateline: str | None,
    names: Iterable[str],
    summary: str,
    paragraphs: Iterable[str],
) -> Words:
    """The words an article is found by; the build computes them where it reads the file."""
    strong = _word_set("\n".join([title, source, dateline or "", *names]))
    plain = _word_set("\n".join([summary, *paragraphs])) - strong
    return " ".join(sorted(strong)), " ".join(sorted(plain))


def _words_of(article: Article) -> Words:
    names = [*article.places, *article.people, *article.tags]
    return article_words(
        article.title, article.source, article.dateline, names, article.summary, article.paragraphs
    )


def postings(model: SiteModel, known: Mapping[str, Words] | None = None) -> dict[str, list[int]]:
    """Word -> its postings, ``document number * 2 + strong``, in document order.

    ``known`` maps article fingerprints to their words, worked out ahead (in parallel).
    """
    index: dict[str, list[int]] = defaultdict(list)
    code = 0
    known = known or {}
    for story in model.stories:
        for article in model.versions(story):
            strong, plain = known.get(article.fingerprint) or _words_of(article)
            for word in strong.split():
                index[word].append(code + 1)
            for word in plain.split():
                index[word].append(code)
            code += 2
    return dict(index)


def encode(codes: list[int]) -> str:
    """Postings as comma-separated base-36 numbers: gap from the previous doc * 2 + strong."""
    gaps = [c - (p & ~1) for p, c in zip([0, *codes], codes, strict=False)]
    small = _SMALL
    limit = len(small)
    return ",".join([small[g] if g < limit else _base36(g) for g in gaps])


def decode(text: str) -> list[int]:
    """The inverse of encode (search.js does the same): ``document number * 2 + strong``."""
    codes = []
    number = 0
    for part in text.split(","):
        gap = int(part, 36)
        number += gap >> 1
        codes.append(number * 2 + (gap & 1))
    return codes


def _base36(value: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    if value == 0:
        return "0"
    out = []
    while value:
        value, rest = divmod(value, 36)
        out.append(digits[rest])
    return "".join(reversed(out))


_SMALL = [_base36(v) for v in range(36 * 36)]  # most gaps are small: look them up


def _size(terms: Mapping[str, str]) -> int:
    return sum(len(t.encode()) + len(p) + 6 for t, p in terms.items())


def shard(terms: Mapping[str, str], prefix: str = "") -> list[tuple[str, dict[str, str]]]:
    """Split terms by their next letter until each shard is small enough or MAX_PREFIX deep.

    A term as long as the prefix stays in the prefix's own shard, so the shard holding a
    term is always the one whose key is the longest prefix of it.
    """
    if _size(terms) <= SHARD_LIMIT or len(prefix) >= MAX_PREFIX:
        return [(prefix, dict(sorted(terms.items())))]
    here: dict[str, str] = {}
    below: dict[str, dict[str, str]] = defaultdict(dict)
    for term, encoded in terms.items():
        if len(term) == len(prefix):
            here[term] = encoded
        else:
            below[term[len(prefix)]][term] = encoded
    out = [(prefix, dict(sorted(here.items())))] if here else []
    for letter in sorted(below):
        out += shard(below[letter], prefix + letter)
    return out


def shard_file(key: str) -> str:
    """The file of a term shard: ASCII letters and digits as they are, others as _HEX_."""
    if not key:
        return "terms.js"
    safe = "".join(c if _FILE_SAFE.fullmatch(c) else f"_{ord(c):x}_" for c in key)
    return f"terms-{safe}.js"


def _script(kind: str, key: str | int | None, data: Any) -> bytes:
    payload = inline_json(data, sort_keys=True)
    return f"digestSearch.load({json.dumps(kind)},{json.dumps(key)},{payload});\n".encode()


def search_files(
    model: SiteModel, known: Mapping[str, Words] | None = None
) -> Iterator[tuple[str, bytes]]:
    """The index files under ``search/``: meta.js, docs-N.js and the term shards."""
    docs = documents(model)
    index = postings(model, known)
    common: list[str] = []
    if len(docs) >= COMMON_MIN_DOCS:
        limit = COMMON_SHARE * len(docs)
        common = sorted(w for w, entries in index.items() if len(entries) > limit)
        for word in common:
            del index[word]
    shards = shard({w: encode(entries) for w, entries in index.items()})
    meta = {
        "format": FORMAT,
        "docs": len(docs),
        "per_file": DOCS_PER_FILE,
        "shards": {key: shard_file(key) for key, _ in shards},
        "common": common,
        "min_word": MIN_WORD,
        "max_word": MAX_WORD,
        "prefix_from": MAX_PREFIX,
    }
    yield FOLDER + "meta.js", _script("meta", None, meta)
    for start in range(0, len(docs), DOCS_PER_FILE):
        number = start // DOCS_PER_FILE
        rows = [d.row() for d in docs[start : start + DOCS_PER_FILE]]
        yield f"{FOLDER}docs-{number}.js", _script("docs", number, rows)
    for key, terms in shards:
        yield FOLDER + shard_file(key), _script("terms", key, terms)
