"""``stories/STORY-ID/compare.json``: the comparison in the shape DESIGN.md fixes.

The keys DESIGN.md names come first and keep their meaning; the rest (pairs, only_in,
firsts, each quote's forms, each figure's qualifier) are additions for tools that want them.

The sentences, nearly all of the file, are written as text: building a dictionary for each
sentence and each of its links, then encoding them, took two to three times as long.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # json's own (C) string encoder, as dumps uses it
from typing import Any

from digest.compare.model import Comparison, SentenceRef
from digest.jsontext import compact_json, safe_json


def _ref(ref: SentenceRef) -> dict[str, Any]:
    return {"version": ref.version, "n": ref.n}


def comparison_text(comparison: Comparison) -> str:
    """compare.json's text: one line of JSON, safe inside HTML (see digest.jsontext)."""
    rest = compact_json(_the_rest(comparison))
    story = encode_basestring(comparison.story)
    return safe_json(f'{{"story":{story},"sentences":[{_sentences(comparison)}],{rest[1:]}')


def _sentences(comparison: Comparison) -> str:
    """The sentences, each as its dictionary would be written, comma-separated."""
    # Each version id is encoded once, and each link once (a sentence is linked to from
    # every other version that carries it).
    ids = _Encoded()
    written: dict[tuple[str, int], str] = {}
    out = []
    for version in comparison.versions:
        for one in version.sentences:
            head = f'{{"version":{ids[one.version]},"n":{one.n},"text":'
            text = encode_basestring(one.text)
            if not one.links:
                out.append(f'{head}{text},"shared_with":[],"links":[]}}')
                continue
            links = []
            for ref in one.links:
                key = (ref.version, ref.n)
                link = written.get(key)
                if link is None:
                    link = written[key] = f'{{"version":{ids[ref.version]},"n":{ref.n}}}'
                links.append(link)
            shared = ",".join([ids[v] for v in dict.fromkeys([ref.version for ref in one.links])])
            out.append(f'{head}{text},"shared_with":[{shared}],"links":[{",".join(links)}]}}')
    return ",".join(out)


class _Encoded(dict[str, str]):
    """A string -> the same string as JSON, encoded when first asked for."""

    def __missing__(self, key: str) -> str:
        value = self[key] = encode_basestring(key)
        return value


def comparison_json(comparison: Comparison) -> dict[str, Any]:
    """The comparison as plain JSON data, in a stable order: compare.json, read back."""
    data: dict[str, Any] = json.loads(comparison_text(comparison))
    return data


def _the_rest(comparison: Comparison) -> dict[str, Any]:
    """Everything after the sentences, in the file's order."""
    return {
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
