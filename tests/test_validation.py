"""Invalid content: every problem in every file, with the exact message, before any write."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from digest.build import build
from digest.errors import ProblemsError
from tests.conftest import REPO, article, write_site

CASES_FILE = REPO / "tests" / "data" / "invalid_articles.txt"


@dataclass(frozen=True)
class Case:
    name: str
    line: int
    text: str
    expected: list[str]


def read_cases() -> list[Case]:
    cases: list[Case] = []
    lines = CASES_FILE.read_text(encoding="utf-8").split("\n")
    n = 0
    while n < len(lines):
        if lines[n].startswith("=== "):
            name, start = lines[n][4:].strip(), n + 1
            end = lines.index("--- expect", n)
            stop = end + 1
            while stop < len(lines) and lines[stop].strip():
                stop += 1
            text = "\n".join(lines[n + 1 : end]) + "\n"
            cases.append(Case(name, start, text, lines[end + 1 : stop]))
            n = stop
        n += 1
    return cases


CASES = read_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_invalid_article_message(case: Case, tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {f"content/{case.name}.md": case.text})
    with pytest.raises(ProblemsError) as caught:
        build(site)
    got = [str(p) for p in caught.value.problems]
    assert got == case.expected, f"{CASES_FILE.name}:{case.line}: case {case.name}"
    assert not (site / "public").exists(), "a failed build wrote output"


def test_all_problems_of_all_files_reported_together(tmp_path: Path) -> None:
    files = {f"content/{c.name}.md": c.text for c in CASES}
    files["content/good.md"] = article("Fine", "2019-08-27", "AFP")
    site = write_site(tmp_path / "site", files)
    with pytest.raises(ProblemsError) as caught:
        build(site)
    got = [str(p) for p in caught.value.problems]
    assert got == [line for c in sorted(CASES, key=lambda c: c.name) for line in c.expected]


def test_duplicate_ids_name_both_files(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        {
            "content/a.md": article("A", "2019-08-27", "AFP", id="same-id"),
            "content/b.md": article("B", "2019-08-27", "AFP", id="Same ID"),
        },
    )
    with pytest.raises(ProblemsError) as caught:
        build(site)
    assert [str(p) for p in caught.value.problems] == [
        "content/b.md:1: id: 'Same ID' has an id with the same URL (same-id) as content/a.md"
        " (hint: give one of them another id)"
    ]


def test_unknown_field_is_a_warning_with_a_suggestion(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site", {"content/a.md": article("A", "2019-08-27", "AFP", tittle="x")}
    )
    result = build(site)
    assert [str(w) for w in result.warnings if "tittle" in str(w)] == [
        "content/a.md:5: tittle: unknown field (hint: did you mean 'title'?)"
    ]


def test_encodings_bom_crlf_accepted_latin1_refused(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {})
    text = article("Café", "2019-08-27", "AFP", body="Première ligne.")
    (site / "content" / "bom.md").write_bytes(b"\xef\xbb\xbf" + text.encode())
    (site / "content" / "crlf.md").write_bytes(
        article("Crlf", "2019-08-27", "AFP", id="crlf").replace("\n", "\r\n").encode()
    )
    (site / "content" / "latin.md").write_bytes(
        article("Latin", "2019-08-27", "AFP").encode().replace(b"Body", b"B\xe9dy")
    )
    with pytest.raises(ProblemsError) as caught:
        build(site)
    assert [str(p) for p in caught.value.problems] == [
        "content/latin.md:6: not valid UTF-8 (byte 0xe9) (hint: re-save the file as UTF-8)"
    ]
    (site / "content" / "latin.md").unlink()
    result = build(site)
    assert {a.title for a in result.model.articles.values()} == {"Café", "Crlf"}


def test_story_id_collision_between_pinned_and_loose(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        {
            "content/a.md": article("A", "2019-08-27", "AFP", story="solo"),
            "content/solo.md": article("Solo", "2019-08-28", "Reuters"),
        },
    )
    with pytest.raises(ProblemsError) as caught:
        build(site)
    assert [str(p) for p in caught.value.problems] == [
        "content/solo.md:1: story: 'solo' is also the story of content/a.md (hint: pin both "
        "with 'story: solo' to make them one story, or change one of them)"
    ]


def test_undated_draft_is_left_out_with_a_warning(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        {
            "content/a.md": article("A", "2019-08-27", "AFP"),
            "content/wait.md": "---\ntitle: Waiting\nsource: AFP\ndraft: true\n---\nText.\n",
        },
    )
    for drafts in (False, True):
        result = build(site, drafts=drafts)
        assert result.model is not None and list(result.model.articles) == ["a"]
        assert [str(w) for w in result.warnings if "wait.md" in str(w)] == [
            "content/wait.md:1: date: missing: this draft is left out until it has one "
            "(hint: add 'date: YYYY-MM-DD', then remove 'draft: true')"
        ]
