"""The link checker: a clean build has no problem; each planted fault is named as
``page -> target``, and the content is validated too."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from digest.build import build
from digest.check import check_output, check_site, scan_html
from digest.errors import Problem
from tests.conftest import article, write_site

BASE = "https://example.github.io/repo/"
FILES = {
    "content/afp-idlib.md": article(
        "Russia, Turkey share concerns", "2019-08-27", "AFP", story="idlib", places="[Idlib]"
    ),
    "content/aa-idlib.md": article(
        "Erdoğan and Putin discuss Idlib", "2019-08-28", "Anadolu Agency", story="idlib"
    ),
    "content/geneva.md": article("Talks open in Geneva", "2019-08-26", "Reuters", story="geneva"),
}
PAGE = "articles/afp-idlib/index.html"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = write_site(tmp_path_factory.mktemp("check") / "site", FILES)
    build(site, base_url=BASE)
    return site


@pytest.fixture
def site(pristine: Path, tmp_path: Path) -> Path:
    """A fresh copy of the built site, free to break."""
    return Path(shutil.copytree(pristine, tmp_path / "site"))


def plant(site: Path, page: str, html: str, before: str = "</main>") -> None:
    path = site / "public" / page
    text = path.read_text(encoding="utf-8")
    assert before in text
    path.write_text(text.replace(before, html + before, 1), encoding="utf-8")


def named(problems: list[Problem]) -> list[str]:
    """Each problem's 'page -> target' (its path), in order."""
    return [p.path for p in problems]


def test_a_clean_build_has_no_problem(site: Path) -> None:
    assert check_site(site, site / "public", base_url=BASE) == []
    assert check_output(site / "public") == []  # the base URL is read from the home page


def test_broken_link_is_named_page_to_target(site: Path) -> None:
    plant(site, PAGE, '<a href="../../stories/nope/index.html">gone</a>')
    problems = check_site(site, site / "public", base_url=BASE)
    assert named(problems) == [f"{PAGE} -> ../../stories/nope/index.html"]
    assert "no such file" in problems[0].message
    assert str(problems[0]).startswith(f"{PAGE} -> ../../stories/nope/index.html: line ")


def test_missing_anchor_on_another_page_and_on_the_same_page(site: Path) -> None:
    plant(
        site,
        PAGE,
        '<a href="../../index.html#nope">a</a><a href="#gone">b</a><a href="#main">c</a>',
    )
    problems = check_site(site, site / "public", base_url=BASE)
    assert named(problems) == [f"{PAGE} -> #gone", f"{PAGE} -> ../../index.html#nope"]
    assert "'gone'" in problems[0].message and "this page" in problems[0].message
    assert "'nope'" in problems[1].message and "index.html" in problems[1].message


def test_existing_anchor_on_another_page_passes(site: Path) -> None:
    ids = scan_html((site / "public" / "index.html").read_text(encoding="utf-8")).ids
    assert "main" in ids
    plant(site, PAGE, '<a href="../../index.html#main">home</a>')
    assert check_site(site, site / "public", base_url=BASE) == []


def test_remote_assets_are_errors_but_external_links_are_not(site: Path) -> None:
    plant(
        site,
        PAGE,
        '<a href="https://example.org/elsewhere">fine</a>'
        '<img src="https://cdn.example.com/x.png" alt="">'
        '<img srcset="//cdn.example.com/y.png 2x, ../../static/none.png 1x" alt="">'
        '<link rel="stylesheet" href="https://fonts.example.com/f.css">',
    )
    problems = check_site(site, site / "public", base_url=BASE)
    assert named(problems) == [
        f"{PAGE} -> ../../static/none.png",
        f"{PAGE} -> //cdn.example.com/y.png",
        f"{PAGE} -> https://cdn.example.com/x.png",
        f"{PAGE} -> https://fonts.example.com/f.css",
    ]
    assert [p.message.split(": ", 1)[1] for p in problems[1:]] == ["loads from another host"] * 3


def test_links_that_break_opened_from_disk_or_under_a_sub_path(site: Path) -> None:
    plant(
        site,
        PAGE,
        '<a href="../../stories/idlib/">folder</a>'
        '<a href="/static/style.css">root</a>'
        f'<a href="{BASE}days/index.html">absolute</a>'
        '<a href="../../../outside.html">out</a>',
    )
    problems = check_site(site, site / "public", base_url=BASE)
    by_target = {p.path.split(" -> ")[1]: p for p in problems}
    assert len(problems) == 4
    assert "listing" in by_target["../../stories/idlib/"].message
    assert by_target["../../stories/idlib/"].hint == "link to idlib/index.html"
    assert "sub-path" in by_target["/static/style.css"].message
    assert "opened from disk" in by_target[f"{BASE}days/index.html"].message
    assert "outside the site" in by_target["../../../outside.html"].message


