"""compare.json's text: the shape DESIGN.md gives, written without building each sentence's
dictionary, must be what json would write from those dictionaries."""

from __future__ import annotations

import json
from typing import Any

import pytest

from digest.compare import Comparison, compare_story, comparison_json, comparison_text
from digest.compare.export import _the_rest
from digest.jsontext import inline_json
from tests.test_compare_seeds import make_article, seeds

# Texts json escapes, or digest.jsontext does, in the sentences that are written as text.
AWKWARD = [
    'The minister said "we will not retreat" \\ and left. The talks ended in Ankara today.',
    "A note read </script><script>alert(1)</script> & more. The talks ended in Ankara today.",
    "Lignes\u2028séparées et\u2029paragraphes à Genève. The talks ended in Ankara today.",
    "Tab\there and a bell \x07 too, in Idlib. The talks ended in Ankara today.",
    "قال المتحدث إن المحادثات انتهت. The talks ended in Ankara today.",
]


def expected(comparison: Comparison) -> dict[str, Any]:
    """compare.json as dictionaries: the sentences field by field as DESIGN.md and digest's
    additions describe them, then the rest, which is built as data and dumped."""
    return {
        "story": comparison.story,
        "sentences": [
            {
                "version": s.version,
                "n": s.n,
                "text": s.text,
                "shared_with": list(s.shared_with),
                "links": [{"version": r.version, "n": r.n} for r in s.links],
            }
            for v in comparison.versions
            for s in v.sentences
        ],
        **_the_rest(comparison),
    }


def awkward() -> Comparison:
    versions = [
        make_article(f"v-{n}", source, " ".join(AWKWARD[n:] + AWKWARD[:n]))
        for n, source in enumerate(["AFP", "Reuters", "AP \u00e9dition"])
    ]
    versions.append(make_article("v-alone", "Anadolu", "Nothing here is in another version."))
    return compare_story(versions)


@pytest.mark.parametrize(
    "make", [lambda: compare_story(seeds()), awkward], ids=["seeds", "awkward"]
)
def test_compare_json_is_what_json_writes_from_the_dictionaries(make: Any) -> None:
    comparison = make()
    assert any(s.links for v in comparison.versions for s in v.sentences)
    assert any(not s.links for v in comparison.versions for s in v.sentences)
    text = comparison_text(comparison)
    assert text == inline_json(expected(comparison))
    assert comparison_json(comparison) == json.loads(json.dumps(expected(comparison)))


def test_compare_json_is_one_line_that_cannot_end_a_script() -> None:
    text = comparison_text(awkward())
    assert "\n" not in text and "\u2028" not in text and "\u2029" not in text
    assert "<" not in text and ">" not in text and "&" not in text
    parsed = json.loads(text)
    assert any("</script>" in row["text"] for row in parsed["sentences"])
    assert any("\u2028" in row["text"] for row in parsed["sentences"])
