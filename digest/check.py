"""``digest check``: the content is valid and every link, anchor and asset of the built site
resolves, without the network.

Pages link relatively, so the same output works at a domain root, under ``/repo/`` and
opened from disk; a link is therefore resolved the way a browser opening the files would:
from the page's folder, to a file (a folder would show its listing, not its index.html).
Only 404.html, which GitHub Pages serves at any depth, links absolutely under the base URL.
A broken link is reported as ``page -> target``, the page relative to the output folder.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

from digest import urls
from digest.build import load_model
from digest.config import normalise_base_url
from digest.errors import Problem, ProblemsError
from digest.exports import ATOM_NS, SITEMAP_NS
from digest.model import SiteModel
from digest.output import MANIFEST
from digest.pages import plan

NOT_FOUND_PAGE = "404.html"
_REMOTE_HINT = "the site loads nothing from another host: copy the file into templates/static/"
_LOCAL_SCHEMES = frozenset({"data"})
_RELATIVE = "link relatively (the theme's link() does)"
_ROOTED = "a link from the domain's root breaks under a sub-path such as /repo/ and from disk"
_FOLDER = "links to a folder; opened from disk a browser shows its listing, not its index.html"

LINK = "link"
"""A link to follow: may point anywhere."""
ASSET = "asset"
"""Loaded to show the page: must be in the site."""
SELF = "self"
"""The page's own absolute URL (canonical, og:url): must be under the base URL."""

_SRC_TAGS = frozenset(
    ["img", "script", "iframe", "frame", "audio", "video", "source", "track", "embed", "input"]
)
# <link> relations that name another document rather than load something for this one.
_NAVIGATION_RELS = frozenset(["alternate", "author", "help", "license", "me", "next", "prev"])
_CSS_URL = re.compile(
    r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')"""
)


@dataclass(frozen=True, slots=True)
class Ref:
    """One URL a page refers to."""

    line: int
    """Its line in the page."""
    url: str
    """As written, entities decoded."""
    kind: str
    """LINK, ASSET or SELF: what must hold of it."""


@dataclass(frozen=True, slots=True)
class ScannedPage:
    """What one HTML page offers to anchors and refers to."""

    ids: frozenset[str]
    """Every id (and <a name>) on the page."""
    refs: tuple[Ref, ...]
    """Every URL it refers to, in order."""
    duplicate_ids: tuple[tuple[int, str], ...]
    """(line, id) of each id used a second time."""


def scan_css(text: str, line: int = 1) -> list[Ref]:
    """The url() and @import references of a style sheet or style attribute."""
    refs = []
    for match in _CSS_URL.finditer(text):
        url = next(g for g in match.groups() if g is not None)
        if url:
            refs.append(Ref(line + text.count("\n", 0, match.start()), url.strip(), ASSET))
    return refs


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[Ref] = []
        self.duplicates: list[tuple[int, str]] = []
        self.in_style = False

    def add(self, url: str | None, kind: str, line: int) -> None:
        if url is not None and url.strip():
            self.refs.append(Ref(line, url.strip(), kind))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_style = tag == "style"
        if not attrs:
            return  # most tags: nothing to collect, and this is the hot path
        a = {name: value or "" for name, value in attrs}
        line = self.getpos()[0]
        if "id" in a:
            if a["id"] in self.ids:
                self.duplicates.append((line, a["id"]))
            self.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.ids.add(a["name"])
        if tag == "link":
            rels = set(a.get("rel", "").lower().split())
            kind = SELF if "canonical" in rels else LINK if rels <= _NAVIGATION_RELS else ASSET
            self.add(a.get("href"), kind if rels else ASSET, line)
        elif tag in ("a", "area"):
            self.add(a.get("href"), LINK, line)
        elif tag == "meta" and a.get("property") == "og:url":
            self.add(a.get("content"), SELF, line)
        if tag in _SRC_TAGS:
            self.add(a.get("src"), ASSET, line)
        for candidate in a.get("srcset", "").split(","):
            self.add(next(iter(candidate.split()), None), ASSET, line)
        self.add(a.get({"video": "poster", "object": "data"}.get(tag, "")), ASSET, line)
        if "style" in a:
            self.refs += scan_css(a["style"], line)

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self.refs += scan_css(data, self.getpos()[0])


def scan_html(text: str) -> ScannedPage:
    """A page's ids and references, as the standard library's HTML parser sees them."""
    scanner = _Scanner()
    scanner.feed(text)
    scanner.close()
    return ScannedPage(frozenset(scanner.ids), tuple(scanner.refs), tuple(scanner.duplicates))


@dataclass(frozen=True, slots=True)
class Output:
    """The built site as files, read once."""

    root: Path
    """The output folder."""
    files: frozenset[str]
    """Every file, as a path relative to the root with '/' separators."""
    dirs: frozenset[str]
    """Every folder below the root, likewise."""
    pages: Mapping[str, ScannedPage]
    """Each HTML page's ids and references."""


