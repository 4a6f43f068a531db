"""Hostile and malformed input (issue 10): each bad input either builds a clean, escaped site
or stops the real `digest build` with exit code 1 and every problem as `path:line: ...` —
never a traceback, never a file outside the output folder, never a partly written site.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from digest.build import build
from digest.errors import ProblemsError
from digest.load import MAX_BYTES, MAX_DEPTH, MAX_VALUES
from digest.slugs import slugify
from tests.conftest import article, run_digest, tree, write_site

BASE = "https://example.org/digest/"
PROBLEM = re.compile(r"^content/[^:]+\.md:\d+: \S")
GOOD = article("Good", "2019-08-27", "AFP", body="A good article about Idlib.")

YAML_HINT = "(hint: check the indentation and quote values that contain ': ')"
ALIAS = (
    f"front matter: more than {MAX_VALUES:,} values once its aliases are expanded "
    "(hint: write the values out instead of using '*' aliases and '<<' merges)"
)
URL_HINT = "(hint: give the article's web address, starting with https://)"


def _head(*lines: str) -> str:
    return "\n".join(["---", *lines, "---", "Body.", ""])


def _laughs() -> str:
    """'Billion laughs': ten levels of nine aliases each, 9**10 values once expanded."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    return "\n".join(lines)


def _merges() -> str:
    """'<<' merges copy what they point to, so this one is exponential in PyYAML itself."""
    lines = ["m0: &m0 {k0: 1, k1: 2, k2: 3, k3: 4, k4: 5, k5: 6, k6: 7, k7: 8, k8: 9}"]
    lines += [f"m{i}: &m{i} {{<<: [{', '.join([f'*m{i - 1}'] * 9)}]}}" for i in range(1, 9)]
    return "\n".join(lines)


BIG_HEAD = b"---\ntitle: Big\ndate: 2019-08-27\nsource: AFP\n---\n"
BIG_PARAGRAPH = ("Shelling continued near Idlib on Tuesday, officials said. " * 20).encode()
BIG_COUNT = 50_000_000 // (len(BIG_PARAGRAPH) + 2) + 1
BIG_SIZE = len(BIG_HEAD) + BIG_COUNT * (len(BIG_PARAGRAPH) + 2) - 2


def _big_article() -> bytes:
    """A valid article of 50 MB: many ordinary paragraphs (made only when a test needs it)."""
    return BIG_HEAD + b"\n\n".join([BIG_PARAGRAPH] * BIG_COUNT)


def _long_front_matter() -> str:
    """10,000 lines of front matter whose last key is wrong: the line must still be exact."""
    comments = "".join(f"# note {n}\n" for n in range(9_996))
    return f"---\ntitle: A\nsource: AFP\n{comments}date: 27 August\n---\nBody.\n"


