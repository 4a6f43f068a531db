"""Comparing the versions of a story: what they share, what each adds, where figures differ.

``compare_story`` gives a frozen ``Comparison``; ``comparison_text`` its compare.json
(``comparison_json`` the same, parsed); ``annotate_body`` an article body with its sentences
anchored and linked to their counterparts; ``comparison_key`` the key to cache a comparison
under.
"""

from __future__ import annotations

from digest.compare.annotate import annotate_body
from digest.compare.export import comparison_json, comparison_text
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
from digest.compare.story import compare_story, comparison_key

__all__ = [
    "CompareError",
    "Comparison",
    "Figure",
    "Pair",
    "Quote",
    "QuoteForm",
    "Sentence",
    "SentenceRef",
    "Version",
    "annotate_body",
    "compare_story",
    "comparison_json",
    "comparison_key",
    "comparison_text",
]
