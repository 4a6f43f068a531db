"""The theme, checked on the built fixture site without a browser: landmarks, heading order,
languages, the skip link, nothing loaded from another host; and the search index."""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pytest

from digest import search, urls
from digest.build import build
from digest.result import BuildResult
from tests.conftest import REPO, article, write_site

BASIC = REPO / "tests" / "sites" / "basic"
# Kinds of element whose URL the browser loads by itself (links are followed only on a click).
LOADS = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "track": ("src",),
}
LOADED_LINK_RELS = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "prefetch"}
EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


@dataclasses.dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""


class Page(HTMLParser):
    """A built page's elements in document order, each with the text inside it."""

    VOID: ClassVar[set[str]] = {
        "meta",
        "link",
        "img",
        "br",
        "hr",
        "input",
        "source",
        "track",
        "wbr",
        "embed",
    }

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.open: list[Element] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(element)
        if tag not in self.VOID:
            self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for n in range(len(self.open) - 1, -1, -1):
            if self.open[n].tag == tag:
                del self.open[n:]
                return

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element.text += data

    def all(self, tag: str, **attrs: str) -> list[Element]:
        return [
            e
            for e in self.elements
            if e.tag == tag and all(e.attrs.get(k) == v for k, v in attrs.items())
        ]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Path]:
    """The basic fixture site, copied (a build may keep a cache in its site) and built."""
    folder = tmp_path_factory.mktemp("theme")
    shutil.copytree(BASIC, folder / "site")
    result = build(folder / "site", folder / "out")
    assert result.model is not None
    return result, folder / "out"


@pytest.fixture(scope="module")
def pages(built: tuple[BuildResult, Path]) -> dict[str, Page]:
    output = built[1]
    return {
        p.relative_to(output).as_posix(): Page(p.read_text(encoding="utf-8"))
        for p in sorted(output.rglob("*.html"))
    }


def test_every_page_has_lang_landmarks_and_a_skip_link_first(pages: dict[str, Page]) -> None:
    assert len(pages) > 30
    for path, page in pages.items():
        assert page.all("html")[0].attrs.get("lang") == "en", path
        mains = page.all("main")
        assert len(mains) == 1 and mains[0].attrs.get("id") == "main", path
        assert len(page.all("header", **{"class": "site-header"})) == 1, path
        assert len(page.all("footer")) == 1, path
        assert page.all("nav", **{"aria-label": "Site"}), path
        first_link = page.all("a")[0]
        assert first_link.attrs.get("href") == "#main", path
        assert "skip" in first_link.text.lower(), path


def test_headings_start_at_h1_and_skip_no_level(pages: dict[str, Page]) -> None:
    for path, page in pages.items():
        levels = [int(e.tag[1]) for e in page.elements if re.fullmatch(r"h[1-6]", e.tag)]
        assert levels and levels[0] == 1, (path, levels)
        assert levels.count(1) == 1, (path, levels)
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, (path, levels)


def test_nothing_is_loaded_from_another_host(
    pages: dict[str, Page], built: tuple[BuildResult, Path]
) -> None:
    model = built[0].model
    assert model is not None
    own = model.config.base_url  # 404.html links absolutely, to the site itself

    def elsewhere(url: str) -> bool:
        return bool(EXTERNAL.match(url)) and not (own and url.startswith(own))

    for path, page in pages.items():
        for element in page.elements:
            for attribute in LOADS.get(element.tag, ()):
                assert not elsewhere(element.attrs.get(attribute, "")), (path, element)
            rels = set(element.attrs.get("rel", "").lower().split())
            if element.tag == "link" and rels & LOADED_LINK_RELS:
                assert not elsewhere(element.attrs["href"]), (path, element)
            assert "url(" not in element.attrs.get("style", ""), (path, element)
        assert not page.all("style"), path
    for asset in sorted((built[1] / "static").iterdir()):
        text = asset.read_text(encoding="utf-8")
        assert "@import" not in text, asset.name
        assert not re.search(r"https?:|url\(\s*['\"]?//", text), asset.name


def test_images_have_alt_text(pages: dict[str, Page]) -> None:
    for path, page in pages.items():
        for image in page.all("img"):
            assert "alt" in image.attrs, (path, image)