# name -> (the file's bytes or text, the exact messages of `digest build`)
REFUSED: dict[str, tuple[str | bytes | Callable[[], str | bytes], list[str]]] = {
    "invalid-yaml": (
        "---\ntitle: A\n\tdate: 2019-08-27\nsource: AFP\n---\nx\n",
        [
            "content/invalid-yaml.md:3: front matter: invalid YAML: found a tab character "
            f"that violates indentation {YAML_HINT}"
        ],
    ),
    "missing-fields": (
        "---\ntitle: A\n---\nx\n",
        [
            "content/missing-fields.md:1: date: missing "
            "(hint: add 'date: YYYY-MM-DD' (the day it was published))",
            "content/missing-fields.md:1: source: missing "
            "(hint: add a line 'source: ...' to the front matter)",
        ],
    ),
    "wrong-types": (
        _head(
            "title: {a: 1}",
            "date: [2019]",
            "source: true",
            "story: [a]",
            "tags: [[a]]",
            "provenance: [x]",
        ),
        [
            "content/wrong-types.md:2: title: expected text, got a mapping",
            "content/wrong-types.md:3: date: expected YYYY-MM-DD or an ISO datetime, got a list "
            "(hint: write YYYY-MM-DD or 2019-08-27T14:30:00+03:00)",
            "content/wrong-types.md:4: source: expected text, got true/false",
            "content/wrong-types.md:5: story: expected text, got a list",
            "content/wrong-types.md:6: tags: expected names, got a list (hint: write tags: [A, B])",
            "content/wrong-types.md:7: provenance: expected a mapping of field: note, got a list",
        ],
    ),
    "latin-1-front-matter": (
        b"---\ntitle: A\ndate: 2019-08-27\nsource: caf\xe9\n---\n",
        [
            "content/latin-1-front-matter.md:4: not valid UTF-8 (byte 0xe9) "
            "(hint: re-save the file as UTF-8)"
        ],
    ),
    "latin-1-body": (
        b"---\ntitle: A\ndate: 2019-08-27\nsource: AFP\n---\nOne.\n\nna\xefve\n",
        [
            "content/latin-1-body.md:8: not valid UTF-8 (byte 0xef) "
            "(hint: re-save the file as UTF-8)"
        ],
    ),
    "utf-16": (
        "---\ntitle: A\ndate: 2019-08-27\nsource: AFP\n---\n".encode("utf-16"),
        ["content/utf-16.md:1: not valid UTF-8 (byte 0xff) (hint: re-save the file as UTF-8)"],
    ),
    "nul-byte": (
        b"---\ntitle: A\ndate: 2019-08-27\nsource: AFP\n---\nbody\x00\n",
        ["content/nul-byte.md:6: contains a NUL character (hint: re-save the file as text)"],
    ),
    "billion-laughs": (
        "---\ntitle: A\ndate: 2019-08-27\nsource: AFP\n" + _laughs() + "\ntags: *a9\n---\n",
        [f"content/billion-laughs.md:10: {ALIAS}"],
    ),
    "merge-key-bomb": (
        "---\ntitle: A\ndate: 2019-08-27\nsource: AFP\n" + _merges() + "\n---\n",
        [f"content/merge-key-bomb.md:9: {ALIAS}"],
    ),
    "deep-nesting": (  # libyaml's composer recursed in C and crashed the process on this
        _head(
            "title: A", "date: 2019-08-27", "source: AFP", "tags: " + "[" * 100_000 + "]" * 100_000
        ),
        [
            f"content/deep-nesting.md:5: front matter: nested more than {MAX_DEPTH} levels deep "
            "(hint: front matter holds 'key: value' lines and lists of names)"
        ],
    ),
    "fifty-megabytes": (
        _big_article,
        [
            f"content/fifty-megabytes.md:1: larger than {MAX_BYTES // 1_000_000} MB "
            f"({BIG_SIZE:,} bytes) (hint: split it into several articles)"
        ],
    ),
    "front-matter-of-10000-lines": (
        _long_front_matter,
        [
            "content/front-matter-of-10000-lines.md:10000: date: expected YYYY-MM-DD or an ISO "
            "datetime, got '27 August' (hint: write YYYY-MM-DD or 2019-08-27T14:30:00+03:00)"
        ],
    ),
    "control-characters": (
        _head(
            'id: "a\\x01b"',
            "title: A",
            "date: 2019-08-27",
            'source: "AF\\0P"',
            'places: ["Id\\x1blib"]',
        ),
        [
            "content/control-characters.md:2: id: contains control characters (hint: remove them)",
            "content/control-characters.md:5: source: contains control characters "
            "(hint: remove them)",
            "content/control-characters.md:6: places: invalid name 'Id\\x1blib' "
            "(hint: use plain text)",
        ],
    ),
    "only-punctuation": (
        _head(
            'id: "../.."',
            "title: A",
            "date: 2019-08-27",
            'source: "..\\\\.."',
            'story: "/"',
            'places: ["...", "\\\\"]',
        ),
        [
            "content/only-punctuation.md:1: id: '../..' has no letters or digits for its URL "
            "(hint: give it an id such as afp-2019-08-27-idlib)"
        ],
    ),
    "punctuation-names": (
        _head(
            "title: A", "date: 2019-08-27", 'source: "..\\\\.."', 'story: "/"', 'places: ["\\\\"]'
        ),
        [
            "content/punctuation-names.md:1: places: '\\\\' has no letters or digits for its URL "
            "(hint: write it in words)",
            "content/punctuation-names.md:1: source: '..\\\\..' has no letters or digits for its "
            "URL (hint: write it in words)",
            "content/punctuation-names.md:1: story: '/' has no letters or digits for its URL "
            "(hint: write it in words)",
        ],
    ),
    "javascript-url": (
        _head("title: A", "date: 2019-08-27", "source: AFP", "url: javascript:alert(1)"),
        [
            "content/javascript-url.md:5: url: only http and https URLs are allowed, "
            f"got 'javascript:alert(1)' {URL_HINT}"
        ],
    ),
    "data-url": (
        _head("title: A", "date: 2019-08-27", "source: AFP", "url: 'data:text/html,<b>x</b>'"),
        [
            "content/data-url.md:5: url: only http and https URLs are allowed, "
            f"got 'data:text/html,<b>x</b>' {URL_HINT}"
        ],
    ),
    "scheme-relative-url": (
        _head("title: A", "date: 2019-08-27", "source: AFP", "url: //evil.example/x"),
        [
            "content/scheme-relative-url.md:5: url: only http and https URLs are allowed, "
            f"got '//evil.example/x' {URL_HINT}"
        ],
    ),
}


