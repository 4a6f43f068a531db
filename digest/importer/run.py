"""``digest import``: read the whole batch, settle every field, then write new files only.

The recipe: read every input (nothing is written yet) → settle outlet and headline → date
undated articles from other versions of the same event, in this batch or in content/ → name
and validate each file exactly as the build will read it → write the new ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from digest.config import CONFIG_NAME, load_config
from digest.errors import DigestError, OutputError, Problem
from digest.importer import infer, jsonl, markdown_in, plaintext
from digest.importer.draft import Draft
from digest.importer.evidence import Evidence, Version
from digest.importer.report import Action, ImportItem, ImportReport
from digest.importer.writer import Names, article_bytes, stem_for, write_new
from digest.load import CONTENT_DIR, MAX_BYTES, load_content
from digest.records import ArticleRecord
from digest.schema import validate
from digest.slugs import slugify

UNATTRIBUTED = "Unattributed"
NOTE_DATE_GIVEN = "given on the command line (--date)"
NOTE_SOURCE_GIVEN = "given on the command line (--source)"
NOTE_UNDATED = (
    "unknown: nothing in the text or the other versions dates it; add 'date:', "
    "then delete this note and 'draft: true'"
)
SUFFIXES = {".txt": "text", ".jsonl": "jsonl", ".md": "markdown", ".markdown": "markdown"}

WRITERS = 4
"""Threads that create files at once."""

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class _Settled:
    """One draft with the fields the import decides: outlet, headline, date."""

    draft: Draft
    """What the input said."""
    source: str
    """The outlet: as read, else --source, else Unattributed."""
    title: str
    """The headline: as read, else derived from the lead."""
    notes: tuple[tuple[str, str], ...] = ()
    """(field, how it was obtained) for the provenance."""
    date: dt.date | dt.datetime | None = None
    """The date: as read, inferred or --date; None for a draft awaiting one."""
    needs_date: bool = False
    """No date could be stood behind: imported as a draft."""

    def noted(self, name: str, note: str, **changes: object) -> _Settled:
        """A copy with one more provenance note and the given fields changed."""
        return replace(self, notes=(*self.notes, (name, note)), **changes)  # type: ignore[arg-type]


def _inputs(paths: Sequence[Path]) -> list[Path]:
    """Files as given; a folder gives its known files, sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in SUFFIXES and p.is_file() and not p.name.startswith(".")
            )
        else:
            found.append(path)
    return found


def _read(path: Path) -> tuple[list[Draft | Problem], list[Problem]]:
    where = str(path)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        hint = "give .txt (plain text), .jsonl (JSON Lines) or .md (Markdown with front matter)"
        return [Problem(where, None, f"unknown format {path.suffix or '(no suffix)'!r}", hint)], []
    try:
        raw = path.read_bytes()
    except OSError as error:
        return [Problem(where, None, f"cannot read: {error.strerror}")], []
    if kind == "jsonl":
        return jsonl.read(raw, where)
    if kind == "text":
        return [plaintext.read(raw, where)], []
    read = markdown_in.read(raw, where, slugify(path.stem) or "article")
    return ([read] if isinstance(read, Draft) else [_merge(read)]), []


def _merge(problems: Sequence[Problem]) -> Problem:
    """One problem standing for all of an item's (the report has one per item)."""
    first = problems[0]
    if len(problems) == 1:
        return first
    rest = "; ".join(f"line {p.line}: {p.message}" for p in problems[1:])
    return Problem(first.path, first.line, f"{first.message}; also {rest}", first.hint)


def _settle(draft: Draft, source: str | None) -> _Settled | Problem:
    """Outlet and headline: as read, else --source or Unattributed, else from the lead."""
    notes: dict[str, str] = {}
    outlet = draft.source
    if outlet is None and source:
        outlet = source
        notes["source"] = NOTE_SOURCE_GIVEN
    title = draft.title
    if title is None:
        if not draft.lead:
            return Problem(draft.where, draft.line, "title: missing and no lead to derive it from")
        title = infer.title_from_lead(draft.lead)
        notes["title"] = infer.DERIVED_TITLE
    return _Settled(draft, outlet or UNATTRIBUTED, title, tuple(notes.items()), draft.date)


