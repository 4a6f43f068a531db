"""Reading the content folder: each file read, validated and rendered once, on every core.

A file whose exact bytes were seen before comes from the build cache. The rest are parsed
and their Markdown rendered in forked workers (Markdown is most of a cold build's CPU); only
records without their bodies travel back, and the rendered bodies too unless the workers
stored them in the cache (see digest.bodies).
"""

from __future__ import annotations

import dataclasses
import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from digest.bodies import TABLE, Body, lead_of
from digest.cache import BuildCache, Entry
from digest.errors import Problem
from digest.group import Terms, terms_from
from digest.load import content_files, file_key, read_article, read_raw
from digest.markdown import RenderedBody, render_body
from digest.parallel import map_chunks
from digest.readahead import readahead
from digest.records import ArticleRecord
from digest.search import Words, article_words


@dataclass(frozen=True, slots=True)
class Ingested:
    """The content folder, read: records, their rendered bodies, problems and warnings."""

    records: tuple[ArticleRecord, ...]
    """Valid records, in file order, with empty bodies (``bodies`` has them rendered)."""
    bodies: dict[str, Body]
    """Record fingerprint -> its rendered body, held or read back when used."""
    problems: tuple[Problem, ...]
    """Everything wrong, in file order."""
    warnings: tuple[Problem, ...]
    """Things to tell the editor."""
    keys: tuple[str, ...]
    """The cache key of every readable file, in file order: the content's signature."""
    words: dict[str, Words]
    """Record fingerprint -> the words search finds it by."""
    terms: dict[str, Terms]
    """Record fingerprint -> the terms grouping compares it by."""


@dataclass(frozen=True, slots=True)
class Source:
    """One content file's bytes, read once."""

    where: str
    """Its path relative to the site, for messages."""
    stem: str
    """Its name without extension: the default id."""
    raw: bytes
    """Its bytes; empty once a Builder holds the entry made from them (see ``ingest``)."""
    key: str
    """Its cache key (bytes and path)."""


class Memory:
    """What one Builder read last time: files by their stat, entries by their key."""

    def __init__(self) -> None:
        self.sources: dict[Path, tuple[tuple[int, int, int], Source]] = {}
        self.entries: dict[str, Entry] = {}
        self.bodies: dict[str, RenderedBody] = {}
        """Rendered bodies by file key (the cache's ``bodies`` table, held)."""
        self.comparisons: dict[str, bytes] = {}
        """Pickled comparisons by key (see digest.comparisons.compare_all)."""


