"""Plain text as the wire services send it: headline, dateline, date marker, paragraphs.

Only what the text says is read: a headline line when there is one, a dateline such as
``Moscow (AFP) –`` (place and outlet), a `` date YYYY-MM-DD`` marker, paragraphs split on
blank lines, and crossheads such as ``- 'Our troops are in danger' -``. Nothing is guessed
here; deriving a missing headline or date is the caller's business, and marked as such.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from digest.errors import Problem
from digest.importer import escape
from digest.importer.draft import Draft
from digest.load import decode

_MARKER = re.compile(r"date\s+(\d{4}-\d{2}-\d{2})(?![\d-])\s*", re.IGNORECASE)
_DATELINE = re.compile(
    r"(?P<place>[^\W\d_][^()\n]{0,60}?)\s*\((?P<outlet>[^\W\d_][^()\n]{0,40}?)\)\s*[-–—]{1,2}"
    r"(?:\s+|$)(?P<rest>.*)",
    re.DOTALL,
)
_CROSSHEAD = re.compile(r"[-–—]\s+(?P<text>\S.{0,118}?)\s+[-–—]")
# A run of lines that are not blank: one paragraph.
_BLOCK = re.compile(r"[^\S\n]*\S[^\n]*(?:\n[^\S\n]*\S[^\n]*)*")
_SENTENCE_END = re.compile(r"[.,;:]['\"’”)]*$")
MAX_HEADLINE = 200
MAX_PLACE_WORDS = 5
# Lowercase words a place name may hold ("Rio de Janeiro"); any other marks a sentence.
_CONNECTORS = frozenset(
    ("al", "an", "am", "da", "de", "del", "der", "di", "du", "el", "es", "la", "le", "of", "on")
)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of the input with the line it starts on."""

    line: int
    """1-based line of the input."""
    text: str
    """Its text, with white space normalised."""


@dataclass(frozen=True, slots=True)
class ParsedText:
    """What a plain text says about itself, and its body as Markdown."""

    title: str | None
    """The headline line, or None when the text has none."""
    date: dt.date | None
    """From a `` date YYYY-MM-DD`` marker."""
    dateline: str | None
    """The place of a dateline such as ``Moscow (AFP) –``."""
    outlet: str | None
    """The outlet named in the dateline."""
    blocks: tuple[str, ...]
    """The body as Markdown blocks: escaped paragraphs and ``## `` crossheads."""
    paragraphs: tuple[str, ...]
    """The body's paragraphs as plain text (crossheads excluded), for leads and matching."""


def paragraphs(text: str, first_line: int = 1) -> list[Paragraph]:
    """Split on blank lines; a text without any blank line has one paragraph a line."""
    blocks: list[tuple[int, str]] = []
    line, position = first_line, 0
    for match in _BLOCK.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        blocks.append((line, match.group(0)))
    if len(blocks) == 1 and "\n" in blocks[0][1]:
        start, block = blocks[0]
        blocks = [(start + n, part) for n, part in enumerate(block.split("\n")) if part.strip()]
    return [Paragraph(number, escape.normalise_space(block)) for number, block in blocks]


def looks_like_headline(text: str) -> bool:
    """A short line that does not end like a sentence or a clause."""
    return (
        len(text) <= MAX_HEADLINE
        and not _SENTENCE_END.search(text)
        and not text[:1].islower()
        and _CROSSHEAD.fullmatch(text) is None
    )


def _dateline(text: str) -> tuple[str, str, str] | None:
    match = _DATELINE.fullmatch(text)
    if match is None:
        return None
    words = match["place"].replace(",", " ").split()
    if len(words) > MAX_PLACE_WORDS or len(match["outlet"].split()) > MAX_PLACE_WORDS:
        return None
    outlet = match["outlet"].split()
    if any(not w[:1].isupper() and w not in _CONNECTORS for w in [*words, *outlet]):
        return None
    return match["place"].strip(" ,"), match["outlet"].strip(), match["rest"].strip()


def _strip_marker(para: Paragraph, where: str) -> tuple[Paragraph, dt.date | None] | Problem:
    match = _MARKER.match(para.text)
    if match is None:
        return para, None
    try:
        day = dt.date.fromisoformat(match[1])
    except ValueError:
        return Problem(
            where, para.line, f"date marker: not a date: {match[1]!r}", "write date YYYY-MM-DD"
        )
    return Paragraph(para.line, para.text[match.end() :]), day


def parse(text: str, where: str, *, headline: bool = True) -> ParsedText | Problem:
    """Read one plain-text article; ``headline=False`` when the title is known elsewhere."""
    paras = paragraphs(text)
    date: dt.date | None = None
    for index, para in enumerate(paras[:3]):
        stripped = _strip_marker(para, where)
        if isinstance(stripped, Problem):
            return stripped
        if stripped[1] is not None:
            if date is not None:
                return Problem(where, para.line, "date marker: given twice", "keep one")
            paras[index], date = stripped
    paras = [p for p in paras if p.text]
    if not paras:
        return Problem(where, 1, "no text", "the file holds no article text")
    title: str | None = None
    first = paras[0].text
    if headline and len(paras) > 1 and looks_like_headline(first) and not _dateline(first):
        title = paras.pop(0).text
    place = outlet = None
    if paras and (found := _dateline(paras[0].text)) is not None:
        place, outlet, rest = found
        if rest:
            paras[0] = Paragraph(paras[0].line, rest)
        else:
            paras.pop(0)
        if paras and date is None:
            stripped = _strip_marker(paras[0], where)
            if isinstance(stripped, Problem):
                return stripped
            paras[0], date = stripped
            paras = [p for p in paras if p.text]
    if not paras:
        return Problem(where, 1, "no text after the headline and dateline", "add the article")
    blocks: list[str] = []
    plain: list[str] = []
    for para in paras:
        cross = _CROSSHEAD.fullmatch(para.text)
        if cross is not None and len(paras) > 1:
            blocks.append(escape.heading(cross["text"]))
        else:
            blocks.append(escape.escape_inline(para.text))  # already normalised
            plain.append(para.text)
    return ParsedText(title, date, place, outlet, tuple(blocks), tuple(plain))


def to_draft(parsed: ParsedText, origin: str, where: str, line: int | None = None) -> Draft:
    """A draft of what the text itself says; derived fields are left to the caller."""
    return Draft(
        origin=origin,
        where=where,
        line=line,
        id=None,
        title=parsed.title,
        date=parsed.date,
        source=parsed.outlet,
        body="\n\n".join(parsed.blocks) + "\n",
        lead=parsed.paragraphs[0] if parsed.paragraphs else "",
        dateline=parsed.dateline,
    )


def read(raw: bytes, where: str) -> Draft | Problem:
    """One ``.txt`` file: UTF-8 (BOM and CRLF allowed) or a problem naming the bad line."""
    text, problem = decode(raw, where)
    if text is None:
        return problem or Problem(where, None, "cannot decode")
    parsed = parse(text, where)
    if isinstance(parsed, Problem):
        return parsed
    return to_draft(parsed, where, where)
