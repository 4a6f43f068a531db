"""Comparing the versions of one story: sentences, alignment, quotes, figures, firsts.

Pure: the result depends only on the versions (their ids, outlets, paragraphs and order), so
it can be cached under ``comparison_key(versions)``.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence

from digest.compare import figures as figures_mod
from digest.compare import quotes as quotes_mod
from digest.compare.align import align, content_stems
from digest.compare.model import (
    CompareError,
    Comparison,
    Figure,
    Pair,
    Quote,
    QuoteForm,
    Sentence,
    SentenceRef,
    Version,
)
from digest.compare.sentences import split
from digest.model import Article
from digest.slugs import slugify

ALGORITHM = "compare-1"
"""Bump when the comparison changes, so cached comparisons are not reused."""

Spot = tuple[int, int]
"""(version index, sentence n)."""


def comparison_key(versions: Sequence[Article]) -> str:
    """The cache key of a comparison: the algorithm and the versions' fingerprints, in order."""
    digest = hashlib.sha256(ALGORITHM.encode())
    for article in versions:
        for part in (article.id, article.fingerprint, article.source, article.story_key or ""):
            digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()


def story_id(versions: Sequence[Article]) -> str:
    """The story's id as the site derives it: its pinned key, else its first version's slug."""
    first = versions[0]
    return slugify(first.story_key) if first.story_key else first.slug


def _labels(versions: Sequence[Article]) -> list[str]:
    """Outlet names, numbered in publication order when an outlet has several versions."""
    total = Counter(a.source for a in versions)
    seen: Counter[str] = Counter()
    labels = []
    for article in versions:
        seen[article.source] += 1
        several = total[article.source] > 1
        labels.append(f"{article.source} {seen[article.source]}" if several else article.source)
    return labels


def _spans(article: Article) -> list[tuple[int, int, int]]:
    """(paragraph, start, end) of every sentence of an article, in order."""
    return [
        (index, span.start, span.end)
        for index, paragraph in enumerate(article.paragraphs)
        for span in split(paragraph)
    ]


def _quotes(
    versions: Sequence[Article],
    spans: list[list[tuple[int, int, int]]],
    texts: list[list[str]],
    links: dict[Spot, list[Spot]],
) -> tuple[Quote, ...]:
    """Quotes grouped across versions: same words, other words, or reported without quoting."""
    names = quotes_mod.full_names(
        [p for a in versions for p in a.paragraphs] + [p for a in versions for p in a.people]
    )
    clusters = quotes_mod.group(
        [quotes_mod.find_quotes(a.paragraphs, spans[v], names) for v, a in enumerate(versions)]
    )
    full = set(names.values())
    result = []
    for cluster in clusters:
        forms = {v: QuoteForm(versions[v].id, q.n, q.text, ok) for v, q, ok in cluster}
        for v, q, _ok in cluster:
            for w, m in links.get((v, q.n), []):
                if w not in forms:
                    forms[w] = QuoteForm(versions[w].id, m, texts[w][m], False)
        ordered = tuple(forms[v] for v in sorted(forms))
        speakers = [q.speaker for _v, q, _ok in cluster if q.speaker]
        named = [s for s in speakers if s in full]
        speaker = (named or speakers)[0] if speakers else None
        result.append(
            Quote(
                text=cluster[0][1].text,
                speaker=speaker,
                versions=tuple(f.version for f in ordered),
                verbatim=all(f.verbatim for f in ordered),
                forms=ordered,
            )
        )
    return tuple(result)


