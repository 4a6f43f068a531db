"""Properties (hypothesis): any text imports and builds; imported words come back unchanged
from the built page; the loader and the importer's readers never crash on arbitrary bytes.

Every test is derandomized and keeps no example database, so CI runs the same examples
each time; the whole file stays well under a minute.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.build import build
from digest.errors import Problem
from digest.importer import Action, jsonl, plaintext, run_import
from digest.importer.draft import Draft
from digest.load import read_article
from tests.conftest import write_site

DAY = dt.date(2019, 8, 27)
FIXED = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Text an editor may paste: Markdown and HTML specials, entities, quotes, any script.
_CHARS = st.one_of(
    st.sampled_from(list("\\`*_[]<>#!&;:=-+.)0123456789 ~|\"'/ax\t")),
    st.sampled_from(["<script>", "</script>", "&amp;", "&#106;", "javascript:", "\u2028", "—"]),
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
)
ANY_TEXT = st.lists(_CHARS, max_size=60).map("".join)
LINES = st.lists(ANY_TEXT, min_size=1, max_size=8).map("\n".join)

# Words without '(' (a '(AFP) –' would become a dateline) and without control characters.
_WORD_CHARS = st.one_of(
    st.sampled_from(list("\\`*_[]<>#!&;:=-+.)0123456789~|\"'/ax")),
    st.sampled_from(["<script>", "</b>", "&amp;", "&#106;", "javascript:", "Erdoğan", "‘’"]),
    st.characters(
        codec="utf-8", exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp")
    ),
)
WORD = st.lists(_WORD_CHARS, min_size=1, max_size=8).map("".join).filter(lambda w: "(" not in w)
PARAGRAPH = st.lists(WORD, min_size=1, max_size=12).map(" ".join)


def _problem_is_located(problem: Problem, where: str) -> None:
    assert problem.path == where
    assert problem.line is None or problem.line >= 1
    assert str(problem).startswith(
        f"{where}:" if problem.line is None else f"{where}:{problem.line}:"
    )


@settings(FIXED, max_examples=25)
@given(LINES)
def test_any_text_imports_and_then_builds(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        site = write_site(Path(folder) / "site", {})
        source = Path(folder) / "in.txt"
        source.write_text(text, encoding="utf-8", newline="")
        report = run_import(site, [source], source="AFP", date=DAY)
        (item,) = report.items
        if item.action is Action.SKIPPED:
            assert item.problem is not None
            _problem_is_located(item.problem, str(source))
            return
        assert item.action is Action.CREATED
        result = build(site, jobs=1)  # what the importer wrote, the build reads
        assert result.articles == 1


class _Text(HTMLParser):
    """The text of the article's headline and of its body."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.in_h1 = False
        self.title: list[str] = []
        self.body: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "div" and (self.depth or ("class", "body") in attrs):
            self.depth += 1
        self.in_h1 = self.in_h1 or tag == "h1"

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self.depth:
            self.depth -= 1
        if tag == "h1":
            self.in_h1 = False

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.body.append(data)
        elif self.in_h1:
            self.title.append(data)


@settings(FIXED, max_examples=25)
@given(title=PARAGRAPH, paragraphs=st.lists(PARAGRAPH, min_size=1, max_size=4))
def test_imported_words_come_back_from_the_built_page(title: str, paragraphs: list[str]) -> None:
    text = "\n\n".join(paragraphs)
    line = {"id": "a1", "title": title, "date": DAY.isoformat(), "source": "AFP", "text": text}
    with tempfile.TemporaryDirectory() as folder:
        site = write_site(Path(folder) / "site", {})
        source = Path(folder) / "in.jsonl"
        source.write_text(json.dumps(line) + "\n", encoding="utf-8")
        report = run_import(site, [source], source=None, date=None)
        assert [item.action for item in report.items] == [Action.CREATED], report.items
        build(site, jobs=1)
        page = (site / "public" / "articles" / "a1" / "index.html").read_text(encoding="utf-8")
    parsed = _Text()
    parsed.feed(page)
    assert " ".join("".join(parsed.title).split()) == " ".join(title.split())
    assert "".join(parsed.body).split() == text.split()