def _bytes(value: str | bytes | Callable[[], str | bytes]) -> bytes:
    if callable(value):
        value = value()
    return value if isinstance(value, bytes) else value.encode()


def _outside(root: Path, site: Path) -> dict[str, bytes]:
    """Every file under ``root`` but the site's output and cache: what a build must not touch."""
    skip = (site / "public", site / ".digest-cache")
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not any(p.is_relative_to(s) for s in skip)
    }


def _refused(done: subprocess.CompletedProcess[str], expected: list[str]) -> None:
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert lines[:-1] == expected
    assert all(PROBLEM.match(line) for line in lines[:-1])
    assert lines[-1].endswith("nothing was written")


@pytest.mark.parametrize("name", [n for n in REFUSED if n != "fifty-megabytes"])
def test_bad_file_is_named_with_its_line(tmp_path: Path, name: str) -> None:
    raw, expected = REFUSED[name]
    site = write_site(tmp_path / "site", {"content/good.md": GOOD})
    (site / "content" / f"{name}.md").write_bytes(_bytes(raw))
    with pytest.raises(ProblemsError) as caught:
        build(site, jobs=1)
    assert [str(p) for p in caught.value.problems] == expected
    assert not (site / "public").exists()


def test_every_bad_file_through_the_command_and_the_previous_site_stays(tmp_path: Path) -> None:
    """The real command, once, with every bad file (the 50 MB one too) beside a good site."""
    site = write_site(tmp_path / "site", {"content/good.md": GOOD})
    build(site, jobs=1)
    before = tree(site / "public")
    for name, (raw, _) in REFUSED.items():
        (site / "content" / f"{name}.md").write_bytes(_bytes(raw))
    outside = _outside(tmp_path, site)
    done = run_digest("build", "--site", str(site))
    expected = [line for name in sorted(REFUSED) for line in REFUSED[name][1]]
    _refused(done, expected)
    assert tree(site / "public") == before, "a failed build changed the site"
    assert _outside(tmp_path, site) == outside


def _pair(tmp_path: Path, a: str, b: str) -> subprocess.CompletedProcess[str]:
    site = write_site(tmp_path / "site", {"content/a.md": a, "content/b.md": b})
    return run_digest("build", "--site", str(site))


def test_duplicate_ids_name_both_files(tmp_path: Path) -> None:
    same = article("A", "2019-08-27", "AFP", id="idlib")
    done = _pair(tmp_path, same, article("B", "2019-08-28", "AFP", id="idlib"))
    _refused(
        done,
        [
            "content/b.md:1: id: 'idlib' has the same id as content/a.md "
            "(hint: give one of them another id)"
        ],
    )


