"""Data-driven import tests: each folder of tests/data/import/ is one case.

A case holds ``input/`` (raw articles as editors drop them), ``expected/`` (every content
file the import must create, byte for byte: front matter and body), ``report.txt`` (what
the import must say, one line an item) and optionally ``options.toml`` (``source``,
``date``: the command line's --source and --date). A failure cites the fixture's file and
line. ``pytest tests/test_import_fixtures.py --update-golden`` rewrites the expectations
from the current importer: review the diff before committing it.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from digest.importer import Action, ImportReport, run_import
from digest.load import read_article
from digest.markdown import render_body
from tests.conftest import REPO, write_site

CASES = REPO / "tests" / "data" / "import"
NAMES = sorted(p.name for p in CASES.iterdir() if (p / "input").is_dir())


def report_lines(report: ImportReport) -> list[str]:
    """The report as the fixtures write it."""
    lines: list[str] = []
    for item in report.items:
        if item.action is Action.SKIPPED:
            lines.append(f"skipped {item.problem}")
        else:
            needs = " (needs a date)" if item.needs_date else ""
            lines.append(f"{item.action.value}: {item.path}{needs}")
    lines += [f"warning {w}" for w in report.warnings]
    return lines


def _compare(expected_file: Path, got: str) -> None:
    """Fail at the first differing line, citing the fixture's file and line."""
    where = expected_file.relative_to(REPO).as_posix()
    want = expected_file.read_text(encoding="utf-8").split("\n")
    have = got.split("\n")
    for number, (a, b) in enumerate(zip(want, have, strict=False), start=1):
        if a != b:
            pytest.fail(f"{where}:{number}: expected {a!r}\n{' ' * len(where)}  got      {b!r}")
    if len(want) != len(have):
        number = min(len(want), len(have)) + 1
        pytest.fail(f"{where}:{number}: expected {len(want)} lines, got {len(have)}")


def _run(name: str, site: Path) -> ImportReport:
    """Import the case's input/ as the command would, with the case's options."""
    case = CASES / name
    options = {}
    if (case / "options.toml").is_file():
        options = tomllib.loads((case / "options.toml").read_text(encoding="utf-8"))
    date = dt.date.fromisoformat(options["date"]) if "date" in options else None
    return run_import(site, [Path("input")], source=options.get("source"), date=date)


def _import_case(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, ImportReport]:
    site = write_site(tmp_path / "site", {})
    monkeypatch.chdir(CASES / name)
    return site, _run(name, site)


@pytest.mark.parametrize("name", NAMES)
def test_case(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, update_golden: bool
) -> None:
    case = CASES / name
    site, report = _import_case(name, tmp_path, monkeypatch)
    made = {p.name: p.read_text(encoding="utf-8") for p in sorted((site / "content").iterdir())}
    expected = case / "expected"
    if update_golden:
        expected.mkdir(exist_ok=True)
        for old in expected.glob("*.md"):
            old.unlink()
        for file_name, text in made.items():
            (expected / file_name).write_text(text, encoding="utf-8")
        (case / "report.txt").write_text("\n".join(report_lines(report)) + "\n", encoding="utf-8")
    want = sorted(p.name for p in expected.glob("*.md")) if expected.is_dir() else []
    assert sorted(made) == want, f"{case.relative_to(REPO)}: files made differ from expected/"
    for file_name in want:
        _compare(expected / file_name, made[file_name])
    _compare(case / "report.txt", "\n".join(report_lines(report)) + "\n")


@pytest.mark.parametrize("name", NAMES)
def test_case_output_loads_as_the_build_reads_it(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, report = _import_case(name, tmp_path, monkeypatch)
    assert report.created, "every case creates at least one file"
    for path in report.created:
        raw = (site / path).read_bytes()
        record, problems, warnings = read_article(raw, path, Path(path).stem)
        assert record is not None and not problems and not warnings, (path, problems, warnings)
        assert render_body(record.body).paragraphs, path


@pytest.mark.parametrize("name", NAMES)
def test_case_again_is_unchanged(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, first = _import_case(name, tmp_path, monkeypatch)
    before = {p.name: p.read_bytes() for p in (site / "content").iterdir()}
    again = _run(name, site)
    assert [i.action for i in again.items if i.action is not Action.SKIPPED] == [
        Action.UNCHANGED
    ] * len(first.created)
    assert again.unchanged == first.created
    assert again.skipped == first.skipped
    assert not again.created
    assert {p.name: p.read_bytes() for p in (site / "content").iterdir()} == before