def read_output(root: Path) -> Output:
    """List and parse the output once; every check then works from memory."""
    files: set[str] = set()
    dirs: set[str] = set()
    for path in root.rglob("*"):
        rel = path.relative_to(root).as_posix()
        if path.is_dir():
            dirs.add(rel)
        elif rel != MANIFEST:
            files.add(rel)
    pages = {
        rel: scan_html(_read_text(root / rel)) for rel in sorted(files) if rel.endswith(".html")
    }
    return Output(root, frozenset(files), frozenset(dirs), pages)


def _read_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


def page_url(base: str, page: str) -> str:
    """The clean absolute URL of an output file: index.html pages end in '/'."""
    folder = page == "index.html" or page.endswith("/index.html")
    return base + (page.removesuffix("index.html") if folder else page)


class Checker:
    """Resolves references of one built site; collects what does not resolve."""

    def __init__(self, output: Output, base: str) -> None:
        self.output = output
        self.base = base
        self.problems: list[Problem] = []

    def report(self, where: str, target: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(f"{where} -> {target}", None, message, hint))

    def broken(self, page: str, ref: Ref, message: str, hint: str = "") -> None:
        self.report(page, ref.url, f"line {ref.line}: {message}", hint)

    def anchor(self, page: str, ref: Ref, target: str, fragment: str) -> None:
        scanned = self.output.pages.get(target)
        name = unquote(fragment)
        if scanned is not None and fragment and name not in scanned.ids:
            where = "this page" if target == page else target
            self.broken(page, ref, f"no element with id {name!r} on {where}")

    def local(self, page: str, ref: Ref, site_path: str, fragment: str) -> None:
        """A reference that resolved to ``site_path`` inside the output.

        Only a server maps a folder to its index.html, and only 404.html is always served.
        """
        if site_path not in self.output.files:
            folder = site_path.rstrip("/")
            if site_path == "" or folder in self.output.dirs:
                index = urls.output_file(folder + "/" if folder else "")
                if index in self.output.files and page == NOT_FOUND_PAGE:
                    self.anchor(page, ref, index, fragment)
                    return
                if index in self.output.files:
                    hint = f"link to {posixpath.basename(folder) or '.'}/index.html"
                    self.broken(page, ref, _FOLDER, hint)
                    return
            self.broken(page, ref, "no such file in the built site")
            return
        self.anchor(page, ref, site_path, fragment)

    def absolute(self, page: str, ref: Ref, absolute_links: bool) -> None:
        """An http(s) URL: inside the site only where absolute links belong, never an asset
        from elsewhere."""
        inside = bool(self.base) and ref.url.startswith(self.base)
        if ref.kind == SELF:
            expected = page_url(self.base, page)
            if not inside:
                self.broken(page, ref, f"does not start with {self.base}")
            elif ref.url != expected:
                self.broken(page, ref, f"this page's URL is {expected}")
            return
        if not inside:
            if ref.kind == ASSET:
                self.broken(page, ref, "loads from another host", _REMOTE_HINT)
            return
        if not absolute_links:
            self.broken(page, ref, "absolute link into the site breaks opened from disk", _RELATIVE)
            return
        parts = urlsplit(ref.url[len(self.base) :])
        self.local(page, ref, urls.output_file(unquote(parts.path)), parts.fragment)

    def reference(self, page: str, ref: Ref) -> None:
        """Check one reference of ``page`` (or of a style sheet) by the kind of URL it is."""
        absolute_links = page == NOT_FOUND_PAGE
        parts = urlsplit(ref.url)
        if parts.scheme in ("http", "https") or ref.url.startswith("//"):
            self.absolute(page, ref, absolute_links)
            return
        if ref.kind == SELF:
            self.broken(page, ref, "must be an absolute URL")
            return
        if parts.scheme:
            if ref.kind == ASSET and parts.scheme not in _LOCAL_SCHEMES:
                self.broken(page, ref, f"a {parts.scheme}: asset")
            return
        path = unquote(parts.path)
        if path.startswith("/"):
            if absolute_links and not self.base:
                self.local(page, ref, path.lstrip("/"), parts.fragment)
                return
            self.broken(page, ref, _ROOTED, _RELATIVE)
            return
        if not path:
            self.anchor(page, ref, page, parts.fragment)
            return
        if absolute_links and self.base:
            self.broken(
                page, ref, f"served at any depth, its links must be absolute under {self.base}"
            )
            return
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        if joined == ".." or joined.startswith("../"):
            self.broken(page, ref, "points outside the site")
            return
        self.local(page, ref, joined + ("/" if path.endswith("/") else ""), parts.fragment)

    def site_url(self, where: str, url: str) -> None:
        """An absolute URL in the feed, sitemap or robots.txt: under the base, to a file."""
        if not url.startswith(self.base):
            self.report(where, url, f"does not start with the base URL {self.base}")
            return
        parts = urlsplit(url[len(self.base) :])
        if urls.output_file(unquote(parts.path)) not in self.output.files:
            self.report(where, url, "no such file in the built site")