def test_ids_that_would_write_the_same_url_name_both_files(tmp_path: Path) -> None:
    done = _pair(
        tmp_path,
        article("A", "2019-08-27", "AFP", id="'Idlib/Talks'"),
        article("B", "2019-08-28", "AFP", id="'idlib..talks'"),
    )
    _refused(
        done,
        [
            "content/b.md:1: id: 'idlib..talks' has an id with the same URL (idlib-talks) as "
            "content/a.md (hint: give one of them another id)"
        ],
    )


def test_long_ids_equal_up_to_the_slug_limit_collide(tmp_path: Path) -> None:
    stem = "word " * 20
    done = _pair(
        tmp_path,
        article("A", "2019-08-27", "AFP", id=f"'{stem} one'"),
        article("B", "2019-08-28", "AFP", id=f"'{stem} two'"),
    )
    slug = slugify(stem)
    assert done.returncode == 1
    assert f"has an id with the same URL ({slug})" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_pinned_story_cannot_take_another_storys_url(tmp_path: Path) -> None:
    done = _pair(
        tmp_path,
        article("A", "2019-08-27", "AFP", id="quake"),
        article("Other", "2019-09-30", "Reuters", id="other", story="Quake"),
    )
    assert done.returncode == 1, done.stdout
    assert "Traceback" not in done.stderr
    assert all(PROBLEM.match(line) for line in done.stderr.splitlines()[:-1])
    assert "story: 'quake' is also the story of content/" in done.stderr


def test_path_characters_and_reserved_names_stay_inside_the_output(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        {
            "content/con.md": article(
                "A",
                "2019-08-27",
                "'NUL'",
                story="'../../../../tmp/evil'",
                places="['..\\\\..\\\\Windows', 'aux', 'COM1']",
                people="['prn.txt']",
                tags="['lpt9', '/etc/passwd']",
            ),
            "content/b.md": article("B", "2019-08-28", "AFP", id="'..\\\\..\\\\x/../y'"),
        },
    )
    outside = _outside(tmp_path, site)
    done = run_digest("build", "--site", str(site), "--base-url", BASE)
    assert done.returncode == 0, done.stderr
    assert _outside(tmp_path, site) == outside
    built = tree(site / "public")
    reserved = {"con", "prn", "aux", "nul", "com1", "lpt9"}
    for path in built:
        for part in path.split("/"):
            assert part.split(".")[0].lower() not in reserved, path
            assert part not in ("", ".", ".."), path
    for page in (
        "articles/con-x/index.html",
        "articles/x-y/index.html",
        "stories/tmp-evil/index.html",
        "sources/nul-x/index.html",
        "places/windows/index.html",
        "places/aux-x/index.html",
        "places/com1-x/index.html",
        "people/prn-txt/index.html",
        "tags/lpt9-x/index.html",
        "tags/etc-passwd/index.html",
    ):
        assert page in built, page


def test_bom_and_crlf_build_the_same_site_as_lf(tmp_path: Path) -> None:
    text = article("Talks", "2019-08-27", "AFP", body="First line.\n\nSecond *line*.")
    plain = write_site(tmp_path / "lf", {"content/a.md": text})
    dos = write_site(tmp_path / "crlf", {})
    (dos / "content" / "a.md").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    old_mac = write_site(tmp_path / "cr", {})
    (old_mac / "content" / "a.md").write_bytes(text.replace("\n", "\r").encode())
    for site in (plain, dos, old_mac):
        assert run_digest("build", "--site", str(site)).returncode == 0
    pages = {p: d for p, d in tree(plain / "public").items() if not p.startswith(".digest-")}
    for other in (dos, old_mac):
        assert {p: d for p, d in tree(other / "public").items() if p in pages} == pages
    page = (plain / "public" / "articles" / "a" / "index.html").read_text()
    assert re.search(r"<em>(<span[^>]*>)?line", page)
    assert "\r" not in page


def test_symlink_to_a_file_outside_content_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text(article("Secret", "2019-08-27", "AFP", body="TOP-SECRET-TEXT"))
    site = write_site(tmp_path / "site", {"content/good.md": GOOD})
    (site / "content" / "leak.md").symlink_to(secret)
    (site / "content" / "config.md").symlink_to(site / "site.toml")
    done = run_digest("build", "--site", str(site))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    hint = "(hint: copy the file into content/ instead)"
    assert lines[:-1] == [
        f"content/config.md: symlink to a file outside content/ {hint}",
        f"content/leak.md: symlink to a file outside content/ {hint}",
    ]
    assert not (site / "public").exists()