def _figures(
    versions: Sequence[Article], texts: list[list[str]], refs: list[list[SentenceRef]]
) -> tuple[Figure, ...]:
    """Figures grouped by (count, value); flagged where versions give other values."""
    found: dict[tuple[str, int | float], list[tuple[int, int, str]]] = {}
    values: dict[str, dict[int, set[int | float]]] = defaultdict(lambda: defaultdict(set))
    for v, sentences in enumerate(texts):
        for n, text in enumerate(sentences):
            for figure in figures_mod.find_figures(text):
                found.setdefault((figure.counts, figure.value), []).append((v, n, figure.qualifier))
                values[figure.counts][v].add(figure.value)
    result = []
    for (counts, value), where in found.items():
        carriers = sorted({v for v, _n, _q in where})
        reporters = values[counts]
        differs = any(value not in given for given in reporters.values())
        first_v, first_n, qualifier = where[0]
        result.append(
            Figure(
                value=value,
                counts=counts,
                text=texts[first_v][first_n],
                versions=tuple(versions[v].id for v in carriers),
                qualifier=qualifier,
                where=tuple(refs[v][n] for v, n, _q in where),
                differs=differs,
            )
        )
    return tuple(result)


def compare_story(versions: Sequence[Article]) -> Comparison:
    """Compare a story's versions, given in publication order."""
    if not versions:
        raise CompareError("a story needs at least one version to compare")
    spans = [_spans(article) for article in versions]
    texts = [
        [article.paragraphs[p][start:end] for p, start, end in spans[v]]
        for v, article in enumerate(versions)
    ]
    # One reference per sentence, shared by every link to it: pickling a comparison then
    # writes each once (a story of eight versions links a sentence up to seven times).
    refs = [[SentenceRef(a.id, n) for n in range(len(spans[v]))] for v, a in enumerate(versions)]
    words = [[len(text.split()) for text in sentences] for sentences in texts]
    found_links = align([[content_stems(text) for text in sentences] for sentences in texts])
    links: dict[Spot, list[Spot]] = defaultdict(list)
    for link in found_links:
        links[link.a].append(link.b)
        links[link.b].append(link.a)
    for partners in links.values():
        partners.sort()
    built = []
    for v, article in enumerate(versions):
        sentences = tuple(
            Sentence(
                version=article.id,
                n=n,
                text=texts[v][n],
                paragraph=p,
                start=start,
                end=end,
                words=words[v][n],
                links=tuple(refs[w][m] for w, m in links.get((v, n), [])),
            )
            for n, (p, start, end) in enumerate(spans[v])
        )
        # Partners are sorted: a sentence is first told here if its earliest partner is not
        # in an earlier version.
        firsts = tuple(n for n in range(len(sentences)) if links.get((v, n), [(v, 0)])[0][0] >= v)
        built.append((sentences, firsts))
    labels = _labels(versions)
    size = len(versions)
    totals = [sum(counts) for counts in words]
    common = _pairs(words, links)
    pairs = [
        Pair(
            versions[v].id,
            versions[w].id,
            round(common[v * size + w][0] / totals[v], 4) if totals[v] else 0.0,
            round(common[w * size + v][0] / totals[w], 4) if totals[w] else 0.0,
            common[v * size + w][1],
        )
        for v in range(size)
        for w in range(v + 1, size)
    ]
    return Comparison(
        story=story_id(versions),
        key=comparison_key(versions),
        versions=tuple(
            Version(
                id=article.id,
                slug=article.slug,
                source=article.source,
                label=labels[v],
                title=article.title,
                fingerprint=article.fingerprint,
                sentences=built[v][0],
                firsts=built[v][1],
            )
            for v, article in enumerate(versions)
        ),
        pairs=tuple(pairs),
        quotes=_quotes(versions, spans, texts, links),
        figures=_figures(versions, texts, refs),
    )


def _pairs(words: list[list[int]], links: dict[Spot, list[Spot]]) -> list[tuple[int, int]]:
    """For each ordered pair (v, w): (words of v in sentences w carries, such sentences).

    ``words[v][n]`` is the number of words of sentence n of version v.
    """
    size = len(words)
    shared = [[0] * size for _ in range(size)]
    count = [[0] * size for _ in range(size)]
    for (v, n), partners in links.items():
        for w in {w for w, _m in partners}:
            shared[v][w] += words[v][n]
            count[v][w] += 1
    return [(shared[v][w], count[v][w]) for v in range(size) for w in range(size)]
