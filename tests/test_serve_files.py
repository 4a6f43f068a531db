"""Request paths to output files, and the script tag: the pure parts of the dev server."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.serve.files import Found, content_type, locate, request_path
from digest.serve.inject import inject, script_tag

ACCEPTED = [
    ("/", "/"),
    ("/articles/a/", "/articles/a/"),
    ("/articles/a/?utm=1#top", "/articles/a/"),
    ("/static/my%20logo.svg", "/static/my logo.svg"),
    ("/days/2019-08-27/", "/days/2019-08-27/"),
    ("/a..b/", "/a..b/"),  # dots inside a name are no traversal
]
REFUSED = [
    "/..",
    "/../x",
    "/a/../../x",
    "/a/..",
    "/./x",
    "/a/./",
    "//x",
    "/a//b",
    "/%2e%2e/x",
    "/%2E%2e/x",
    "/a%2fb",
    "/a%2Fb",
    "/a%5cb",
    "/a%00b",
    "/a\\b",
    "/a\x00b",
    "/a%0ab",  # a control character after decoding
    "/%ff%fe",  # not UTF-8
    "http://host/x",
    "x",
    "",
]


@pytest.mark.parametrize(("target", "path"), ACCEPTED)
def test_request_path_accepts(target: str, path: str) -> None:
    assert request_path(target) == path


@pytest.mark.parametrize("target", REFUSED)
def test_request_path_refuses(target: str) -> None:
    assert request_path(target) is None


@pytest.fixture
def output(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    for rel in ("index.html", "articles/a/index.html", "static/style.css", ".digest-manifest.json"):
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(rel, encoding="utf-8")
    (out / "empty").mkdir()
    (out / "page.html.digest-tmp").write_text("half", encoding="utf-8")
    (tmp_path / "outside.txt").write_text("secret", encoding="utf-8")
    (out / "leak.txt").symlink_to(tmp_path / "outside.txt")
    (out / "leak-dir").symlink_to(tmp_path, target_is_directory=True)
    (out / "inner.css").symlink_to(out / "static" / "style.css")
    return out


@pytest.mark.parametrize(
    ("path", "file"),
    [
        ("/", "index.html"),
        ("/articles/a/", "articles/a/index.html"),
        ("/static/style.css", "static/style.css"),
        ("/inner.css", "static/style.css"),
    ],
)
def test_locate_finds(output: Path, path: str, file: str) -> None:
    assert locate(output, path) == Found((output / file).resolve())


@pytest.mark.parametrize(
    "path",
    [
        "/articles/",  # a folder without index.html: no listing
        "/empty/",
        "/static/",
        "/missing.html",
        "/static/style.css/",
        "/.digest-manifest.json",
        "/page.html.digest-tmp",
        "/leak.txt",
        "/leak-dir/outside.txt",
        "/leak-dir/",
    ],
)
def test_locate_finds_nothing(output: Path, path: str) -> None:
    assert locate(output, path) == Found(None)


def test_locate_redirects_a_folder_to_its_slash(output: Path) -> None:
    assert locate(output, "/articles/a") == Found(None, redirect="/articles/a/")
    assert locate(output, "/empty") == Found(None)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("index.html", "text/html; charset=utf-8"),
        ("style.css", "text/css; charset=utf-8"),
        ("search.js", "text/javascript; charset=utf-8"),
        ("stories.json", "application/json"),
        ("feed.xml", "application/xml"),
        ("logo.SVG", "image/svg+xml"),
        ("font.woff2", "font/woff2"),
        (".nojekyll", "application/octet-stream"),
    ],
)
def test_content_type(name: str, kind: str) -> None:
    assert content_type(Path(name)) == kind


def test_inject_goes_before_the_last_body_end() -> None:
    page = b"<html><body><pre>&lt;/body&gt;</pre></BODY>\n</html>\n"
    tag = script_tag("s-1")
    assert inject(page, "s-1") == page.replace(b"</BODY>", tag + b"</BODY>")


def test_inject_appends_without_a_body_end_and_escapes_the_epoch() -> None:
    assert inject(b"<p>x</p>", "s-1") == b"<p>x</p>" + script_tag("s-1")
    assert b'data-epoch="a&quot;b"' in script_tag('a"b')