def _date_all(
    settled: Sequence[_Settled],
    records: Sequence[ArticleRecord],
    given: dt.date | None,
    window: int,
) -> list[_Settled]:
    """Give every undated article an inferred date or the --date; else it stays an undated draft."""
    undated = [s for s in settled if s.date is None]
    if not undated:
        return list(settled)
    weekdays = [infer.weekday_in(s.draft.lead) for s in undated]
    evidence = None
    if any(weekdays):
        batch = [
            Version(
                title=s.title,
                body=s.draft.body,
                lead=s.draft.lead,
                date=None if s.draft.date_noted else s.date,
                id=(s.draft.id or stem_for(s.date, s.source, s.title)) if s.date else "",
                source=s.source,
            )
            for s in settled
        ]
        evidence = Evidence(batch, records)
    dated: dict[int, _Settled] = {}
    for item, weekday in zip(undated, weekdays, strict=True):
        found = None
        if weekday is not None and evidence is not None:
            own = evidence.profile(item.title, item.draft.body)
            candidates = evidence.candidates(own)
            found = infer.infer_date(
                weekday, item.source, own, candidates, evidence.profile, window
            )
        if found is not None:
            dated[id(item)] = item.noted("date", found.note, date=found.date)
        elif given is not None:
            dated[id(item)] = item.noted("date", NOTE_DATE_GIVEN, date=given)
        else:
            dated[id(item)] = item.noted("date", NOTE_UNDATED, needs_date=True)
    return [dated.get(id(s), s) for s in settled]


def _fields(item: _Settled, article_id: str) -> dict[str, object]:
    draft = item.draft
    return {
        "id": article_id,
        "title": item.title,
        "date": item.date,
        "source": item.source,
        "url": draft.url,
        "dateline": draft.dateline,
        "lang": draft.lang,
        "story": draft.story,
        "places": draft.places,
        "people": draft.people,
        "tags": draft.tags,
        "summary": draft.summary,
        "draft": True if item.needs_date else None,
        "provenance": dict(sorted(item.notes)) or None,
    }


@dataclass(frozen=True, slots=True)
class _Write:
    """A new content file this import will create."""

    name: str
    """Its name in content/."""
    data: bytes
    """Its bytes."""


class _Planner:
    """Decides, item by item, whether a file is new, already there, or edited since."""

    def __init__(self, site: Path, records: Sequence[ArticleRecord], broken: Sequence[str]):
        self.site = site
        self.by_id = {r.id: r.path for r in records}
        self.slugs = {slugify(r.id): (r.id, r.path) for r in records}
        # Files the build cannot read: an editor's unfinished edit of an import, maybe.
        self.broken = {Path(p).stem: p for p in broken}
        self.batch: dict[str, tuple[str, bytes, str]] = {}
        self.names = Names(site / CONTENT_DIR)

    def _existing(self, path: str, data: bytes) -> Action:
        try:
            same = (self.site / path).read_bytes() == data
        except OSError:
            same = False
        return Action.UNCHANGED if same else Action.KEPT

    def _free_id(self, item: _Settled) -> tuple[str, bytes] | ImportItem | str:
        """The id and bytes to write; an item when there is nothing to write; else why not."""
        draft = item.draft
        base = draft.id or stem_for(item.date, item.source, item.title)
        article_id, number = base, 1
        while True:
            data = draft.copy or article_bytes(_fields(item, article_id), draft.body)
            if len(data) > MAX_BYTES:  # the build would refuse it: do not write it
                return f"larger than {MAX_BYTES // 1_000_000} MB once imported; split it"
            done = self.by_id.get(article_id) or self.broken.get(article_id)
            if done is not None:
                action = self._existing(done, data)
                return ImportItem(draft.origin, action, done, needs_date=item.needs_date)
            prior = self.batch.get(article_id)
            if prior is not None and prior[1] == data:
                unchanged = Action.UNCHANGED
                return ImportItem(draft.origin, unchanged, prior[2], needs_date=item.needs_date)
            slug = slugify(article_id)
            if not slug:
                return f"id: {article_id!r} has no letters or digits"
            other = self.slugs.get(slug)
            if prior is None and other is None:
                return article_id, data
            if draft.id is not None:  # given ids are kept, never renumbered
                clash = prior[0] if prior is not None else other[1] if other else ""
                return f"id: {article_id!r} gives the same URL as the article of {clash}"
            number += 1
            article_id = f"{base}-{number}"

    def plan(self, item: _Settled) -> tuple[ImportItem, _Write | None]:
        """What to do with one settled article; a new file is only reserved, not written."""
        draft = item.draft

        def skip(message: str, hint: str = "") -> tuple[ImportItem, None]:
            problem = Problem(draft.where, draft.line, message, hint)
            return ImportItem(draft.origin, Action.SKIPPED, problem=problem), None

        found = self._free_id(item)
        if isinstance(found, ImportItem):
            return found, None
        if isinstance(found, str) and found.startswith("larger than"):
            return skip(found, "split it into several articles")
        if isinstance(found, str):
            return skip(found, "give each article its own id, with letters or digits")
        article_id, data = found
        if draft.copy is not None and draft.stem is not None:
            name = self.names.claim(draft.stem)
            if name != f"{draft.stem}.md" and article_id == draft.stem:
                return skip(
                    f"content/{draft.stem}.md exists and holds another article",
                    "give this file an 'id:' of its own, or rename it",
                )
        else:
            name = self.names.claim(stem_for(item.date, item.source, item.title))
            problem = _check(item, article_id)
            if problem is not None:
                return skip(problem.message, problem.hint)
        path = f"{CONTENT_DIR}/{name}"
        self.batch[article_id] = (draft.origin, data, path)
        self.slugs[slugify(article_id)] = (article_id, path)
        created = ImportItem(draft.origin, Action.CREATED, path, needs_date=item.needs_date)
        return created, _Write(name, data)


