"""Article bodies with anchored sentences, and the story page's comparison section."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from digest import urls
from digest.bodies import Body
from digest.compare import CompareError, annotate, annotate_body, compare_story
from digest.config import SiteConfig
from digest.markdown import RenderedBody
from digest.pages import Page
from digest.render import environment, render_page
from tests.test_compare_seeds import AA, AFP, make_article, seeds

VOID = {"br", "img", "hr", "input", "meta", "link"}


class Structure(HTMLParser):
    """Checks that tags nest, collects ids, headings and the text outside link lists."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.ids: list[str] = []
        self.headings: list[int] = []
        self.text: list[str] = []
        self.nested_links = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.append(str(found["id"]))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "a" and any(t == "a" for t, _ in self.stack):
            self.nested_links += 1
        if tag not in VOID:
            hidden = "s-refs" in (found.get("class") or "") or any(h for _, h in self.stack)
            self.stack.append((tag, hidden))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self.stack and self.stack[-1][0] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not any(hidden for _, hidden in self.stack):
            self.text.append(data)


def structure(html: str) -> Structure:
    parsed = Structure()
    parsed.feed(html)
    parsed.close()
    assert not parsed.stack, f"unclosed: {parsed.stack}"
    return parsed


def solid(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("index", [0, 1])
def test_every_sentence_has_its_anchor_and_the_text_is_unchanged(index: int) -> None:
    versions = seeds()
    comparison = compare_story(versions)
    article = versions[index]
    html = str(annotate_body(article, comparison))
    parsed = structure(html)
    wanted = [f"s-{s.n}" for s in comparison.version(article.id).sentences]
    assert [i for i in parsed.ids if i.startswith("s-")] == wanted
    assert solid("".join(parsed.text)) == solid("".join(structure(article.html).text))
    assert parsed.nested_links == 0


def test_shared_sentences_link_to_their_counterparts() -> None:
    afp, aa = seeds()
    comparison = compare_story([afp, aa])
    html = str(annotate_body(aa, comparison))
    page = urls.article(aa.slug)
    shared = [s for s in comparison.version(AA).sentences if s.links]
    assert shared
    for sentence in shared:
        target = urls.relative(page, urls.article(afp.slug)) + f"#s-{sentence.links[0].n}"
        pattern = (
            rf'<span class="s s-shared" id="s-{sentence.n}">[^<]*</span> '
            rf'<span class="s-refs">.*?<a class="s-ref" href="{re.escape(target)}">'
        )
        assert re.search(pattern, html), sentence.text
    only = [s for s in comparison.version(AA).sentences if not s.links]
    for sentence in only:
        assert f'<span class="s" id="s-{sentence.n}">' in html
    assert html.count('class="s-refs"') == len(shared)
    assert AFP in html


def _pair_with_markup() -> tuple[list[object], str]:
    body = (
        "Putin met [Erdogan near Moscow on Tuesday for long talks.](https://example.org/talks) "
        "They spoke about *the fighting in northwestern Syria* for three hours. "
        'A banner read "<script>alert(1)</script> & friends".\n\n'
        "```\ncode. Not a sentence.\n```\n"
    )
    other = (
        "Putin met Erdogan near Moscow on Tuesday for long talks. "
        "They spoke about the fighting in northwestern Syria for three hours."
    )
    return [make_article("x-1", "AFP", body), make_article("x-2", "Reuters", other)], body


def test_sentences_across_links_and_emphasis_stay_well_formed_and_escaped() -> None:
    versions, _ = _pair_with_markup()
    comparison = compare_story(versions)  # type: ignore[arg-type]
    article = versions[0]
    html = str(annotate_body(article, comparison))  # type: ignore[arg-type]
    parsed = structure(html)
    assert [i for i in parsed.ids if i.startswith("s-")] == ["s-0", "s-1", "s-2"]
    assert parsed.nested_links == 0
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp; friends" in html
    # The sentence inside the link: its span opens in the link's text and the reference to
    # the other version comes only after the link has closed.
    assert re.search(r'talks\.</span></a> <span class="s-refs">.*?#s-0"', html)
    assert "<pre><code>code. Not a sentence.\n</code></pre>" in html
    assert comparison.version("x-1").sentences[0].shared_with == ("x-2",)


def test_anchors_survive_html_that_does_not_match_the_paragraphs() -> None:
    versions = seeds()
    comparison = compare_story(versions)
    first = versions[0]
    body = RenderedBody("<p>Something else entirely.</p>", first.paragraphs)
    odd = dataclasses.replace(first, body=Body.held(first.fingerprint, body))
    html = str(annotate_body(odd, comparison))
    wanted = [f"s-{s.n}" for s in comparison.version(odd.id).sentences]
    assert structure(html).ids == wanted
    assert html.endswith("<p>Something else entirely.</p>")


def test_a_stale_comparison_is_refused() -> None:
    versions = seeds()
    comparison = compare_story(versions)
    changed = dataclasses.replace(versions[0], fingerprint="0" * 64)
    with pytest.raises(CompareError):
        annotate_body(changed, comparison)
    stranger = make_article("stranger", "AFP", "Nothing to do with it.")
    with pytest.raises(CompareError):
        annotate_body(stranger, comparison)


def render_section(tmp_path: Path, versions: tuple[object, ...]) -> str:
    comparison = compare_story(versions)  # type: ignore[arg-type]
    env = environment(tmp_path, SiteConfig())
    context = {"story": None, "versions": versions, "comparison": comparison}
    page = Page(urls.story(comparison.story), "compare.html", context)
    return render_page(env, page).decode("utf-8")


def test_story_section_renders_through_the_site_environment(tmp_path: Path) -> None:
    versions = seeds()
    html = render_section(tmp_path, versions)
    parsed = structure(html)
    assert parsed.headings[0] == 2
    assert all(b - a <= 1 for a, b in zip(parsed.headings, parsed.headings[1:], strict=False))
    assert '<h3 id="only-' in html
    assert ">Only in AFP</h3>" in html and ">Only in Anadolu Agency</h3>" in html
    assert html.count('<th scope="col">') >= 6 and "<caption>" in html
    afp_page = urls.relative(urls.story(compare_story(versions).story), urls.article(AFP))
    assert f'href="{afp_page}#s-' in html
    assert "Versions differ" in html and "370,000" in html
    assert "Vladimir Putin" in html and "verbatim" in html
    for place, version in enumerate(compare_story(versions).versions):
        for sentence in version.sentences:
            assert f'id="v{place}-s-{sentence.n}"' in html


def test_story_section_escapes_content(tmp_path: Path) -> None:
    body = 'He said "<b>bold</b> claims & more" to the crowd. 12 soldiers were killed.'
    versions = (make_article("e-1", "AFP", body), make_article("e-2", "<i>Outlet</i>", body))
    html = render_section(tmp_path, versions)
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<i>Outlet</i>" not in html and "&lt;i&gt;Outlet&lt;/i&gt;" in html
    structure(html)


def test_single_version_says_there_is_nothing_to_compare(tmp_path: Path) -> None:
    html = render_section(tmp_path, (seeds()[0],))
    assert "nothing to compare" in html
    assert "<table" not in html


def _section(html: str, heading: str) -> str:
    """The HTML from the h3 with this text to the next h3."""
    start = html.index(f">{heading}</h3>")
    end = html.find("<h3", start)
    return html[start : end if end != -1 else len(html)]


def test_story_section_shows_the_seed_findings(tmp_path: Path) -> None:
    html = render_section(tmp_path, seeds())
    only_afp = _section(html, "Only in AFP")
    for words in ("observation posts", "S-400", "Su-35", "370,000"):
        assert words in only_afp, words
    only_aa = _section(html, "Only in Anadolu Agency")
    for words in ("500 civilians", "1,200 others", "constitutional committee"):
        assert words in only_aa, words
        assert words not in only_afp
    quotes = _section(html, "Quotes")
    item = quotes[quotes.index("serious concern") :]
    item = item[: item.index("</li>\n    <li>") if "</li>\n    <li>" in item else len(item)]
    assert "Vladimir Putin" in item and "verbatim in all 2 versions" in item
    side = _section(html, "Side by side")
    assert re.search(r'class="shared">.*?additional joint steps', side)
    assert re.search(r'class="shared">.*?September 16', side)


def test_versions_in_another_language_are_marked(tmp_path: Path) -> None:
    afp, aa = seeds()
    html = render_section(tmp_path, (afp, dataclasses.replace(aa, lang="tr")))
    assert ' lang="tr"' in html and "lang=&#34;" not in html
    assert ' lang="en"' not in html


def test_image_alt_text_counts_as_the_sentence_it_is_in() -> None:
    body = "Idlib ![the map of the front line](map.png) was shelled again. Troops moved north."
    article = make_article("img-1", "AFP", body)
    comparison = compare_story([article])
    html = str(annotate_body(article, comparison))
    parsed = structure(html)
    assert parsed.ids == ["s-0", "s-1"]
    assert html.startswith('<p><span class="s" id="s-0">Idlib </span><img src="map.png"')
    assert '/> <span class="s">was shelled again.</span>' in html
    assert '<span class="s" id="s-1">Troops moved north.</span>' in html


BODIES = [
    "Gaza, Aug. 27 — Plain sentence one. Plain sentence two & <three>.\n\n"
    'A second paragraph, which says "more". And ends here.',
    "## A heading of one sentence\n\nA paragraph\nwith a soft break. And a second sentence.",
    "[A whole paragraph that is a link. With two sentences.](https://example.org/a)\n\n"
    "Then *emphasis in* the middle. Then **strong** at the start.",
    "- A list item about the convoy on the road. Shelling hit the town overnight.\n"
    "- Another item.\n\n```\nCode is not counted. Ever.\n```\n\n"
    "After the code, ceasefire talks resumed in Doha. The end.",
    "Before an image ![An alt text. Of two sentences.](/img.png) after it. Last one.",
]


@pytest.mark.parametrize("body", BODIES)
def test_whole_paragraphs_are_written_as_the_character_count_writes_them(
    body: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Most paragraphs are one run of text and skip the counting; the result is the same."""
    other = body + "\n\nA sentence of its own here, in one version only."
    versions = [make_article("w-1", "AFP", body), make_article("w-2", "Reuters", other)]
    comparison = compare_story(versions)
    whole = annotate._Writer._paragraph
    taken: list[bool] = []

    def counting(writer: annotate._Writer, data: str) -> bool:
        taken.append(whole(writer, data))
        return taken[-1]

    monkeypatch.setattr(annotate._Writer, "_paragraph", counting)
    fast = [str(annotate_body(article, comparison)) for article in versions]
    monkeypatch.setattr(annotate._Writer, "_paragraph", lambda writer, data: False)
    counted = [str(annotate_body(article, comparison)) for article in versions]
    assert fast == counted
    assert any(taken)  # some paragraph was written whole...
    assert "s-shared" in fast[0] and "s-ref" in fast[0]  # ...and links to the other version
    for article in versions:  # sentence ranges, counted on from sentence to sentence
        version = comparison.version(article.id)
        before = [solid("".join(article.paragraphs[: s.paragraph])) for s in version.sentences]
        ranges = [
            (len(b) + len(solid(p[: s.start])), len(b) + len(solid(p[: s.end])))
            for b, s in zip(before, version.sentences, strict=True)
            for p in [article.paragraphs[s.paragraph]]
        ]
        assert annotate._ranges(article, version)[0] == ranges


def test_sentences_out_of_order_are_counted_not_written_whole() -> None:
    """Offsets ``sentences.split`` never makes still give every sentence its anchor, and the
    text is written once."""
    body = "Alpha beta gamma. Delta epsilon zeta. Eta theta iota."
    article = make_article("o-1", "AFP", body)
    comparison = compare_story([article])
    version = comparison.version(article.id)
    first, second, third = version.sentences
    shuffled = dataclasses.replace(
        version,
        sentences=(dataclasses.replace(second, n=0), dataclasses.replace(first, n=1), third),
    )
    odd = dataclasses.replace(comparison, versions=(shuffled,))
    html = str(annotate_body(article, odd))
    parsed = structure(html)
    assert sorted(i for i in parsed.ids if i.startswith("s-")) == ["s-0", "s-1", "s-2"]
    assert solid("".join(parsed.text)) == solid(body)
