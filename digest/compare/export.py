"""``stories/STORY-ID/compare.json``: the comparison in the shape DESIGN.md fixes.

The keys DESIGN.md names come first and keep their meaning; the rest (pairs, only_in,
firsts, each quote's forms, each figure's qualifier) are additions for tools that want them.
"""

from __future__ import annotations

from typing import Any

from digest.compare.model import Comparison, SentenceRef


def _ref(ref: SentenceRef) -> dict[str, Any]:
    return {"version": ref.version, "n": ref.n}


def comparison_json(comparison: Comparison) -> dict[str, Any]:
    """The comparison as plain JSON data, in a stable order."""
    return {
        "story": comparison.story,
        "sentences": [
            {
                "version": sentence.version,
                "n": sentence.n,
                "text": sentence.text,
                "shared_with": list(sentence.shared_with),
                "links": [_ref(ref) for ref in sentence.links],
            }
            for version in comparison.versions
            for sentence in version.sentences
        ],
        "quotes": [
            {
                "text": quote.text,
                "speaker": quote.speaker,
                "versions": list(quote.versions),
                "verbatim": quote.verbatim,
                "forms": [
                    {"version": f.version, "n": f.n, "text": f.text, "verbatim": f.verbatim}
                    for f in quote.forms
                ],
            }
            for quote in comparison.quotes
        ],
        "figures": [
            {
                "value": figure.value,
                "counts": figure.counts,
                "text": figure.text,
                "versions": list(figure.versions),
                "qualifier": figure.qualifier,
                "differs": figure.differs,
                "where": [_ref(ref) for ref in figure.where],
            }
            for figure in comparison.figures
        ],
        "versions": [
            {
                "id": version.id,
                "source": version.source,
                "label": version.label,
                "sentences": len(version.sentences),
                "words": version.words,
                "only_in": [s.n for s in version.only],
                "firsts": list(version.firsts),
            }
            for version in comparison.versions
        ],
        "pairs": [
            {"a": p.a, "b": p.b, "a_share": p.a_share, "b_share": p.b_share}
            for p in comparison.pairs
        ],
    }