def test_only_the_search_page_has_a_script(pages: dict[str, Page]) -> None:
    with_script = sorted(path for path, page in pages.items() if page.all("script"))
    assert with_script == ["search/index.html"]
    script = pages["search/index.html"].all("script")[0]
    assert script.attrs["src"] == urls.relative("search/", "static/search.js")


def test_search_page_without_javascript_says_so_and_offers_the_lists(
    pages: dict[str, Page],
) -> None:
    page = pages["search/index.html"]
    notice = page.all("div", id="search-nojs")[0]
    assert "hidden" not in notice.attrs
    assert "needs JavaScript" in notice.text
    links = {a.attrs["href"] for a in page.all("a")}
    for folder in ("sources/", "places/", "days/"):
        assert urls.relative("search/", folder) in links
    # search.js finds the index and the pages from these, on disk or under any path.
    form = page.all("form", id="search-form")[0]
    assert form.attrs["data-index"] == urls.relative("search/", "search/meta.js")
    assert form.attrs["data-root"] == urls.relative("search/", "")


def test_text_in_another_language_carries_its_lang(pages: dict[str, Page]) -> None:
    """The Ukrinform version is lang: uk on an English site."""
    article_page = pages["articles/ukr-2019-09-01-kyiv/index.html"]
    assert "Shelling reported" in article_page.all("h1", lang="uk")[0].text
    assert "Обстріл" in article_page.all("div", lang="uk")[0].text
    story_page = pages["stories/ukr-2019-09-01-kyiv/index.html"]
    assert "Shelling reported" in story_page.all("h1", lang="uk")[0].text
    assert "Обстріл" in story_page.all("p", lang="uk")[0].text
    outlet = pages["sources/ukrinform/index.html"]
    assert "Shelling reported" in outlet.all("a", lang="uk")[0].text
    # Text in the site's own language gets no lang of its own.
    afp = pages["articles/afp-2019-08-27-idlib/index.html"]
    assert not [e for e in afp.elements if "lang" in e.attrs and e.tag != "html"]


def test_story_cards_carry_their_language(pages: dict[str, Page]) -> None:
    home = pages["index.html"]
    titles = [e for e in home.elements if "card-title" in e.attrs.get("class", "")]
    kyiv = [e for e in titles if "Shelling" in e.text]
    assert kyiv and kyiv[0].attrs.get("lang") == "uk"
    summaries = [e for e in home.elements if e.attrs.get("class") == "card-summary"]
    assert [e.attrs.get("lang") for e in summaries if "Обстріл" in e.text] == ["uk"]


def test_navigation_marks_the_current_section(pages: dict[str, Page]) -> None:
    def current(path: str) -> list[str]:
        return [a.text for a in pages[path].all("a") if "aria-current" in a.attrs]

    assert current("index.html") == ["Latest"]
    assert current("days/2019-08-27/index.html") == ["Days"]
    assert current("places/idlib/index.html")[0] == "Places"
    assert current("search/index.html")[0] == "Search"


def test_day_pages_link_to_the_previous_and_next_day(pages: dict[str, Page]) -> None:
    page = pages["days/2019-08-28/index.html"]
    rels = {a.attrs.get("rel"): a.attrs["href"] for a in page.all("a") if a.attrs.get("rel")}
    here = "days/2019-08-28/"
    assert rels == {
        "prev": urls.relative(here, "days/2019-08-27/"),
        "next": urls.relative(here, "days/2019-08-29/"),
    }


# The search index --------------------------------------------------------------------------


def load_index(output: Path) -> dict[str, object]:
    """Read the index files as search.js does: each calls digestSearch.load(kind, key, data)."""
    found: dict[str, object] = {"docs": {}, "terms": {}}
    call = re.compile(r'^digestSearch\.load\("(\w+)",(null|\d+|"[^"]*"),(.*)\);\n$', re.DOTALL)
    for path in sorted((output / "search").glob("*.js")):
        match = call.match(path.read_text(encoding="utf-8"))
        assert match, path.name
        kind, key, data = match[1], json.loads(match[2]), json.loads(match[3])
        if kind == "meta":
            found["meta"] = data
        else:
            found[kind][key] = data  # type: ignore[index]
    return found


def test_words_fold_case_and_accents_and_drop_single_letters() -> None:
    assert search.words("Erdoğan's İdlib, 370,000 — Києва!") == [
        "erdogan",
        "idlib",
        "370",
        "000",
        "києва",
    ]
    assert search.words("x" * 40) == ["x" * search.MAX_WORD]