def _stat_key(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


def read_source(site: Path, path: Path) -> Source | Problem:
    """One content file's bytes, or the problem that keeps them from being read."""
    raw = read_raw(site, path)
    if isinstance(raw, Problem):
        return raw
    where = path.relative_to(site).as_posix()
    return Source(where, path.stem, raw, file_key(where, raw))


def read_sources(site: Path, memory: Memory | None = None) -> tuple[list[Source], list[Problem]]:
    """Every content file's bytes; unreadable files and symlinks out are problems.

    With ``memory``, a file whose modification time, size and inode are unchanged is not
    read again.
    """
    paths = content_files(site)
    found: dict[Path, Source] = {}
    stats: dict[Path, tuple[int, int, int] | None] = {}
    if memory is not None:
        for path in paths:
            stats[path] = stat = _stat_key(path)
            known = memory.sources.get(path)
            if stat is not None and known is not None and known[0] == stat:
                found[path] = known[1]
    problems: list[Problem] = []
    for path in readahead([path for path in paths if path not in found]):
        source = read_source(site, path)
        if isinstance(source, Problem):
            problems.append(source)
            continue
        found[path] = source
        stat = stats.get(path)
        if memory is not None and stat is not None:
            memory.sources[path] = (stat, source)
    sources = [found[path] for path in paths if path in found]
    if memory is not None:
        kept = {site / s.where for s in sources}
        memory.sources = {p: v for p, v in memory.sources.items() if p in kept}
    return sources, problems


Parsed = tuple[str, Entry | None, RenderedBody | None, list[Problem]]
"""A file's key, entry, rendered body (None once stored in the cache) and problems."""


def parse_source(source: Source) -> tuple[Entry | None, RenderedBody | None, list[Problem]]:
    """One file validated, its Markdown rendered, its search words and grouping terms found."""
    record, problems, warnings = read_article(source.raw, source.where, source.stem)
    if record is None:
        return None, None, problems
    body = render_body(record.body)
    lead = lead_of(body)
    summary = record.summary or lead
    names = (*record.places, *record.people, *record.tags)
    words = article_words(
        record.title, record.source, record.dateline, names, summary, body.paragraphs
    )
    terms = terms_from(record.title, body.paragraphs, record.places, record.people)
    entry = (dataclasses.replace(record, body=""), lead, tuple(warnings), words, terms)
    return entry, body, problems


def ingest(
    site: Path,
    sources: Sequence[Source],
    jobs: int,
    cache: BuildCache | None = None,
    memory: Memory | None = None,
) -> Ingested:
    """Validate and render every content file, on ``jobs`` processes.

    Without ``memory`` (a one-off build) and with a cache, the rendered bodies are not held
    here: the workers that render them store them in the cache, and each article's ``Body``
    reads its own back when a page needs it.
    """
    problems: list[Problem] = []
    remembered = memory.entries if memory is not None else {}
    cached = {s.key: remembered[s.key] for s in sources if s.key in remembered}
    if cache is not None and len(cached) < len(sources):
        cached |= cache.get_many([s.key for s in sources if s.key not in cached])
    held: dict[str, RenderedBody] = {}
    if memory is not None:
        held = {key: memory.bodies[key] for key in cached if key in memory.bodies}
        if cache is not None and len(held) < len(cached):
            held |= cache.get_many([key for key in cached if key not in held], TABLE)
        cached = {key: entry for key, entry in cached.items() if key in held}
    elif cache is not None and cached:  # an entry whose body the cache lost is read again
        stored = cache.present(list(cached), TABLE)
        cached = {key: entry for key, entry in cached.items() if key in stored}
    missing = [s for s in sources if s.key not in cached]
    shared = cache.shared() if cache is not None and memory is None else None

    def work(start: int, stop: int) -> list[Parsed]:
        parsed = [(source.key, *parse_source(source)) for source in missing[start:stop]]
        if shared is None:
            return parsed
        bodies = [(key, pickle.dumps(body, protocol=5)) for key, _, body, _ in parsed if body]
        if not shared.put_raw(bodies, TABLE):
            return parsed  # not stored: held instead
        return [(key, entry, None, found) for key, entry, _, found in parsed]

    fresh: dict[str, Entry] = {}
    for key, entry, body, file_problems in map_chunks(work, len(missing), jobs):
        problems += file_problems
        if entry is not None:
            fresh[key] = entry
        if body is not None:
            held[key] = body
    if cache is not None and (fresh or len(cached) != len(sources)):
        keep = [s.key for s in sources]
        cache.put_many(fresh.items(), keep=keep)
        cache.put_many(((key, held[key]) for key in fresh if key in held), keep, TABLE)
    if memory is not None:
        every = {**cached, **fresh}
        memory.entries = {s.key: every[s.key] for s in sources if s.key in every}
        memory.bodies = {key: held[key] for key in memory.entries}
        # A remembered file whose entry is kept needs its bytes no more: the entry stands
        # for them until the file changes, and then the file is read again.
        memory.sources = {
            path: (stat, dataclasses.replace(source, raw=b""))
            if source.raw and source.key in memory.entries
            else (stat, source)
            for path, (stat, source) in memory.sources.items()
        }
    records: list[ArticleRecord] = []
    bodies: dict[str, Body] = {}
    words: dict[str, Words] = {}
    terms: dict[str, Terms] = {}
    warnings: list[Problem] = []
    for source in sources:
        found = cached.get(source.key) or fresh.get(source.key)
        if found is None:
            continue
        record, lead, file_warnings, file_words, file_terms = found
        records.append(record)
        bodies[record.fingerprint] = Body(
            record.fingerprint, lead, held.get(source.key), cache=shared, file=(site, source.where)
        )
        words[record.fingerprint] = file_words
        terms[record.fingerprint] = file_terms
        warnings += file_warnings
    return Ingested(
        tuple(records),
        bodies,
        tuple(problems),
        tuple(warnings),
        tuple(s.key for s in sources),
        words,
        terms,
    )
