"""The story page's side-by-side columns, written in Python rather than in the template.

A story of eight versions has hundreds of shared sentences, each linking to its counterpart
in every other version: thousands of links on one page. Built by a template loop that is
most of the build's rendering time; built here it is a few string joins. Anchors are short
(``v2-s-14``: the version's place in publication order, the sentence's number) because they
are written once per link.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from html import escape

from markupsafe import Markup

from digest import urls
from digest.compare.model import Comparison, Sentence


def _lang(lang: str, site_lang: str) -> str:
    return f' lang="{escape(lang)}"' if lang and lang != site_lang else ""


def _refs(sentence: Sentence, places: Mapping[str, int], labels: Mapping[str, str]) -> str:
    """One link per other version carrying the sentence, to its first counterpart there."""
    first: dict[str, int] = {}
    for ref in sentence.links:
        first.setdefault(ref.version, ref.n)
    links = " ".join(
        f'<a class="s-ref" href="#v{places[version]}-s-{n}">{labels[version]}</a>'
        for version, n in first.items()
    )
    return f' <span class="s-refs">{links}</span>'


def side_by_side(
    comparison: Comparison,
    langs: Mapping[str, str],
    site_lang: str,
    link: Callable[[str], str],
) -> Markup:
    """Every version's sentences in a column, shared ones marked and linked across columns.

    ``langs`` maps a version's article id to its language, ``link`` turns a site path into
    an href from the page being rendered.
    """
    places = {version.id: place for place, version in enumerate(comparison.versions)}
    labels = {version.id: escape(version.label) for version in comparison.versions}
    out = ['<div class="compare-columns">']
    for place, version in enumerate(comparison.versions):
        href = escape(link(urls.article(version.slug)))
        out.append(
            f'<section class="compare-column" aria-labelledby="v{place}"'
            f"{_lang(langs.get(version.id, ''), site_lang)}>"
            f'<h4 id="v{place}"><a href="{href}">{labels[version.id]}</a></h4>'
            '<ol class="compare-sentences">'
        )
        for sentence in version.sentences:
            text = escape(sentence.text, quote=False)
            if sentence.links:
                out.append(
                    f'<li id="v{place}-s-{sentence.n}" class="shared">'
                    f'<span class="visually-hidden">Shared: </span>{text}'
                    f"{_refs(sentence, places, labels)}</li>"
                )
            else:
                out.append(f'<li id="v{place}-s-{sentence.n}">{text}</li>')
        out.append("</ol></section>")
    out.append("</div>")
    return Markup("\n".join(out))