def test_symlinked_folder_outside_content_is_never_published(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "s.md").write_text(article("Secret", "2019-08-27", "AFP", body="TOP-SECRET"))
    site = write_site(tmp_path / "site", {"content/good.md": GOOD})
    (site / "content" / "linked").symlink_to(elsewhere, target_is_directory=True)
    done = run_digest("build", "--site", str(site))
    assert "Traceback" not in done.stderr
    built = tree(site / "public") if (site / "public").exists() else {}
    assert not any(b"TOP-SECRET" in data for data in built.values())


# --- script and HTML in every field and in the body -------------------------------------------

FIELDS = ("id", "title", "source", "dateline", "story", "summary")
LISTS = ("places", "people", "tags")


def _xss(label: str) -> str:
    return f"<script>alert('xss-{label}')</script><img src=x onerror=alert('xss-{label}')>"


def _hostile_site(root: Path) -> Path:
    lines = ["---"]
    lines += [f"{name}: {json.dumps(_xss(name) + ' ' + name)}" for name in FIELDS]
    lines += [f"{name}: [{json.dumps(_xss(name) + ' ' + name)}]" for name in LISTS]
    lines += [
        "date: 2019-08-27",
        f"url: {json.dumps('https://example.org/?q=' + _xss('url') + '&x=1')}",
        f"provenance: {{title: {json.dumps(_xss('provenance'))}}}",
        "---",
    ]
    body = f"""
# Heading {_xss("h1")}

Text {_xss("body")} and a closing </script> tag, a line\u2028separator and "quotes\\".

[a link](javascript:alert('xss-link')) [mixed case](JaVaScRiPt:alert(1))
[spaced]( javascript:alert(1)) [tabbed](java\tscript:alert(1)) [entity](&#106;avascript:alert(1))
[colon entity](javascript&colon;alert(1)) [vb](vbscript:msgbox(1)) [data](data:text/html,x)
<javascript:alert('xss-autolink')> <data:text/html;base64,PHNjcmlwdD4=>
![image](javascript:alert('xss-image')) ![data image](data:image/svg+xml,<svg onload=alert(1)>)
[reference][r] and [another][d]

[r]: javascript:alert('xss-reference')
[d]: data:text/html,<script>alert('xss-refdata')</script>

<div onclick="alert('xss-raw-html')">raw</div>
<a href="javascript:alert('xss-raw-link')">raw link</a>

```
{_xss("code")}
```
"""
    site = write_site(
        root,
        {"content/hostile.md": "\n".join(lines) + body},
        config=f'title = "Desk {_xss("config")}"\ndescription = "{_xss("description")}"\n',
    )
    return site


