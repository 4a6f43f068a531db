"""Reading the content folder on every core: each file read, validated and rendered once.

The Markdown stage is most of a cold build's CPU, so it runs in the same workers that read
the files; only the records (without their bodies) and the rendered bodies travel back.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from digest.errors import Problem
from digest.load import content_files, read_file
from digest.markdown import RenderedBody, render_body
from digest.parallel import map_chunks
from digest.records import ArticleRecord


@dataclass(frozen=True, slots=True)
class Ingested:
    """The content folder, read: records, their rendered bodies, problems and warnings."""

    records: tuple[ArticleRecord, ...]
    """Valid records, in file order, with empty bodies (the rendering is kept instead)."""
    bodies: dict[str, RenderedBody]
    """Record fingerprint -> its rendered body."""
    problems: tuple[Problem, ...]
    """Everything wrong, in file order."""
    warnings: tuple[Problem, ...]
    """Things to tell the editor."""


Result = tuple[ArticleRecord | None, list[Problem], list[Problem], RenderedBody | None]


def ingest(site: Path, jobs: int) -> Ingested:
    """Read, validate and render every content file, on ``jobs`` processes."""
    files = content_files(site)

    def work(start: int, stop: int) -> list[Result]:
        done: list[Result] = []
        for path in files[start:stop]:
            record, problems, warnings = read_file(site, path)
            if record is None:
                done.append((None, problems, warnings, None))
                continue
            body = render_body(record.body)
            done.append((dataclasses.replace(record, body=""), problems, warnings, body))
        return done

    records: list[ArticleRecord] = []
    bodies: dict[str, RenderedBody] = {}
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for record, file_problems, file_warnings, body in map_chunks(work, len(files), jobs):
        problems += file_problems
        warnings += file_warnings
        if record is not None and body is not None:
            records.append(record)
            bodies[record.fingerprint] = body
    return Ingested(tuple(records), bodies, tuple(problems), tuple(warnings))
