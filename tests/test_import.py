"""The importer's behaviour around the fixtures: batches, re-imports, edits, names, YAML,
JSON Lines and encodings. The seed texts are read from tests/data/import/seeds/input/.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.importer import escape, run_import
from digest.importer.plaintext import paragraphs, parse
from digest.load import read_article
from digest.markdown import render_body
from tests.conftest import REPO, write_site

DATA = REPO / "tests" / "data" / "import"
AFP = DATA / "seeds" / "input" / "afp-idlib.txt"
AA = DATA / "seeds" / "input" / "anadolu-idlib.txt"
AFP_NAME = "2019-08-27-afp-russia-turkey-share-serious-concerns-over-syria-fighting.md"
AA_ID = "2019-08-27-anadolu-agency-the-leaders-of-russia-and-turkey-said-on-tuesday-they"
INFERRED = f"inferred: 'said Tuesday' and version {AA_ID} is dated 2019-08-27"


def _site(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    return write_site(tmp_path / "site", files or {})


def _record(site: Path, name: str):  # type: ignore[no-untyped-def]
    path = site / "content" / name
    record, problems, _ = read_article(path.read_bytes(), name, path.stem)
    assert record is not None, problems
    return record


def _copy(tmp_path: Path, source: Path, name: str | None = None, text: str | None = None) -> Path:
    target = tmp_path / "in" / (name or source.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text if text is not None else source.read_text(encoding="utf-8"), "utf-8")
    return target


# Plain text stays plain ---------------------------------------------------------------------

_CHARS = st.one_of(
    st.sampled_from(list("\\`*_[]<>#!&;:=-+.)(0123456789 ~|\"'ax")),
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
)


@settings(max_examples=400, deadline=None)
@given(st.text(_CHARS, min_size=1, max_size=40))
def test_escaped_paragraph_and_heading_render_as_the_original_text(text: str) -> None:
    words = escape.normalise_space(text)
    if not words:
        return
    assert render_body(escape.paragraph(text)).paragraphs == (words,)
    assert render_body(escape.heading(text)).paragraphs == (words,)


def test_markdown_special_fixture_renders_its_words_back() -> None:
    raw = (DATA / "markdown-special" / "input" / "special.txt").read_text(encoding="utf-8")
    parsed = parse(raw, "special.txt")
    assert not isinstance(parsed, Exception) and hasattr(parsed, "blocks")
    body = "\n\n".join(parsed.blocks)
    assert render_body(body).paragraphs == parsed.paragraphs
    html = render_body(body).html
    for tag in ("<em>", "<code>", "<ol", "<ul", "<blockquote>", "<h2>", "<b>"):
        assert tag not in html
    assert "the_square" in render_body(body).paragraphs[0]


@pytest.mark.parametrize(
    ("text", "place", "outlet", "lead"),
    [
        ("Moscow (AFP) –\n\nThe leaders met.", "Moscow", "AFP", "The leaders met."),
        ("BEIRUT, Lebanon (AP) — Shelling resumed.", "BEIRUT, Lebanon", "AP", "Shelling resumed."),
        ("Rio de Janeiro (Reuters) - Police said.", "Rio de Janeiro", "Reuters", "Police said."),
        ("The Syrian Observatory for Human Rights (SOHR) - a monitor said.", None, None, None),
        ("Putin (left) - with Erdogan - met.", None, None, None),
    ],
)
def test_dateline(text: str, place: str | None, outlet: str | None, lead: str | None) -> None:
    parsed = parse(text, "x.txt", headline=False)
    assert not isinstance(parsed, Exception)
    assert (parsed.dateline, parsed.outlet) == (place, outlet)
    if lead is not None:
        assert parsed.paragraphs[0] == lead
    else:
        assert parsed.paragraphs[0] == " ".join(text.split())


def test_paragraphs_split_on_blank_lines_or_on_lines_when_there_is_none() -> None:
    assert [p.text for p in paragraphs("a\nb\n\nc\n")] == ["a b", "c"]
    assert [(p.line, p.text) for p in paragraphs("a\nb\nc")] == [(1, "a"), (2, "b"), (3, "c")]


def test_bad_date_marker_names_its_line(tmp_path: Path) -> None:
    site = _site(tmp_path)
    raw = _copy(tmp_path, AFP, "bad.txt", "Headline here\n\n date 2019-02-30 Text.\n")
    report = run_import(site, [raw], source=None, date=None)
    (problem,) = report.skipped
    assert (problem.line, problem.message) == (3, "date marker: not a date: '2019-02-30'")


# Dates: inferred only with evidence ---------------------------------------------------------


@pytest.mark.parametrize("order", [(AFP, AA), (AA, AFP)])
def test_seed_date_inferred_from_the_other_version_in_any_order(
    tmp_path: Path, order: tuple[Path, Path]
) -> None:
    site = _site(tmp_path)
    report = run_import(site, list(order), source="Anadolu Agency", date=None)
    assert len(report.created) == 2 and not report.needs_date and not report.skipped
    afp = _record(site, AFP_NAME)
    assert (afp.date, afp.source, afp.dateline) == (dt.date(2019, 8, 27), "AFP", "Moscow")
    assert dict(afp.provenance) == {"date": INFERRED}
    anadolu = _record(site, AA_ID + ".md")
    assert dict(anadolu.provenance) == {
        "source": "given on the command line (--source)",
        "title": "derived from the lead",
    }


def test_seed_date_inferred_from_content_in_a_later_run(tmp_path: Path) -> None:
    site = _site(tmp_path)
    first = run_import(site, [AA], source="Anadolu Agency", date=None)
    assert first.created == (f"content/{AA_ID}.md",)
    second = run_import(site, [AFP], source=None, date=None)
    assert second.created == (f"content/{AFP_NAME}",)
    assert dict(_record(site, AFP_NAME).provenance) == {"date": INFERRED}


def test_without_evidence_the_seed_is_a_draft_that_needs_a_date(tmp_path: Path) -> None:
    site = _site(tmp_path)
    report = run_import(site, [AFP], source=None, date=None)
    name = "undated-afp-russia-turkey-share-serious-concerns-over-syria-fighting.md"
    assert report.needs_date == report.created == (f"content/{name}",)
    record = _record(site, name)
    assert record.draft and record.date is None
    assert "unknown" in dict(record.provenance)["date"]


def test_date_option_is_used_and_marked_when_nothing_else_dates_it(tmp_path: Path) -> None:
    site = _site(tmp_path)
    run_import(site, [AFP], source=None, date=dt.date(2019, 8, 28))
    record = _record(site, AFP_NAME.replace("2019-08-27", "2019-08-28"))
    assert record.date == dt.date(2019, 8, 28) and not record.draft
    assert dict(record.provenance) == {"date": "given on the command line (--date)"}


def _evidence(tmp_path: Path, text: str, date: str, source: str = "Anadolu Agency") -> Path:
    body = json.dumps(
        {"id": "evidence", "title": "E", "text": text, "date": date, "source": source}
    )
    return _copy(tmp_path, AA, "evidence.jsonl", body + "\n")


def _aa_text() -> str:
    return AA.read_text(encoding="utf-8").split(" ", 3)[3]


@pytest.mark.parametrize(
    ("why", "text", "date", "source"),
    [
        (
            "weekday differs",
            _aa_text().replace("on Tuesday", "on Wednesday", 1),
            "2019-08-28",
            "AA",
        ),
        ("outside the window", _aa_text(), "2019-09-02", "AA"),
        ("same outlet", _aa_text(), "2019-08-27", "AFP"),
        (
            "another event",
            (DATA / "crossheads" / "input" / "crossheads.txt").read_text(encoding="utf-8"),
            "2019-08-27",
            "AA",
        ),
    ],
)
def test_no_date_is_inferred_without_consistent_evidence(
    tmp_path: Path, why: str, text: str, date: str, source: str
) -> None:
    site = _site(tmp_path)
    report = run_import(
        site, [_evidence(tmp_path, text, date, source), AFP], source=None, date=None
    )
    assert len(report.created) == 2, why
    assert len(report.needs_date) == 1, why


def test_the_same_evidence_dated_correctly_does_infer(tmp_path: Path) -> None:
    site = _site(tmp_path)
    report = run_import(
        site, [_evidence(tmp_path, _aa_text(), "2019-08-29", "AA"), AFP], source=None, date=None
    )
    assert not report.needs_date
    note = "inferred: 'said Tuesday' and version evidence is dated 2019-08-29"
    assert dict(_record(site, AFP_NAME).provenance) == {"date": note}


def test_an_article_too_large_to_build_is_skipped_not_written(tmp_path: Path) -> None:
    site = _site(tmp_path)
    batch = tmp_path / "batch.jsonl"
    big = {"text": "word " * 500_000, "date": "2019-01-01", "source": "X"}
    small = {"text": "A small one.", "date": "2019-01-01", "source": "X"}
    batch.write_text(json.dumps(big) + "\n" + json.dumps(small) + "\n", encoding="utf-8")
    report = run_import(site, [batch], source=None, date=None)
    assert [str(p) for p in report.skipped] == [
        f"{batch}:1: larger than 2 MB once imported; split it "
        "(hint: split it into several articles)"
    ]
    assert len(report.created) == 1