class _Links(HTMLParser):
    """Every URL-valued attribute and every tag of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        for name, value in attrs:
            if name in ("href", "src", "action", "formaction", "srcset", "poster") and value:
                self.urls.append(value)


def _scheme(url: str) -> str:
    cleaned = "".join(ch for ch in url if ch > " ").lower()
    return cleaned.split(":", 1)[0] if ":" in cleaned.split("/", 1)[0] else ""


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    root = tmp_path_factory.mktemp("hostile")
    site = _hostile_site(root / "site")
    outside = _outside(root, site)
    done = run_digest("build", "--site", str(site), "--base-url", BASE)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert _outside(root, site) == outside, "the build wrote outside its output folder"
    return site, tree(site / "public")


def test_hostile_text_builds_and_every_field_is_shown_escaped(
    hostile_build: tuple[Path, dict[str, bytes]],
) -> None:
    _, built = hostile_build
    pages = {p: d.decode() for p, d in built.items() if p.endswith((".html", ".xml"))}
    article_page = next(d for p, d in pages.items() if p.startswith("articles/"))
    shown = html.unescape(article_page)
    for label in ("title", "source", "dateline", "body", "h1", "code", "provenance", "config"):
        assert _xss(label) in shown, f"{label} was dropped instead of escaped"
    feed = html.unescape(pages["feed.xml"])
    assert _xss("title") in feed


def test_no_markup_from_content_reaches_an_html_or_xml_file(
    hostile_build: tuple[Path, dict[str, bytes]],
) -> None:
    _, built = hostile_build
    checked = 0
    for path, data in built.items():
        if not path.endswith((".html", ".xml")):
            continue
        text = data.decode()
        checked += 1
        assert "<script>alert(" not in text, path
        assert "<img src=x" not in text, path
        assert "<svg" not in text, path
        assert "<div onclick" not in text, path
        parser = _Links()
        parser.feed(text)
        for tag, attrs in parser.tags:
            assert not any(name.startswith("on") for name, _ in attrs), (path, tag)
        for url in parser.urls:
            assert _scheme(url) in ("", "http", "https", "mailto"), (path, url)
        scripts = [dict(attrs).get("src") for tag, attrs in parser.tags if tag == "script"]
        assert all(src and src.endswith("static/search.js") for src in scripts), (path, scripts)
    assert checked > 10


def test_search_index_scripts_keep_content_inside_their_string_literals(
    hostile_build: tuple[Path, dict[str, bytes]],
) -> None:
    _, built = hostile_build
    scripts = {
        p: d.decode() for p, d in built.items() if p.startswith("search/") and p.endswith(".js")
    }
    assert "search/meta.js" in scripts
    call = re.compile(r"digestSearch\.load\((\"\w+\"),(null|\d+|\"[^\"\\]*\"),(.*)\);\n", re.DOTALL)
    titles: list[str] = []
    for path, text in scripts.items():
        assert "\u2028" not in text and "\u2029" not in text, path
        match = call.fullmatch(text)
        assert match is not None, path
        kind = json.loads(match[1])
        data = json.loads(match[3])  # the whole argument is one JSON value: nothing broke out
        if kind == "docs":
            titles += [row[1] for row in data]
    assert any(_xss("title") in title for title in titles)


def test_no_script_tag_from_content_in_json_or_javascript_files(
    hostile_build: tuple[Path, dict[str, bytes]],
) -> None:
    _, built = hostile_build
    for path, data in built.items():
        if path.endswith((".json", ".js")):
            text = data.decode().lower()
            assert "<script" not in text and "</script" not in text, path


def test_json_files_keep_the_text_exactly(hostile_build: tuple[Path, dict[str, bytes]]) -> None:
    _, built = hostile_build
    stories = json.loads(built["stories.json"])
    (story,) = stories["stories"]
    assert story["title"] == _xss("title") + " title"
    assert story["articles"][0]["source"] == _xss("source") + " source"


# --- templates that fail -------------------------------------------------------------------------

TEMPLATES = {
    "raises": (
        '{% extends "base.html" %}\n{% block main %}\n<p>{{ 1 // 0 }}</p>\n{% endblock %}\n',
        3,
    ),
    "syntax": ('{% extends "base.html" %}\n{% block main %}\n{% if %}\n{% endblock %}\n', 3),
    "escapes-its-folder": ('{% include "../site.toml" %}\n', 1),
    "undefined": (
        '{% extends "base.html" %}\n{% block main %}\n\n{{ nothing.here }}\n{% endblock %}\n',
        4,
    ),
}


@pytest.mark.parametrize("name", list(TEMPLATES))
def test_a_failing_template_is_named_and_the_previous_site_stays(tmp_path: Path, name: str) -> None:
    source, line = TEMPLATES[name]
    site = write_site(tmp_path / "site", {"content/a.md": GOOD})
    build(site, jobs=1)
    before = tree(site / "public")
    (site / "templates").mkdir()
    (site / "templates" / "article.html").write_text(source)
    done = run_digest("build", "--site", str(site))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    first = done.stderr.splitlines()[0]
    if name == "escapes-its-folder":
        assert "TemplateNotFound" in first and "site.toml" in first
    else:
        assert first.startswith(f"{site / 'templates' / 'article.html'}:{line}: while rendering ")
    assert tree(site / "public") == before
    assert not list((site / "public").rglob("*.digest-tmp"))
