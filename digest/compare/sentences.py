"""Splitting a paragraph into sentences, the unit the comparison aligns and links.

A quoted passage that runs over several sentences stays one sentence with its attribution
(``"We do not want this. All steps will be taken," Erdogan said.``): the speaker belongs to
all of it. Titles (``Dr.``), initials and ``Sept. 16`` never end a sentence; ``U.S.`` ends
one only when an ordinary sentence opener follows. A dateline (``MOSCOW (AFP) -``) is not a
sentence: it is left out of the spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def word_set(text: str) -> frozenset[str]:
    """The words of a space-separated list, for the word lists below and elsewhere."""
    return frozenset(text.split())


@dataclass(frozen=True, slots=True)
class Span:
    """Where one sentence lies in its paragraph."""

    start: int
    """Offset of its first character."""
    end: int
    """Offset just past its last character."""


# "MOSCOW (AFP) -", "Moscow (AFP) –", "WASHINGTON, Sept. 3 (Reuters) —", "ANKARA -".
_DATELINE = re.compile(
    r"^\s*(?:[A-Z][\w'’.,\- ]{1,60}?\s*\([A-Za-z][A-Za-z .&-]{0,30}\)|[A-Z]{3,}(?:[ ,]+[A-Z]{2,})*)"
    r"\s*[-–—]+(?:\s+|$)"
)
_MARK = re.compile(r'["“”]')
_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
_OPENERS = "\"“‘'([" + "0123456789"

TITLES = word_set(
    "Mr Mrs Ms Dr Prof Gen Lt Col Sgt Capt Maj Adm Gov Sen Rep Rev St Mt Ft Pres Amb Brig "
    "Cmdr Insp Supt Hon Messrs Gens Cpl Pvt"
)
"""Words that a full stop after never ends a sentence: a name always follows."""
SOMETIMES_FINAL = word_set(
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec No Nos vs etc Inc Ltd Corp Co Jr Sr "
    "approx est cf al Bros"
)
"""Abbreviations that may end a sentence, as dotted acronyms (``U.S.``) may."""
STARTERS = word_set(
    "The A An He She It They We I You But And Yet So In On At For This That These Those There "
    "Its His Her Their Our Some Many Most Meanwhile However According After Before While When "
    "Earlier Later Also Since Both Officials"
)
"""Words that open a sentence after an abbreviation that may end one."""
_ACRONYM = re.compile(r"^(?:[A-Za-z]\.){2,}$")


def dateline_length(paragraph: str) -> int:
    """Characters of a leading dateline (``MOSCOW (AFP) -``), or 0 when there is none."""
    found = _DATELINE.match(paragraph)
    if found is None:
        return 0
    if len(paragraph) > found.end() and not paragraph[found.end()].isupper():
        # "AFP - the" is not a dateline, "US-backed" never matched.
        return 0
    return found.end()


def quoted_regions(text: str) -> list[tuple[int, int]]:
    """(open, close) offsets of each quotation closed within ``text``."""
    regions: list[tuple[int, int]] = []
    opened: int | None = None
    for mark in _MARK.finditer(text):
        index, char = mark.start(), mark.group(0)
        if char == "“" or (char == '"' and opened is None):
            if opened is None:
                opened = index
        elif opened is not None:
            regions.append((opened, index))
            opened = None
    return regions


def _is_boundary(text: str, token: str, next_at: int) -> bool:
    """Whether the terminator ending ``token`` ends a sentence, given what follows."""
    following = text[next_at]
    if not (following.isupper() or following in _OPENERS):
        return False
    word = token.lstrip("\"“‘'([").rstrip("\"'”’)]")
    bare = word.rstrip(".")
    if not word.endswith("."):
        return True
    if bare in TITLES or (len(bare) == 1 and bare.isalpha() and bare.isupper()):
        return False
    if bare in SOMETIMES_FINAL or _ACRONYM.match(word):
        next_word = re.match(r"[\w']+", text[next_at:])
        return next_word is not None and next_word.group(0) in STARTERS
    return True


def split(paragraph: str) -> list[Span]:
    """The sentences of one paragraph of plain text, without its dateline."""
    begin = dateline_length(paragraph)
    protected = quoted_regions(paragraph)
    spans: list[Span] = []
    start = begin
    for found in _END.finditer(paragraph, begin):
        end = found.end()
        next_at = end
        while next_at < len(paragraph) and paragraph[next_at].isspace():
            next_at += 1
        if next_at >= len(paragraph):
            break
        if any(opened < end <= closed for opened, closed in protected):
            continue
        # The word the stop ends, read from the right: only that word is looked at.
        token = paragraph[start : found.start() + 1].rsplit(None, 1)[-1]
        if _is_boundary(paragraph, token, next_at):
            spans.append(Span(start, end))
            start = next_at
    spans.append(Span(start, len(paragraph)))
    return [trimmed for span in spans if (trimmed := _trim(paragraph, span)) is not None]


def _trim(text: str, span: Span) -> Span | None:
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if end > start else None