def test_canonical_feed_and_sitemap_urls_must_start_with_the_base_url(site: Path) -> None:
    public = site / "public"
    for name in ("feed.xml", "sitemap.xml", PAGE):
        path = public / name
        old = f"{BASE}stories/idlib/" if name != PAGE else f"{BASE}articles/afp-idlib/"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, old.replace("/repo/", "/other/")), encoding="utf-8")
    problems = check_site(site, public, base_url=BASE)
    wrong = "https://example.github.io/other/"
    assert sorted(set(named(problems))) == [
        f"{PAGE} -> {wrong}articles/afp-idlib/",
        f"feed.xml -> {wrong}stories/idlib/",
        f"sitemap.xml -> {wrong}stories/idlib/",
    ]
    assert all("does not start with" in p.message or "outside" in p.message for p in problems)


def test_a_canonical_url_naming_another_page_is_wrong(site: Path) -> None:
    path = site / "public" / PAGE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"{BASE}articles/afp-idlib/", f"{BASE}stories/idlib/"))
    problems = check_site(site, site / "public", base_url=BASE)
    assert named(problems) == [f"{PAGE} -> {BASE}stories/idlib/"] * 2  # canonical and og:url
    assert f"this page's URL is {BASE}articles/afp-idlib/" in problems[0].message


def test_404_page_must_link_absolutely(site: Path) -> None:
    plant(site, "404.html", '<a href="days/index.html">relative</a>')
    plant(site, "404.html", f'<a href="{BASE}stories/nope/">missing</a>')
    problems = check_site(site, site / "public", base_url=BASE)
    assert named(problems) == ["404.html -> days/index.html", f"404.html -> {BASE}stories/nope/"]
    assert "any depth" in problems[0].message


def test_style_sheet_urls_are_assets(site: Path) -> None:
    css = site / "public" / "static" / "style.css"
    css.write_text(
        css.read_text(encoding="utf-8") + '\nbody { background: url("missing.png"); }\n'
        "@import 'https://fonts.example.com/a.css';\n",
        encoding="utf-8",
    )
    problems = check_site(site, site / "public", base_url=BASE)
    assert named(problems) == [
        "static/style.css -> https://fonts.example.com/a.css",
        "static/style.css -> missing.png",
    ]


def test_duplicate_ids_are_reported_with_their_line(site: Path) -> None:
    plant(site, PAGE, '<p id="main">again</p>')
    problems = check_site(site, site / "public", base_url=BASE)
    assert [(p.path, p.message) for p in problems] == [(PAGE, "id 'main' is used twice")]
    assert problems[0].line is not None


def test_invalid_content_is_reported_with_file_and_line(site: Path) -> None:
    (site / "content" / "broken.md").write_text("---\ntitle: x\n---\nBody.\n", encoding="utf-8")
    problems = check_site(site, site / "public", base_url=BASE)
    assert problems and all(p.path == "content/broken.md" for p in problems)
    assert all(p.line is not None for p in problems)


def test_output_older_than_the_content(site: Path) -> None:
    (site / "content" / "new.md").write_text(
        article("A new story", "2019-09-01", "BBC", story="new-one"), encoding="utf-8"
    )
    shutil.rmtree(site / "public" / "stories" / "geneva")
    problems = check_site(site, site / "public", base_url=BASE)
    paths = named(problems)
    assert "stories/new-one/index.html" in paths
    assert "articles/new/index.html" in paths
    assert "stories/geneva/index.html" in paths
    # the pages that link to the deleted story are named too, and so are the feed and sitemap
    assert "articles/geneva/index.html -> ../../stories/geneva/index.html" in paths
    assert f"sitemap.xml -> {BASE}stories/geneva/" in paths
    assert "stories.json -> stories/geneva/" in paths


def test_missing_feed_with_a_base_url_and_unbuilt_site(site: Path, tmp_path: Path) -> None:
    (site / "public" / "feed.xml").unlink()
    paths = named(check_site(site, site / "public", base_url=BASE))
    assert "feed.xml" in paths  # missing, and so every page's link to it is broken
    assert all(p.endswith("feed.xml") for p in paths) and len(paths) > 1
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "not built" in check_site(site, empty, base_url=BASE)[0].message


def test_ill_formed_feed(site: Path) -> None:
    (site / "public" / "sitemap.xml").write_text("<urlset><url>", encoding="utf-8")
    problems = check_site(site, site / "public", base_url=BASE)
    assert named(problems) == ["sitemap.xml"]
    assert "not well-formed" in problems[0].message


def test_scanner_reads_ids_and_references_with_lines() -> None:
    page = scan_html(
        '<html>\n<a name="top"></a>\n<img src="a.png" srcset="b.png 1x, c.png 2x">\n'
        '<video poster="p.jpg"><source src="v.mp4"></video>\n'
        '<p style="background:url(\'s.png\')" id="x">&amp;</p>\n'
        '<a href="q.html?x=1&amp;y=2#x">q</a>\n'
    )
    assert page.ids == {"top", "x"}
    assert [(r.line, r.url, r.kind) for r in page.refs] == [
        (3, "a.png", "asset"),
        (3, "b.png", "asset"),
        (3, "c.png", "asset"),
        (4, "p.jpg", "asset"),
        (4, "v.mp4", "asset"),
        (5, "s.png", "asset"),
        (6, "q.html?x=1&y=2#x", "link"),
    ]
