"""The built fixture site in headless Chromium, as a reader uses it: clicking through a
story's versions, searching, the keyboard alone, axe-core, a phone-sized screen.

The site is served under /repo/ (as GitHub Pages serves a project) from a local server on
127.0.0.1, and opened from disk for search. Screenshots go to artifacts/screenshots/.
Without /usr/bin/chromium or node_modules/axe-core (`npm ci`) the tests skip, saying why,
unless CI is set: there they fail.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from digest.build import build
from tests.conftest import REPO

pytestmark = pytest.mark.browser

BASIC = REPO / "tests" / "sites" / "basic"
CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "artifacts" / "screenshots"
PHONE = 375
IDLIB_STORY = "stories/idlib-putin-erdogan/"
# Pages axe-core and the screenshots cover: home, a day, a story, a version (and search).
PAGES = {
    "home": "",
    "day": "days/2019-08-27/",
    "story": IDLIB_STORY,
    "article": "articles/afp-2019-08-27-idlib/",
    "search": "search/?q=idlib",
}
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def need(present: bool, why: str) -> None:
    """Skip when a tool is missing, but fail under CI, where .ci/run must have installed it."""
    if present:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{why} (CI is set, so this fails instead of skipping)")
    pytest.skip(why)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site built into .../repo/, a folder named as a Pages project path."""
    folder = tmp_path_factory.mktemp("served")
    shutil.copytree(BASIC, folder / "site")  # a build may keep a cache in its site
    build(folder / "site", folder / "www" / "repo")
    return folder / "www" / "repo"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    """http://127.0.0.1:PORT/repo/ on a free port, served from a thread."""
    handler = functools.partial(QuietHandler, directory=str(site.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{site.name}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    need(CHROMIUM.exists(), f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "playwright is not installed (pip install -e '.[dev]')")
        raise
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh desktop-sized page that fails the test on any script error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    one = context.new_page()
    errors: list[str] = []
    one.on("pageerror", lambda error: errors.append(str(error)))
    yield one
    context.close()
    assert not errors, errors


def screenshot(page: Any, name: str) -> None:
    """Save the whole page for a person to look at (artifacts/ is git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def url(base: str, path: str) -> str:
    """The address of a site path, naming index.html as the site's own links do."""
    path, _, query = path.partition("?")
    return (
        base
        + path
        + ("index.html" if path == "" or path.endswith("/") else "")
        + ("?" + query if query else "")
    )


def test_reader_clicks_from_home_to_a_story_and_between_its_versions(
    page: Any, base_url: str
) -> None:
    page.goto(url(base_url, ""))
    assert page.locator("h1").inner_text() == "Golden digest"
    # The Idlib story is older than a page of stories: the reader goes to the older ones.
    page.get_by_role("link", name="Older stories").click()
    page.locator(".card-title a", has_text="serious concerns").click()
    assert page.url == url(base_url, IDLIB_STORY)
    assert "3 versions" in page.locator(".kicker").text_content()
    page.get_by_role("link", name="Read the AFP version").click()
    assert page.url == url(base_url, "articles/afp-2019-08-27-idlib/")
    assert page.locator("h1").inner_text().startswith("Russia, Turkey share")
    others = page.locator(".siblings li a")
    assert others.count() == 2
    others.filter(has_text="Turkey, Russia voice concern over Idlib").click()
    assert page.url == url(base_url, "articles/aa-2019-08-27-idlib/")
    assert page.locator("h1").inner_text() == "Turkey, Russia voice concern over Idlib"
    assert page.locator(".kicker a").text_content() == "Anadolu Agency"


def search_for(page: Any, words: str) -> Any:
    """Type a query and wait until its results are shown (aria-busy is off again)."""
    page.get_by_label("Words from a headline").fill(words)
    page.locator("#search-results:not([aria-busy])").wait_for(state="attached")
    return page.locator(".search-result")


def test_searching_idlib_finds_the_idlib_story_with_its_outlets_and_dates(
    page: Any, base_url: str
) -> None:
    page.goto(url(base_url, ""))
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Search").click()
    # The script hides the no-script notice once it runs: wait for it, then look.
    page.locator("#search-nojs").wait_for(state="hidden")
    assert not page.locator("#search-nojs").is_visible()
    results = search_for(page, "Idlib")
    assert results.count() == 1
    story = results.first.locator("h2 a")
    assert "serious concerns" in story.inner_text()
    versions = results.first.locator(".search-versions li")
    assert versions.count() == 3
    assert "AFP · 27 August 2019" in versions.nth(0).inner_text()
    assert "Reuters · 28 August 2019" in versions.nth(2).inner_text()
    story.click()
    assert page.url == url(base_url, IDLIB_STORY)


def test_search_matches_the_start_of_a_word_and_every_word(page: Any, base_url: str) -> None:
    page.goto(url(base_url, "search/"))
    assert "serious concerns" in search_for(page, "idl").first.inner_text()
    assert "versions in 1 story" in page.locator("#search-status").inner_text()
    results = search_for(page, "Erdoğan troops")  # a name with its accent, a word of the text
    assert results.count() == 1
    assert results.first.locator(".search-versions li").count() == 1
    assert search_for(page, "Idlib earthquake").count() == 0
    assert page.locator("#search-status").inner_text().startswith("Nothing found")


def test_search_works_on_the_site_opened_from_disk(page: Any, site: Path) -> None:
    page.goto((site / "search" / "index.html").as_uri() + "?q=Kyiv")
    page.locator(".search-result").first.wait_for()
    link = page.locator(".search-versions a")
    assert link.get_attribute("lang") == "uk"
    link.click()
    assert page.url == (site / "articles" / "ukr-2019-09-01-kyiv" / "index.html").as_uri()


def test_search_page_without_javascript_offers_the_lists(browser: Any, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(url(base_url, "search/"))
        notice = page.locator("#search-nojs")
        assert notice.is_visible()
        assert "needs JavaScript" in notice.inner_text()
        notice.get_by_role("link", name="by place").click()
        assert page.url == url(base_url, "places/")
    finally:
        context.close()


def test_keyboard_alone_reaches_every_link_of_the_story_page(page: Any, base_url: str) -> None:
    page.goto(url(base_url, IDLIB_STORY))
    # Collapsed sections open from their summary, itself a tab stop; open them all here.
    count = page.evaluate(
        """() => {
            document.querySelectorAll('details').forEach((d) => { d.open = true; });
            const links = [...document.querySelectorAll('a[href]')];
            links.forEach((a, n) => a.setAttribute('data-tab-check', String(n)));
            return links.length;
        }"""
    )
    assert count > 15
    reached: set[str] = set()
    for _ in range(count * 2 + 20):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const a = document.activeElement;
                const style = getComputedStyle(a);
                return [a.getAttribute('data-tab-check'), style.outlineStyle, style.outlineWidth];
            }"""
        )
        if focused[0] is not None:
            reached.add(focused[0])
            # Focus is visible: every focused link draws an outline.
            assert focused[1] != "none" and focused[2] != "0px", focused
    assert reached == {str(n) for n in range(count)}


def test_skip_link_comes_first_and_moves_to_the_content(page: Any, base_url: str) -> None:
    page.goto(url(base_url, IDLIB_STORY))
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Skip to content"
    assert skip.is_visible() and skip.bounding_box()["x"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("name", ["home", "day", "story", "article", "search"])
def test_axe_finds_no_serious_violation_in_either_scheme(
    page: Any, base_url: str, name: str
) -> None:
    need(AXE.exists(), f"{AXE.relative_to(REPO)} is missing (run `npm ci`)")
    page.goto(url(base_url, PAGES[name]))
    if name == "search":
        page.locator(".search-result").first.wait_for()
    page.add_script_tag(path=str(AXE))
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (
            scheme == "dark"
        )
        violations = page.evaluate(
            """async () => {
                const result = await axe.run(document, {resultTypes: ['violations']});
                return result.violations
                    .filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => v.id + ': ' + v.help + ' at '
                        + v.nodes.map(n => n.target.join(' ')).join(', '));
            }"""
        )
        assert violations == [], f"{name} ({scheme}): " + "\n".join(violations)
        screenshot(page, f"{name}-{scheme}-1280")


def test_no_page_scrolls_sideways_on_a_phone(browser: Any, site: Path, base_url: str) -> None:
    paths = sorted(
        p.relative_to(site).as_posix()[: -len("index.html")] for p in site.rglob("index.html")
    )
    assert len(paths) > 30
    context = browser.new_context(viewport={"width": PHONE, "height": 800})
    try:
        page = context.new_page()
        wide = {}
        shown = {path: name for name, path in PAGES.items()}
        for path in [*paths, PAGES["search"]]:
            page.goto(url(base_url, path))
            if path == PAGES["search"]:
                page.locator(".search-result").first.wait_for()
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE:
                wide[path] = width
            if path in shown:
                screenshot(page, f"{shown[path]}-light-{PHONE}")
        assert wide == {}
    finally:
        context.close()
