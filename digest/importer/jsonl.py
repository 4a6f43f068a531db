"""JSON Lines: one article a line, ``{"id", "title", "text", "date", "source", "url", "lang",
"story"}`` with only ``text`` required. A bad line is reported with its number and skipped;
the others are imported.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from digest.errors import Problem
from digest.importer import plaintext
from digest.importer.draft import Draft
from digest.schema import parse_date

TEXT_KEYS = ("id", "title", "source", "url", "lang", "story", "dateline", "summary")
LIST_KEYS = ("places", "people", "tags")
KNOWN_KEYS = frozenset((*TEXT_KEYS, *LIST_KEYS, "text", "date"))


def _line(raw: bytes, where: str, number: int) -> dict[str, Any] | Problem | None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return Problem(
            where,
            number,
            f"not valid UTF-8 (byte 0x{raw[error.start]:02x} at column {error.start + 1})",
            "re-save the file as UTF-8",
        )
    if not text.strip():
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return Problem(
            where,
            number,
            f"not valid JSON: {error.msg} (column {error.colno})",
            "each line is one JSON object",
        )
    if not isinstance(data, dict):
        return Problem(where, number, "expected a JSON object", 'write {"text": "..."}')
    return data


def _text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"{key}: expected text, got {type(value).__name__}")
    return str(value).strip() or None


def _names(data: dict[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{key}: expected a list of names")
    return tuple(dict.fromkeys(v.strip() for v in value if v.strip()))


def _draft(data: dict[str, Any], where: str, number: int) -> Draft | Problem:
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        return Problem(where, number, "text: missing or empty", 'give the article as "text"')
    try:
        fields = {key: _text(data, key) for key in TEXT_KEYS}
        names = {key: _names(data, key) for key in LIST_KEYS}
    except ValueError as error:
        return Problem(where, number, str(error), "see the JSON Lines format in DESIGN.md")
    try:
        date = None if data.get("date") is None else parse_date(data["date"])
    except ValueError as error:
        return Problem(where, number, f"date: {error}", "write YYYY-MM-DD or an ISO datetime")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    parsed = plaintext.parse(text, where, headline=False)
    if isinstance(parsed, Problem):
        return replace(parsed, line=number)
    draft = plaintext.to_draft(parsed, f"{where}:{number}", where, number)
    return replace(
        draft,
        id=fields["id"],
        title=fields["title"],
        date=date if date is not None else draft.date,
        source=fields["source"] or draft.source,
        url=fields["url"],
        lang=fields["lang"],
        story=fields["story"],
        dateline=fields["dateline"] or draft.dateline,
        summary=fields["summary"],
        places=names["places"],
        people=names["people"],
        tags=names["tags"],
    )


def read(raw: bytes, where: str) -> tuple[list[Draft | Problem], list[Problem]]:
    """Every line's draft or problem, in order, and warnings for keys that were ignored."""
    items: list[Draft | Problem] = []
    warnings: list[Problem] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    for number, line in enumerate(raw.split(b"\n"), start=1):
        data = _line(line.rstrip(b"\r"), where, number)
        if data is None:
            continue
        if isinstance(data, Problem):
            items.append(data)
            continue
        unknown = sorted(str(key) for key in data if key not in KNOWN_KEYS)
        if unknown:
            warnings.append(
                Problem(
                    where,
                    number,
                    f"ignored: {', '.join(unknown)}",
                    "known: " + ", ".join(sorted(KNOWN_KEYS)),
                )
            )
        items.append(_draft(data, where, number))
    return items, warnings