def _check(item: _Settled, article_id: str) -> Problem | None:
    """The build's own checks, on the values the YAML holds (safe_dump round-trips them)."""
    fields = {
        key: list(value) if isinstance(value, tuple) else value
        for key, value in _fields(item, article_id).items()
        if value is not None
    }
    _, problems, _ = validate(
        item.draft.where,
        fields,
        {},
        default_id=article_id,
        body=item.draft.body,
        body_line=1,
        fingerprint="",
    )
    return _merge(problems) if problems else None


def _write(folder: Path, plan: tuple[ImportItem, _Write | None]) -> ImportItem:
    """Create one planned file; a name taken meanwhile makes the item skipped, not lost."""
    item, write = plan
    if write is None:
        return item
    try:
        write_new(folder, write.name, write.data)
    except OutputError as error:
        problem = Problem(item.origin, None, str(error), "import again to retry")
        return ImportItem(item.origin, Action.SKIPPED, problem=problem)
    return item


def _origin(problem: Problem) -> str:
    return f"{problem.path}:{problem.line}" if problem.line is not None else problem.path


def run_import(
    site: Path,
    paths: Sequence[Path],
    *,
    source: str | None,
    date: dt.date | None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import raw articles into ``site``/content/; never overwrites a file.

    ``source`` names the outlet of articles that name none; ``date`` dates those that give
    no date and whose date cannot be inferred. ``progress(done, total)`` is called as items
    are settled and written.
    """
    if not (site / CONFIG_NAME).is_file():
        raise DigestError(f"{site} is not a site: it has no {CONFIG_NAME} (digest init makes one)")
    config = load_config(site)
    entries: list[Draft | Problem] = []
    warnings: list[Problem] = []
    for path in _inputs(paths):
        read, found = _read(path)
        entries += read
        warnings += found
    loaded = load_content(site)
    first = [e if isinstance(e, Problem) else _settle(e, source) for e in entries]
    to_date = [s for s in first if isinstance(s, _Settled)]
    dated = iter(_date_all(to_date, loaded.records, date, config.grouping.window_days))
    settled = [e if isinstance(e, Problem) else next(dated) for e in first]
    planner = _Planner(site, loaded.records, sorted({p.path for p in loaded.problems}))
    plans: list[tuple[ImportItem, _Write | None]] = []
    for entry in settled:
        if isinstance(entry, Problem):
            plans.append((ImportItem(_origin(entry), Action.SKIPPED, problem=entry), None))
        else:
            plans.append(planner.plan(entry))
    folder = site / CONTENT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    items: list[ImportItem] = []
    # Writing is waiting on the file system: a few threads overlap the waits.
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        for done, item in enumerate(pool.map(partial(_write, folder), plans), start=1):
            items.append(item)
            if progress is not None:
                progress(done, len(plans))
    return ImportReport(tuple(items), tuple(warnings))