def _xml(checker: Checker, name: str) -> ElementTree.Element | None:
    try:
        return ElementTree.parse(checker.output.root / name).getroot()
    except ElementTree.ParseError as error:
        checker.problems.append(Problem(name, error.position[0], f"not well-formed XML: {error}"))
        return None


def check_feeds(checker: Checker) -> None:
    """feed.xml, sitemap.xml and robots.txt name pages by absolute URLs under the base."""
    files = checker.output.files
    for name in ("feed.xml", "sitemap.xml"):
        if checker.base and name not in files:
            checker.problems.append(
                Problem(name, None, f"missing though the base URL is {checker.base}", "rebuild")
            )
    if "feed.xml" in files and (feed := _xml(checker, "feed.xml")) is not None:
        atom = f"{{{ATOM_NS}}}"
        for element in feed.iter(f"{atom}link"):
            checker.site_url("feed.xml", element.get("href", ""))
        for element in feed.iter(f"{atom}id"):
            if not (element.text or "").startswith(checker.base):
                checker.report("feed.xml", element.text or "", "id outside the base URL")
    if "sitemap.xml" in files and (sitemap := _xml(checker, "sitemap.xml")) is not None:
        for element in sitemap.iter(f"{{{SITEMAP_NS}}}loc"):
            checker.site_url("sitemap.xml", (element.text or "").strip())
    if "robots.txt" in files:
        for line in _read_text(checker.output.root / "robots.txt").splitlines():
            key, _, value = line.partition(":")
            if key.strip().lower() == "sitemap":
                checker.site_url("robots.txt", value.strip())


def check_stories_json(checker: Checker) -> None:
    if "stories.json" not in checker.output.files:
        checker.problems.append(Problem("stories.json", None, "missing", "rebuild"))
        return
    try:
        data = json.loads(_read_text(checker.output.root / "stories.json"))
        found = [s["url"] for s in data["stories"]]
        found += [a["url"] for s in data["stories"] for a in s["articles"]]
    except (ValueError, KeyError, TypeError) as error:
        checker.problems.append(Problem("stories.json", None, f"unreadable: {error!r}"))
        return
    for url in found:
        if urls.output_file(str(url)) not in checker.output.files:
            checker.report("stories.json", str(url), "no such page in the built site")


def infer_base(output: Output) -> str:
    """The base URL the output was built with: the home page's canonical URL, if any."""
    home = output.pages.get("index.html")
    selves = [r.url for r in home.refs if r.kind == SELF] if home else []
    return selves[0] if selves and selves[0].endswith("/") else ""


def check_output(output_dir: Path, base_url: str = "") -> list[Problem]:
    """Every link, anchor and asset of a built site; '' infers the base URL from it."""
    if not (output_dir / "index.html").is_file():
        return [Problem(str(output_dir), None, "no index.html: the site is not built", "build")]
    output = read_output(output_dir)
    checker = Checker(output, base_url or infer_base(output))
    for page, scanned in output.pages.items():
        for ref in scanned.refs:
            checker.reference(page, ref)
        for line, name in scanned.duplicate_ids:
            checker.problems.append(Problem(page, line, f"id {name!r} is used twice"))
    for css in sorted(f for f in output.files if f.endswith(".css")):
        for ref in scan_css(_read_text(output_dir / css)):
            checker.reference(css, ref)
    check_feeds(checker)
    check_stories_json(checker)
    return sorted(checker.problems, key=lambda p: p.sort_key)


def missing_pages(model: SiteModel, output_dir: Path) -> list[Problem]:
    """Pages the content implies that the output lacks: it is older than the content."""
    names = [urls.output_file(page.path) for page in plan(model, {})]
    return [
        Problem(name, None, "missing from the built site", "rebuild")
        for name in names
        if not (output_dir / name).is_file()
    ]


def check_site(
    site: Path, output: Path, *, base_url: str | None = None, drafts: bool = False
) -> list[Problem]:
    """Problems of the content, then of the built site in ``output``; [] when all is well.

    ``base_url`` and ``drafts`` are those the site was built with (default: site.toml's).
    """
    problems: list[Problem] = []
    model: SiteModel | None = None
    try:
        model = load_model(site, base_url, drafts=drafts)
    except ProblemsError as error:
        problems = list(error.problems)
    try:
        base = model.config.base_url if model else normalise_base_url(base_url or "")
    except ValueError:
        base = ""
    found = check_output(output, base)
    if model is not None and (output / "index.html").is_file():
        found += missing_pages(model, output)
    return problems + sorted(found, key=lambda p: p.sort_key)
