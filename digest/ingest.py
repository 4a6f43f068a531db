"""Reading the content folder: each file read, validated and rendered once, on every core.

A file whose exact bytes were seen before comes from the build cache. The rest are parsed
and their Markdown rendered in forked workers (Markdown is most of a cold build's CPU); only
records without their bodies and the rendered bodies travel back.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from digest.cache import BuildCache, Entry
from digest.errors import Problem
from digest.load import CONTENT_DIR, content_files, file_key, is_outside, read_article
from digest.markdown import RenderedBody, render_body
from digest.parallel import map_chunks
from digest.records import ArticleRecord
from digest.search import Words, article_words


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
    keys: tuple[str, ...]
    """The cache key of every readable file, in file order: the content's signature."""
    words: dict[str, Words]
    """Record fingerprint -> the words search finds it by."""


@dataclass(frozen=True, slots=True)
class Source:
    """One content file's bytes, read once."""

    where: str
    """Its path relative to the site, for messages."""
    stem: str
    """Its name without extension: the default id."""
    raw: bytes
    """Its bytes."""
    key: str
    """Its cache key (bytes and path)."""


def read_sources(site: Path) -> tuple[list[Source], list[Problem]]:
    """Every content file's bytes; unreadable files and symlinks out are problems."""
    sources: list[Source] = []
    problems: list[Problem] = []
    folder = site / CONTENT_DIR
    for path in content_files(site):
        where = path.relative_to(site).as_posix()
        if path.is_symlink() and is_outside(path, folder):
            problems.append(
                Problem(
                    where,
                    None,
                    "symlink to a file outside content/",
                    "copy the file into content/ instead",
                )
            )
            continue
        try:
            raw = path.read_bytes()
        except OSError as error:
            problems.append(Problem(where, None, f"cannot read: {error.strerror}"))
            continue
        sources.append(Source(where, path.stem, raw, file_key(where, raw)))
    return sources, problems


Parsed = tuple[str, Entry | None, list[Problem]]


def ingest(sources: Sequence[Source], jobs: int, cache: BuildCache | None = None) -> Ingested:
    """Validate and render every content file, on ``jobs`` processes."""
    problems: list[Problem] = []
    cached = cache.get_many([s.key for s in sources]) if cache else {}
    missing = [s for s in sources if s.key not in cached]

    def work(start: int, stop: int) -> list[Parsed]:
        done: list[Parsed] = []
        for source in missing[start:stop]:
            record, file_problems, warnings = read_article(source.raw, source.where, source.stem)
            if record is None:
                done.append((source.key, None, file_problems))
                continue
            body = render_body(record.body)
            summary = record.summary or (body.paragraphs[0] if body.paragraphs else "")
            names = (*record.places, *record.people, *record.tags)
            words = article_words(
                record.title, record.source, record.dateline, names, summary, body.paragraphs
            )
            entry = (dataclasses.replace(record, body=""), body, tuple(warnings), words)
            done.append((source.key, entry, file_problems))
        return done

    fresh: dict[str, Entry] = {}
    for key, entry, file_problems in map_chunks(work, len(missing), jobs):
        problems += file_problems
        if entry is not None:
            fresh[key] = entry
    if cache is not None and (fresh or len(cached) != len(sources)):
        cache.put_many(fresh.items(), keep=[s.key for s in sources])
    records: list[ArticleRecord] = []
    bodies: dict[str, RenderedBody] = {}
    words: dict[str, Words] = {}
    warnings: list[Problem] = []
    for source in sources:
        found = cached.get(source.key) or fresh.get(source.key)
        if found is None:
            continue
        record, body, file_warnings, file_words = found
        records.append(record)
        bodies[record.fingerprint] = body
        words[record.fingerprint] = file_words
        warnings += file_warnings
    return Ingested(
        tuple(records),
        bodies,
        tuple(problems),
        tuple(warnings),
        tuple(s.key for s in sources),
        words,
    )
