"""What the importer writes: safe names, safe YAML, no clobbering, honest reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from digest.errors import DigestError, OutputError
from digest.importer import Action, run_import
from digest.importer import run as importer_run
from digest.importer.similar import profile, same_event
from digest.importer.writer import write_new
from digest.load import load_content, read_article
from tests.conftest import REPO, SHARED, article, write_site

DATA = REPO / "tests" / "data" / "import"
SEEDS = sorted((DATA / "seeds" / "input").iterdir())


def _site(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    return write_site(tmp_path / "site", files or {})


def _jsonl(tmp_path: Path, rows: list[object], name: str = "batch.jsonl") -> Path:
    path = tmp_path / "in" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _files(site: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((site / "content").iterdir())}


def test_import_again_writes_nothing_and_says_unchanged(tmp_path: Path) -> None:
    site = _site(tmp_path)
    first = run_import(site, SEEDS, source="Anadolu Agency", date=None)
    before = _files(site)
    again = run_import(site, SEEDS, source="Anadolu Agency", date=None)
    assert [i.action for i in again.items] == [Action.UNCHANGED, Action.UNCHANGED]
    assert again.unchanged == first.created
    assert _files(site) == before


def test_an_edited_file_is_kept_and_reported(tmp_path: Path) -> None:
    site = _site(tmp_path)
    first = run_import(site, SEEDS, source="Anadolu Agency", date=None)
    edited = site / first.created[0]
    text = edited.read_text(encoding="utf-8").replace("provenance:\n  date:", "provenance:\n  x:")
    edited.write_text(text + "\nAn editor's note.\n", encoding="utf-8")
    again = run_import(site, SEEDS, source="Anadolu Agency", date=None)
    assert again.kept == (first.created[0],)
    assert again.unchanged == (first.created[1],)
    assert edited.read_text(encoding="utf-8").endswith("An editor's note.\n")
    assert len(list((site / "content").iterdir())) == 2


def test_a_file_the_editor_broke_is_kept_not_duplicated(tmp_path: Path) -> None:
    site = _site(tmp_path)
    first = run_import(site, SEEDS, source="Anadolu Agency", date=None)
    broken = site / first.created[1]
    broken.write_text("---\ntitle: [unclosed\n---\nBody\n", encoding="utf-8")
    again = run_import(site, SEEDS, source="Anadolu Agency", date=None)
    assert again.kept == (first.created[1],)
    assert not again.created


def test_a_batch_is_read_whole_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _site(tmp_path)
    events: list[str] = []
    real_read, real_write = importer_run._read, importer_run.write_new

    def read(path: Path):  # type: ignore[no-untyped-def]
        events.append("read")
        return real_read(path)

    def write(folder: Path, name: str, data: bytes) -> None:
        events.append("write")
        real_write(folder, name, data)

    monkeypatch.setattr(importer_run, "_read", read)
    monkeypatch.setattr(importer_run, "write_new", write)
    calls: list[tuple[int, int]] = []
    rows = [{"text": f"Article {n}.", "date": "2020-01-01", "title": f"T {n}"} for n in range(5)]
    inputs = [_jsonl(tmp_path, rows[:3], "a.jsonl"), _jsonl(tmp_path, rows[3:], "b.jsonl")]
    report = run_import(
        site, inputs, source=None, date=None, progress=lambda d, t: calls.append((d, t))
    )
    assert events == ["read"] * 2 + ["write"] * 5
    assert calls == [(n, 5) for n in range(1, 6)]
    assert len(report.created) == 5
    assert not [p for p in (site / "content").iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize(
    "title",
    [
        'He said: "no"',
        "#1 priority",
        "a # b: c",
        "yes",
        "null",
        "2019-08-27",
        "'quoted'",
        "- dash",
        "[x] {y}",
        "ends with colon:",
        "Erdoğan & Putin — ‘talks’",
        "100",
    ],
)
def test_titles_survive_yaml(tmp_path: Path, title: str) -> None:
    site = _site(tmp_path)
    row = {"id": "x1", "title": title, "text": "Body.", "date": "2020-01-01", "source": "S"}
    report = run_import(site, [_jsonl(tmp_path, [row])], source=None, date=None)
    (path,) = report.created
    record, problems, _ = read_article((site / path).read_bytes(), path, "x")
    assert record is not None, problems
    assert (record.id, record.title, record.source) == ("x1", title, "S")


def test_file_names_are_unique_ascii_slugs_inside_content(tmp_path: Path) -> None:
    site = _site(tmp_path)
    same = {"title": "Talks in Genève", "text": "Body.", "date": "2020-01-01", "source": "AFP"}
    rows: list[object] = [
        {**same, "id": "one"},
        {**same, "id": "two"},
        {"id": "../../../outside", "title": "../../escape", "text": "B.", "date": "2020-01-01"},
        {"id": "ru", "title": "Мирные переговоры", "text": "Текст.", "date": "2020-01-01"},
        {"id": "long", "title": "word " * 60, "text": "B.", "date": "2020-01-01", "source": "S"},
    ]
    report = run_import(site, [_jsonl(tmp_path, rows)], source=None, date=None)
    names = [Path(p).name for p in report.created]
    assert names == [
        "2020-01-01-afp-talks-in-geneve.md",
        "2020-01-01-afp-talks-in-geneve-2.md",
        "2020-01-01-unattributed-escape.md",
        "2020-01-01-unattributed-article.md",
        "2020-01-01-s-" + "-".join(["word"] * 13) + ".md",  # 77 chars: cut at a word
    ]
    assert all(n.isascii() and len(n) <= 83 for n in names)
    assert sorted(p.name for p in tmp_path.rglob("*.md")) == sorted(names)
    assert {r.id for r in load_content(site).records} == {
        "one",
        "two",
        "../../../outside",
        "ru",
        "long",
    }


def test_derived_ids_that_collide_get_a_number(tmp_path: Path) -> None:
    site = _site(tmp_path)
    folder = tmp_path / "in"
    folder.mkdir()
    for n, body in enumerate(["First text.", "Second text."]):
        (folder / f"{n}.txt").write_text(f"Same headline\n\n date 2020-01-01 {body}\n", "utf-8")
    report = run_import(site, [folder], source=None, date=None)
    ids = sorted(r.id for r in load_content(site).records)
    assert ids == [
        "2020-01-01-unattributed-same-headline",
        "2020-01-01-unattributed-same-headline-2",
    ]
    assert len(report.created) == 2


def test_given_ids_that_collide_are_skipped_with_their_line(tmp_path: Path) -> None:
    site = _site(tmp_path, {"content/old.md": article("Old", "2020-01-01", "S", id="Kyiv Tower")})
    rows = [
        {"id": "a", "text": "One.", "date": "2020-01-01"},
        {"id": "a", "text": "Two.", "date": "2020-01-01"},
        {"id": "kyiv-tower", "text": "Three.", "date": "2020-01-01"},
    ]
    report = run_import(site, [_jsonl(tmp_path, rows)], source=None, date=None)
    assert len(report.created) == 1
    lines = [(p.line, p.message.split(" gives")[0]) for p in report.skipped]
    assert lines == [(2, "id: 'a'"), (3, "id: 'kyiv-tower'")]
    assert "content/old.md" in report.skipped[1].message


def test_jsonl_bad_lines_are_named_and_the_others_imported(tmp_path: Path) -> None:
    site = _site(tmp_path)
    path = tmp_path / "in" / "mixed.jsonl"
    path.parent.mkdir(parents=True)
    good = json.dumps({"text": "Good.", "date": "2020-01-01", "title": "G"}).encode()
    path.write_bytes(
        b"\xef\xbb\xbf"
        + good
        + b"\r\n"
        + b'{"text": "caf\xe9"}\n'
        + b"[1]\n\n"
        + good.replace(b"G", b"H")
    )
    report = run_import(site, [path], source=None, date=None)
    assert [(p.line, p.message.split(" (")[0]) for p in report.skipped] == [
        (2, "not valid UTF-8"),
        (3, "expected a JSON object"),
    ]
    assert len(report.created) == 2


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        ("Headline\n\nThe café.\n".encode("latin-1"), 3),
        ("Headline\n\nText.\n".encode("utf-16"), 1),
        (b"Headline\n\nText \x00 here.\n", 3),
    ],
)
def test_other_encodings_are_reported_not_guessed(tmp_path: Path, raw: bytes, line: int) -> None:
    site = _site(tmp_path)
    path = tmp_path / "in" / "a.txt"
    path.parent.mkdir(parents=True)
    path.write_bytes(raw)
    report = run_import(site, [path], source=None, date=None)
    (problem,) = report.skipped
    assert (problem.path, problem.line) == (str(path), line)
    assert not report.created


def test_crlf_and_bom_give_the_same_file_as_lf(tmp_path: Path) -> None:
    text = "Headline\n\nMoscow (AFP) –\n\n date 2020-01-01 Para one\nwrapped.\n\nPara two.\n"
    outputs = []
    for n, raw in enumerate([text.encode(), b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()]):
        site = write_site(tmp_path / f"s{n}", {})
        path = tmp_path / f"in{n}" / "a.txt"
        path.parent.mkdir()
        path.write_bytes(raw)
        run_import(site, [path], source=None, date=None)
        outputs.append(_files(site))
    assert outputs[0] == outputs[1]
    assert b"Para one wrapped." in next(iter(outputs[0].values()))


def test_markdown_is_copied_as_is_or_refused_with_the_builds_message(tmp_path: Path) -> None:
    site = _site(tmp_path)
    folder = DATA / "markdown-copy" / "input"
    report = run_import(site, [folder / "ready.md", folder / "broken.md"], source=None, date=None)
    assert report.created == ("content/ready.md",)
    assert (site / "content" / "ready.md").read_bytes() == (folder / "ready.md").read_bytes()
    built = write_site(tmp_path / "b", {"content/broken.md": (folder / "broken.md").read_text()})
    (build_problem,) = load_content(built).problems
    (problem,) = report.skipped
    assert (problem.line, problem.message, problem.hint) == (
        build_problem.line,
        build_problem.message,
        build_problem.hint,
    )


def test_unknown_formats_and_missing_files_are_skipped(tmp_path: Path) -> None:
    site = _site(tmp_path)
    odd = tmp_path / "notes.docx"
    odd.write_bytes(b"PK")
    report = run_import(site, [odd, tmp_path / "missing.txt"], source=None, date=None)
    assert [p.message.split(":")[0] for p in report.skipped] == [
        "unknown format '.docx'",
        "cannot read",
    ]


def test_a_folder_without_site_toml_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DigestError, match=r"site\.toml"):
        run_import(tmp_path, SEEDS, source=None, date=None)
    assert not (tmp_path / "content").exists()


def test_write_new_never_replaces_a_file(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_bytes(b"mine")
    with pytest.raises(OutputError):
        write_new(tmp_path, "a.md", b"theirs")
    with pytest.raises(OutputError):
        write_new(tmp_path, "../b.md", b"x")
    assert (tmp_path / "a.md").read_bytes() == b"mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


def test_places_and_people_only_when_given(tmp_path: Path) -> None:
    site = _site(tmp_path)
    rows = [
        {
            "id": "p",
            "text": "Putin met Erdogan in Sochi.",
            "date": "2020-01-01",
            "people": ["Vladimir Putin"],
        },
        {"id": "q", "text": "Putin met Erdogan in Sochi again.", "date": "2020-01-02"},
    ]
    run_import(site, [_jsonl(tmp_path, rows)], source=None, date=None)
    records = {r.id: r for r in load_content(site).records}
    assert (records["p"].people, records["p"].places) == (("Vladimir Putin",), ())
    assert (records["q"].people, records["q"].places) == ((), ())


def test_same_event_measure_is_conservative_on_labelled_news() -> None:
    data = SHARED / "data" / "ecbplus-dev.jsonl"
    if not data.is_file():
        pytest.skip(f"labelled news not found at {data}")
    rows = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines()]
    profiles = [profile((r["title"] or "") + "\n" + r["text"]) for r in rows]
    right = wrong = 0
    for i in range(len(rows)):
        for j in range(i + 1, len(rows)):
            if same_event(profiles[i], profiles[j]):
                if rows[i]["cluster"] == rows[j]["cluster"]:
                    right += 1
                else:
                    wrong += 1
    assert right > 500
    assert wrong / (right + wrong) < 0.03
    seeds = [profile(p.read_text(encoding="utf-8")) for p in SEEDS]
    assert same_event(*seeds)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"text": "T.", "date": "3 March"}, "date: expected YYYY-MM-DD or an ISO datetime"),
        ({"text": "T.", "date": "2020-01-01T10:00:00"}, "date: datetime 2020-01-01T10:00:00 has"),
        ({"text": "T.", "title": ["a"]}, "title: expected text, got list"),
        ({"text": "T.", "places": "Kyiv", "people": [1]}, "people: expected a list of names"),
        ({"text": "T.", "lang": "english!"}, "lang: not a language tag"),
        ({"text": "   "}, "text: missing or empty"),
    ],
)
def test_jsonl_field_problems_name_the_field_and_line(
    tmp_path: Path, row: dict[str, object], message: str
) -> None:
    site = _site(tmp_path)
    good = {"text": "Fine.", "date": "2020-01-01", "title": "Fine"}
    report = run_import(site, [_jsonl(tmp_path, [good, row])], source=None, date=None)
    (problem,) = report.skipped
    assert problem.line == 2 and problem.message.startswith(message), problem
    assert len(report.created) == 1
