"""An open tab in headless Chromium follows every save: new title, error overlay, recovery."""

from __future__ import annotations

import json
import os
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from digest.build import build
from digest.errors import ProblemsError
from digest.serve import DevServer
from tests.conftest import article, write_site

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT_MS = 15_000  # how long Playwright waits for a condition; a guard against hangs only


@pytest.fixture
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {CHROMIUM} is missing: the browser test must run")
        pytest.skip(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture
def server(tmp_path: Path) -> Iterator[DevServer]:
    site = write_site(
        tmp_path / "site",
        {
            "content/idlib.md": article("Putin and Erdogan meet on Idlib", "2019-08-27", "AFP"),
            "content/other.md": article("Aid convoy reaches the city", "2019-08-28", "AA"),
        },
    )
    with DevServer(site, "127.0.0.1", 0) as dev:
        yield dev


@pytest.fixture
def browser(chromium_path: Path) -> Iterator[Any]:
    """Headless Chromium, driven by Playwright (imported here: it is a test dependency)."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=WAIT_MS)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium_path), args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


def test_an_open_tab_follows_edits_errors_and_the_fix(
    browser: Any, server: DevServer, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    source = server.site / "content" / "idlib.md"
    page = browser.new_page()
    page.goto(server.url + "articles/idlib/")
    title = page.locator("main h1")
    expect(title).to_have_text("Putin and Erdogan meet on Idlib")
    page.evaluate("window.untouched = true")  # gone if the page reloads

    # An edit: the same tab shows the new title by itself, in place (no reload).
    source.write_text(article("Russia and Turkey talk Idlib", "2019-08-27", "AFP"))
    expect(title).to_have_text("Russia and Turkey talk Idlib")
    assert page.evaluate("window.untouched") is True

    # A broken save: the overlay lists the errors; the last good page stays.
    source.write_text("---\ntitle: [unclosed\ndate: 2019-08-27\nsource: AFP\n---\nB.\n")
    with pytest.raises(ProblemsError) as expected:
        build(server.site, tmp_path / "check")
    overlay = page.locator("#digest-overlay")
    expect(overlay).to_be_visible()
    expect(overlay.locator(".digest-problem")).to_have_text(
        [str(problem) for problem in expected.value.problems]
    )
    expect(title).to_have_text("Russia and Turkey talk Idlib")
    assert page.evaluate("window.untouched") is True  # shown without a reload

    # The fix: the overlay goes and the page shows the fixed article.
    source.write_text(article("Idlib talks end", "2019-08-27", "AFP"))
    expect(title).to_have_text("Idlib talks end")
    expect(overlay).to_have_count(0)
    assert page.evaluate("window.untouched") is True


def test_a_tab_whose_page_did_not_change_does_not_reload(browser: Any, server: DevServer) -> None:
    from playwright.sync_api import expect

    page = browser.new_page()
    page.goto(server.url + "articles/idlib/")
    page.evaluate("window.untouched = true")
    home = browser.new_page()
    home.goto(server.url)
    home.evaluate("window.untouched = true")

    # Another story's article is edited: the home page shows it, this page stays.
    other = server.site / "content" / "other.md"
    other.write_text(article("Second aid convoy reaches the city", "2019-08-28", "AA"))
    expect(home.locator("main")).to_contain_text("Second aid convoy")
    with urllib.request.urlopen(server.url + "__digest__/state") as response:
        epoch = json.loads(response.read())["epoch"]
    script = page.locator("script[data-epoch]")
    expect(script).to_have_attribute("data-epoch", epoch)
    assert page.evaluate("window.untouched") is True


def test_pages_change_in_place_and_pages_with_scripts_reload(
    browser: Any, server: DevServer
) -> None:
    from playwright.sync_api import expect

    home = browser.new_page(viewport={"width": 800, "height": 300})
    home.goto(server.url)
    home.evaluate("window.scrollTo(0, 200); window.untouched = true")
    search = browser.new_page()
    search.goto(server.url + "search/")
    search.evaluate("window.untouched = true")

    # A new site title changes every page: the home page takes its new body in
    # place and keeps its scroll; the search page, which runs a script, reloads.
    (server.site / "site.toml").write_text('title = "Renamed digest"\n')
    expect(home.locator("header")).to_contain_text("Renamed digest")
    expect(search.locator("header")).to_contain_text("Renamed digest")
    assert home.evaluate("window.untouched") is True
    assert home.evaluate("window.scrollY") == 200
    assert search.evaluate("window.untouched") is None
    assert search.locator("#search-input, input[type=search]").count() == 1


def test_a_tab_on_a_missing_page_shows_it_once_it_is_built(browser: Any, server: DevServer) -> None:
    from playwright.sync_api import expect

    page = browser.new_page()
    response = page.goto(server.url + "articles/ceasefire/")
    assert response is not None and response.status == 404
    (server.site / "content" / "ceasefire.md").write_text(
        article("Ceasefire declared in Idlib", "2019-09-01", "AFP")
    )
    expect(page.locator("main h1")).to_have_text("Ceasefire declared in Idlib")
