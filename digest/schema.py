"""The front-matter schema: turns a YAML mapping into an ArticleRecord or a list of problems.

Each check names the field and the line it is on, and says how to fix it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from digest.errors import Problem
from digest.records import ArticleRecord

KNOWN_FIELDS = (
    "id",
    "title",
    "date",
    "source",
    "url",
    "dateline",
    "lang",
    "story",
    "places",
    "people",
    "tags",
    "summary",
    "draft",
    "provenance",
)
REQUIRED = ("title", "date", "source")
_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
MAX_FIELD = 2000


class _Fields:
    """Collects the checked values and the problems of one file."""

    def __init__(self, path: str, data: Mapping[str, Any], lines: Mapping[str, int]) -> None:
        self.path = path
        self.data = data
        self.lines = lines
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def fail(self, name: str, message: str, hint: str = "") -> None:
        self.problems.append(
            Problem(self.path, self.lines.get(name, 1), f"{name}: {message}", hint)
        )

    def text(self, name: str, *, required: bool = False) -> str | None:
        value = self.data.get(name)
        if value is None:
            if required:
                self.fail(name, "missing", f"add a line '{name}: ...' to the front matter")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(name, f"expected text, got {_kind(value)}")
            return None
        text = str(value).strip()
        if _CONTROL.search(text):
            self.fail(name, "contains control characters", "remove them")
            return None
        if len(text) > MAX_FIELD:
            self.fail(name, f"longer than {MAX_FIELD} characters", "shorten it")
            return None
        if not text and required:
            self.fail(name, "is empty", f"give the article a {name}")
            return None
        return text or None

    def names(self, name: str) -> tuple[str, ...]:
        value = self.data.get(name)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.fail(
                name, f"expected a list of names, got {_kind(value)}", f"write {name}: [A, B]"
            )
            return ()
        items: dict[str, None] = {}  # ordered and deduplicated in linear time
        for item in value:
            if isinstance(item, bool) or not isinstance(item, str | int | float):
                self.fail(name, f"expected names, got {_kind(item)}", f"write {name}: [A, B]")
                return ()
            text = str(item).strip()
            if _CONTROL.search(text) or len(text) > MAX_FIELD:
                self.fail(name, f"invalid name {text[:40]!r}", "use plain text")
                return ()
            if text:
                items[text] = None
        return tuple(items)


def _kind(value: object) -> str:
    names: dict[type[Any], str] = {
        dict: "a mapping",
        list: "a list",
        bool: "true/false",
        type(None): "nothing",
        dt.date: "a date",
        dt.datetime: "a datetime",
    }
    return names.get(type(value), type(value).__name__)


def parse_date(value: object) -> dt.date | dt.datetime:
    """A date, or an aware datetime; raises ValueError saying what was expected."""
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        return value
    elif isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:
                return dt.date.fromisoformat(text)
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"expected YYYY-MM-DD or an ISO datetime, got {value!r}") from None
    else:
        raise ValueError(f"expected YYYY-MM-DD or an ISO datetime, got {_kind(value)}")
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise ValueError(f"datetime {value!s} has no UTC offset")
    return parsed


def _check_url(fields: _Fields) -> str | None:
    url = fields.text("url")
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        fields.fail(
            "url",
            f"only http and https URLs are allowed, got {url[:80]!r}",
            "give the article's web address, starting with https://",
        )
        return None
    return url


def _check_provenance(fields: _Fields) -> tuple[tuple[str, str], ...]:
    value = fields.data.get("provenance")
    if value is None:
        return ()
    if not isinstance(value, dict):
        fields.fail("provenance", f"expected a mapping of field: note, got {_kind(value)}")
        return ()
    notes: list[tuple[str, str]] = []
    for key, note in value.items():
        if not isinstance(key, str) or not isinstance(note, str):
            fields.fail("provenance", "expected field: note, both text")
            return ()
        notes.append((key, note.strip()))
    return tuple(sorted(notes))


def _warn_unknown(fields: _Fields) -> None:
    for key in fields.data:
        if key in KNOWN_FIELDS:
            continue
        close = difflib.get_close_matches(str(key), KNOWN_FIELDS, n=1)
        hint = (
            f"did you mean '{close[0]}'?"
            if close
            else "it is ignored; known: " + ", ".join(KNOWN_FIELDS)
        )
        fields.warnings.append(
            Problem(fields.path, fields.lines.get(str(key), 1), f"{key}: unknown field", hint)
        )


def validate(
    path: str,
    data: Mapping[str, Any],
    lines: Mapping[str, int],
    *,
    default_id: str,
    body: str,
    body_line: int,
    fingerprint: str,
) -> tuple[ArticleRecord | None, list[Problem], list[Problem]]:
    """Check one file's front matter; returns (record or None, problems, warnings)."""
    fields = _Fields(path, data, lines)
    article_id = fields.text("id") or default_id
    title = fields.text("title", required=True)
    source = fields.text("source", required=True)
    date: dt.date | dt.datetime | None = None
    if data.get("date") is None:
        if data.get("draft") is not True:  # an undated draft waits for its date
            fields.fail("date", "missing", "add 'date: YYYY-MM-DD' (the day it was published)")
    else:
        try:
            date = parse_date(data["date"])
        except ValueError as error:
            fields.fail("date", str(error), "write YYYY-MM-DD or 2019-08-27T14:30:00+03:00")
    url = _check_url(fields)
    lang = fields.text("lang")
    if lang is not None and not _LANG.match(lang):
        fields.fail("lang", f"not a language tag: {lang!r}", "use a code such as en, fr or pt-BR")
    draft = data.get("draft", False)
    if not isinstance(draft, bool):
        fields.fail("draft", f"expected true or false, got {draft!r}")
        draft = False
    record = ArticleRecord(
        path=path,
        id=article_id,
        title=title or "",
        date=date,
        source=source or "",
        url=url,
        dateline=fields.text("dateline"),
        lang=lang,
        story=fields.text("story"),
        places=fields.names("places"),
        people=fields.names("people"),
        tags=fields.names("tags"),
        summary=fields.text("summary"),
        draft=draft,
        provenance=_check_provenance(fields),
        body=body,
        body_line=body_line,
        fingerprint=fingerprint,
    )
    _warn_unknown(fields)
    if fields.problems:
        return None, fields.problems, fields.warnings
    return record, [], fields.warnings
