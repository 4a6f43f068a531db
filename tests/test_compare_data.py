"""Sentence splitting, alignment, quotes and figures, from the cases in tests/data/compare/.

Each case names the line it starts on, so a failure points at the case to look at.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from digest.compare.align import align, content_stems
from digest.compare.figures import find_figures
from digest.compare.quotes import find_quotes, full_names
from digest.compare.sentences import split

DATA = Path(__file__).resolve().parent / "data" / "compare"


@dataclass(frozen=True)
class Case:
    """One case of a data file."""

    file: str
    line: int
    name: str
    rows: tuple[tuple[str, str], ...]

    def values(self, key: str) -> list[str]:
        return [value for k, value in self.rows if k == key]

    def __str__(self) -> str:
        return f"tests/data/compare/{self.file}:{self.line}: {self.name}"


def read_cases(name: str) -> list[Case]:
    """The cases of a data file: 'case:' lines, then 'key: value' or '> ' / '= ' lines."""
    cases: list[Case] = []
    current: tuple[int, str, list[tuple[str, str]]] | None = None
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("case:"):
            if current:
                cases.append(Case(name, current[0], current[1], tuple(current[2])))
            current = (number, line[5:].strip(), [])
            continue
        assert current is not None, f"{name}:{number}: a row before the first case"
        if line.startswith(("> ", "= ")) or line in (">", "="):
            current[2].append((line[0], line[2:]))
        else:
            key, _, value = line.partition(":")
            current[2].append((key.strip(), value.strip()))
    if current:
        cases.append(Case(name, current[0], current[1], tuple(current[2])))
    assert cases, f"{name} has no cases"
    return cases


def cases(name: str) -> list[object]:
    return [pytest.param(case, id=f"{case.file}:{case.line}") for case in read_cases(name)]


@pytest.mark.parametrize("case", cases("sentences.txt"))
def test_sentence_splitting(case: Case) -> None:
    paragraph = " ".join(case.values(">"))
    got = [paragraph[span.start : span.end] for span in split(paragraph)]
    assert (got or ["(none)"]) == case.values("="), str(case)


@pytest.mark.parametrize("case", cases("align.txt"))
def test_alignment(case: Case) -> None:
    a, b = case.values("a"), case.values("b")
    expected = set()
    for row in case.values("link"):
        if row:
            i, j = row.split("-")
            expected.add(((0, int(i)), (1, int(j))))
    bags = [[content_stems(s) for s in a], [content_stems(s) for s in b]]
    got = {(link.a, link.b) for link in align(bags)}
    assert got == expected, str(case)


@pytest.mark.parametrize("case", cases("quotes.txt"))
def test_quotes(case: Case) -> None:
    paragraphs = case.values(">")
    sentences = [
        (index, span.start, span.end)
        for index, paragraph in enumerate(paragraphs)
        for span in split(paragraph)
    ]
    found = find_quotes(paragraphs, sentences, full_names(paragraphs))
    got = [f"{q.speaker or '-'} | {q.text}" for q in found] or ["none"]
    assert got == case.values("="), str(case)


@pytest.mark.parametrize("case", cases("figures.txt"))
def test_figures(case: Case) -> None:
    (sentence,) = case.values(">")
    got = [f"{f.value} {f.counts} {f.qualifier}".strip() for f in find_figures(sentence)]
    assert (got or ["none"]) == case.values("="), str(case)


def test_every_data_file_is_read() -> None:
    """A case file that the parser silently skipped would test nothing."""
    for name in ("sentences.txt", "align.txt", "quotes.txt", "figures.txt"):
        for case in read_cases(name):
            assert case.values("=") or case.values("link") or case.values("a"), str(case)