# --- bounded fuzz of the readers ---------------------------------------------------------------

_YAMLISH = st.sampled_from(
    [
        "---\n",
        "title: ",
        "date: 2019-08-27",
        "date: 2019-08-27T10:00:00+03:00",
        "source: AFP",
        "id: ",
        "places: [",
        "tags:\n  - ",
        "provenance: {",
        "&a ",
        "*a",
        "<<: ",
        "!!python/object:os.system ",
        "!!binary ",
        "? ",
        "- ",
        "[",
        "]",
        "{",
        "}",
        ", ",
        ": ",
        "'",
        '"',
        "\\",
        "#",
        "|",
        ">",
        "%YAML 1.1\n",
        "\t",
        "\n",
        "\r\n",
        "\r",
        "\ufeff",
        "\x00",
        "\x85",
        "\u2028",
        "<script>",
        "..",
        "/",
        "con",
    ]
)
YAMLISH = st.lists(st.one_of(_YAMLISH, ANY_TEXT), max_size=30).map("".join)
_KEY_LINES = [
    "title: A",
    "date: 2019-08-27",
    "source: AFP",
    "url: https://example.org/",
    "places: [Idlib, Syria]",
    "provenance: {date: inferred}",
]
# Mostly valid front matter with a few hostile lines and any body: reaches the schema.
FRONT_MATTER = st.tuples(
    st.permutations(_KEY_LINES),
    st.lists(st.one_of(st.from_regex(r"[a-z]{1,6}: ", fullmatch=True), YAMLISH), max_size=3),
    ANY_TEXT,
).map(lambda p: "---\n" + "\n".join([*p[0], "".join(p[1])]) + "\n---\n" + p[2])
BYTES = st.one_of(
    st.binary(max_size=400),
    YAMLISH.map(lambda t: t.encode("utf-8", "surrogatepass")),
    FRONT_MATTER.map(lambda t: t.encode("utf-8", "surrogatepass")),
    FRONT_MATTER.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.tuples(YAMLISH, st.binary(max_size=40)).map(lambda p: p[0].encode() + p[1]),
)


@settings(FIXED, max_examples=600)
@given(BYTES)
def test_loader_never_crashes(raw: bytes) -> None:
    record, problems, warnings = read_article(raw, "content/x.md", "x")
    assert (record is None) == bool(problems)
    for problem in [*problems, *warnings]:
        _problem_is_located(problem, "content/x.md")
    if record is not None:
        assert record.title and record.source and record.id
        assert "\x00" not in record.body


@settings(FIXED, max_examples=400)
@given(BYTES)
def test_plain_text_reader_never_crashes(raw: bytes) -> None:
    read = plaintext.read(raw, "in.txt")
    if isinstance(read, Problem):
        _problem_is_located(read, "in.txt")
    else:
        assert isinstance(read, Draft)
        assert read.body.strip()


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ANY_TEXT, inner, max_size=3),
    max_leaves=8,
)
_KEYS = st.sampled_from([*sorted(jsonl.KNOWN_KEYS), "extra", ""])
_OBJECTS = st.dictionaries(_KEYS, _JSON_VALUES, max_size=6).map(json.dumps)
JSONL = st.one_of(
    st.binary(max_size=400),
    st.lists(st.one_of(_OBJECTS, ANY_TEXT), max_size=5).map(lambda ls: "\n".join(ls).encode()),
)


@settings(FIXED, max_examples=400)
@given(JSONL)
def test_json_lines_reader_never_crashes(raw: bytes) -> None:
    items, warnings = jsonl.read(raw, "in.jsonl")
    for item in [*items, *warnings]:
        if isinstance(item, Problem):
            _problem_is_located(item, "in.jsonl")
            assert item.line is not None
        else:
            assert isinstance(item, Draft)
            assert item.body.strip()