def test_postings_round_trip() -> None:
    # document 0 strong, 3 weak, 4 strong, 1000 weak: codes are number * 2 + strong
    codes = [1, 6, 9, 2000]
    assert search.encode(codes) == "1,6,3,1jc"
    assert search.decode(search.encode(codes)) == codes


def test_index_files_find_the_idlib_story(built: tuple[BuildResult, Path]) -> None:
    model, output = built[0].model, built[1]
    assert model is not None
    files = dict(search.search_files(model))
    assert set(files) == {"search/meta.js", "search/docs-0.js", "search/terms.js"}
    for name, data in files.items():
        assert (output / name).read_bytes() == data, f"{name}: build did not write the index"
    index = load_index(output)
    meta = index["meta"]
    assert isinstance(meta, dict) and meta["docs"] == 5 and meta["shards"] == {"": "terms.js"}
    rows = index["docs"][0]  # type: ignore[index]
    hits = search.decode(index["terms"][""]["idlib"])  # type: ignore[index]
    found = {rows[code // 2][0]: bool(code % 2) for code in hits}
    assert found == {
        "afp-2019-08-27-idlib": True,
        "aa-2019-08-27-idlib": True,
        "reuters-2019-08-28-idlib": True,
    }
    afp = next(r for r in rows if r[0] == "afp-2019-08-27-idlib")
    assert afp[2:5] == ["AFP", "2019-08-27", "idlib-putin-erdogan"]
    kyiv = next(r for r in rows if r[0] == "ukr-2019-09-01-kyiv")
    assert kyiv[6] == "uk"
    # A word only in a body paragraph is found too, as a weak hit.
    troops = search.decode(index["terms"][""]["troops"])  # type: ignore[index]
    assert [rows[code // 2][0] for code in troops] == ["afp-2019-08-27-idlib"]
    assert [code % 2 for code in troops] == [0]


def test_shards_split_by_prefix_and_keep_every_term_findable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(search, "SHARD_LIMIT", 60)
    terms = {w: "1" for w in ["id", "idle", "idlib", "idol", "iran", "kyiv", "ka", "zed", "idl"]}
    shards = search.shard(terms)
    keys = [key for key, _ in shards]
    assert len(keys) == len(set(keys)) > 1
    assert all(len(key) <= search.MAX_PREFIX for key in keys)
    seen: dict[str, str] = {}
    for key, part in shards:
        for term in part:
            # The shard of a term is the one whose key is its longest prefix among the keys.
            longest = max((k for k in keys if term.startswith(k)), key=len)
            assert longest == key, term
            seen[term] = part[term]
    assert seen == terms
    assert search.shard_file("") == "terms.js"
    assert search.shard_file("idl") == "terms-idl.js"
    assert search.shard_file("кі") == "terms-_43a__456_.js"


def test_common_words_are_dropped_on_big_sites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        f"content/a{n}.md": article(
            f"Report {n} from Idlib", f"2019-08-{n + 1:02d}", "AFP", f"Body {n} near Idlib."
        )
        for n in range(6)
    }
    files["content/other.md"] = article("Kyiv", "2019-08-10", "AFP", "Elsewhere.")
    site = write_site(tmp_path / "site", files)
    model = build(site, tmp_path / "out").model
    assert model is not None
    monkeypatch.setattr(search, "COMMON_MIN_DOCS", 5)
    index = load_index_from(dict(search.search_files(model)), tmp_path / "idx")
    meta = index["meta"]
    assert isinstance(meta, dict)
    # "idlib", "report", "afp" are in 6 or 7 of 7 documents (> 40 %): left out, listed.
    assert {"afp", "idlib", "report"} <= set(meta["common"])
    assert "idlib" not in index["terms"][""]  # type: ignore[index]
    assert "kyiv" in index["terms"][""]  # type: ignore[index]


def load_index_from(files: dict[str, bytes], folder: Path) -> dict[str, object]:
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return load_index(folder)


def test_index_bytes_do_not_depend_on_the_build(built: tuple[BuildResult, Path]) -> None:
    model = built[0].model
    assert model is not None
    assert list(search.search_files(model)) == list(search.search_files(model))
