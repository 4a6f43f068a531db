"""Quoted speech, who said it, and which versions carry it verbatim or in other words.

Quotation marks are paired across the whole article, so a quote that runs over paragraphs
(opened in one, closed in the next, as wire copy does) is one quote; a paragraph that opens
with a quotation mark while a quote is open continues it. The speaker is the name, pronoun or
"the Turkish president" next to a reporting verb after the quote or before it in the same
sentence; a pronoun stands for the last person named with a reporting verb, and a quote that
is a sentence of its own continues the quote of the sentence before. Surnames become
the fullest form the story's versions give ("Putin" -> "Vladimir Putin").
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from digest.compare.align import content_stems, fold
from digest.compare.sentences import word_set

MIN_WORDS = 2
"""Shorter quotes are scare quotes ("normalise"), not speech."""
MAX_WORDS = 150
"""Longer ones come from an unpaired quotation mark."""
SIMILAR = 0.6
"""Dice overlap of stems from which two different quotes are the same words, reworded."""

_VERB = (
    r"(?:said|says|say|added|adds|told|tells|stated|warned|warns|noted|stressed|declared|asked|"
    r"explained|insisted|announced|emphasi[sz]ed|continued|wrote|tweeted|remarked|replied|"
    r"urged|argued|claimed)"
)
_NAME = r"[A-Z][\w'’\-]+\.?(?:\s+[A-Z][\w'’\-]*\.?){0,5}"
_ROLE = (
    r"[Tt]he(?:\s+[\w'’\-]+){0,3}?\s+(?:president|leader|minister|spokesman|spokeswoman|"
    r"spokesperson|official|officials|ministry|army|military|monitor|agency|statement|general|"
    r"commander|governor|envoy|chief|premier|king|source|sources|group)"
)
_WHO = rf"(?P<who>{_ROLE}|[Hh]e|[Ss]he|[Tt]hey|{_NAME})"
_AFTER = re.compile(
    rf"[\s,]*(?:{_WHO}\s+(?:also\s+|then\s+|later\s+)?{_VERB}\b|{_VERB}\s+(?P<who2>{_NAME}))"
)
_SAID = re.compile(rf"\b{_VERB}\b")
_WHO_BEFORE = re.compile(rf"{_WHO}\s+(?:also\s+|then\s+|had\s+|has\s+)?$")
REACH = 80
"""Characters before a reporting verb searched for who is speaking."""
_RUN = re.compile(r"[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*)+")
_WORD = re.compile(r"[a-z0-9]+")
_MARK = re.compile(r'["“”]')
_REOPENED = re.compile(r"\n\n\s*[\"“]?")

NOT_NAMES = word_set(
    "The A An But And In On At For This That These Those There It Its Both Earlier Later "
    "Meanwhile However Tuesday Monday Wednesday Thursday Friday Saturday Sunday"
)
"""Capitalised words that start sentences or name days, never a speaker."""
TITLES = word_set(
    "President Prime Minister Foreign Defence Defense Interior Secretary General Gen King Queen "
    "Prince Pope Chancellor Mr Mrs Ms Dr Sheikh Ayatollah Commander Spokesman Spokeswoman "
    "Leader Senator Sen Governor Gov Mayor Ambassador Colonel Col Lieutenant Lt Captain Capt "
    "Major Maj Vice Deputy Premier Emir Sultan Marshal Admiral Envoy Attorney Judge Officer "
    "Chief Sheriff Detective Sergeant Sgt Rep Representative Inspector Trooper Director"
)
"""Words before a name that are not part of it."""
PRONOUNS = frozenset({"he", "she", "they"})


@dataclass(frozen=True, slots=True)
class FoundQuote:
    """A quote as one version writes it."""

    text: str
    """The quoted words."""
    speaker: str | None
    """Who said them, resolved where the text allows."""
    n: int
    """The sentence the quote closes in."""


def full_names(texts: Iterable[str]) -> dict[str, str]:
    """Surname -> the fullest name the texts give for it, without titles or possessives."""
    seen: dict[str, Counter[str]] = {}
    for text in texts:
        for run in _RUN.finditer(text):
            name = _name_part(run.group(0).split())
            if len(name) >= 2:
                seen.setdefault(name[-1], Counter())[" ".join(name)] += 1
    return {
        surname: sorted(found.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]
        for surname, found in seen.items()
    }


def _name_part(words: list[str]) -> list[str]:
    """The words of a name after any title, possessive or sentence opener before it."""
    cut = 0
    for index, word in enumerate(words):
        bare = word.rstrip(".")
        if bare in TITLES or bare in NOT_NAMES or word.endswith(("'s", "’s")):
            cut = index + 1
    return [word.rstrip(".") for word in words[cut:]]


def _resolve(who: str, last: str | None, names: Mapping[str, str]) -> str | None:
    words = who.split()
    if who.lower() in PRONOUNS:
        return last
    if words[0].lower() == "the":
        return "the " + " ".join(words[1:])
    words = _name_part(words)
    if not words:
        return None
    return names.get(words[-1], " ".join(words))


def _speaker_in(match: re.Match[str] | None) -> str | None:
    if match is None:
        return None
    return match.group("who") or match.groupdict().get("who2")


def _sayers(text: str, begin: int, end: int) -> list[str]:
    """Who is named right before each reporting verb between ``begin`` and ``end``."""
    found = []
    for verb in _SAID.finditer(text, begin, end):
        who = _WHO_BEFORE.search(text, max(begin, verb.start() - REACH), verb.start())
        if who is not None:
            found.append(who.group("who"))
    return found


def _pairs(text: str) -> list[tuple[int, int]]:
    """(open, close) of each quotation in an article's text (paragraphs joined by blank lines)."""
    pairs: list[tuple[int, int]] = []
    opened: int | None = None
    for mark in _MARK.finditer(text):
        index, char = mark.start(), mark.group(0)
        starts_paragraph = index == 0 or text[max(0, index - 2) : index] == "\n\n"
        if opened is None:
            if char != "”":
                opened = index
        elif char == "“" or (char == '"' and starts_paragraph):
            continue  # a continued quote re-opens each paragraph
        else:
            pairs.append((opened, index))
            opened = None
    return pairs


def find_quotes(
    paragraphs: Sequence[str],
    sentences: Sequence[tuple[int, int, int]],
    names: Mapping[str, str],
) -> list[FoundQuote]:
    """The quotes of one article; ``sentences`` are (paragraph, start, end) in order."""
    base: list[int] = []
    offset = 0
    for paragraph in paragraphs:
        base.append(offset)
        offset += len(paragraph) + 2
    text = "\n\n".join(paragraphs)
    ranges = [(base[p] + start, base[p] + end) for p, start, end in sentences]

    starts = [start for start, _end in ranges]
    full = set(names.values())

    def sentence_at(position: int) -> int | None:
        n = bisect.bisect_right(starts, position) - 1
        return n if n >= 0 and position < ranges[n][1] else None

    closing: dict[int, list[tuple[int, int]]] = {}
    for opened, closed in _pairs(text):
        n = sentence_at(closed)
        if n is not None:
            closing.setdefault(n, []).append((opened, closed))
    found: list[FoundQuote] = []
    last: str | None = None
    for n, (start, end) in enumerate(ranges):
        for opened, closed in closing.get(n, []):
            quoted = _REOPENED.sub(" ", text[opened + 1 : closed])
            words = " ".join(quoted.split()).strip(" ,")
            count = len(words.split())
            if not MIN_WORDS <= count <= MAX_WORDS:
                continue
            first = sentence_at(opened)
            begin = ranges[first][0] if first is not None else start
            who = _speaker_in(_AFTER.match(text, closed + 1, end))
            if who is None:
                before = _sayers(text, begin, opened)
                who = before[-1] if before else None
            speaker = _resolve(who, last, names) if who else None
            follows = first is not None and bool(found) and found[-1].n in (first - 1, first)
            if who is None and opened == begin and follows:
                speaker = found[-1].speaker  # a quote of its own goes on the last one
            found.append(FoundQuote(words, speaker, n))
            if speaker and who and who.lower() not in PRONOUNS and speaker in full:
                last = speaker
        for who in _sayers(text, start, end):
            named = _resolve(who, last, names)
            if named and named in full:
                last = named
    return found


def words_of(text: str) -> str:
    """A quote's words, folded, for comparing wording."""
    return " ".join(_WORD.findall(fold(text).replace(",", "")))


def _dice(one: frozenset[str], other: frozenset[str]) -> float:
    if not one or not other:
        return 0.0
    return 2 * len(one & other) / (len(one) + len(other))


Member = tuple[int, FoundQuote, bool]
"""(version index, the quote as that version writes it, whether in the same words)."""


def group(found: Sequence[Sequence[FoundQuote]]) -> list[list[Member]]:
    """Quotes of all versions (``found[v]``) grouped: one group per thing said.

    A quote joins the first group whose first quote has the same words (one within the
    other, in order) or shares ``SIMILAR`` of its content words; a version counts once.
    """
    groups: list[list[Member]] = []
    heads: list[tuple[str, frozenset[str]]] = []
    exact: dict[str, int] = {}
    for v, quotes in enumerate(found):
        for quote in quotes:
            words = f" {words_of(quote.text)} "
            index = exact.get(words)
            verbatim = index is not None
            stems = content_stems(quote.text)
            if index is None:
                for k, (head_words, head_stems) in enumerate(heads):
                    if words in head_words or head_words in words:
                        index, verbatim = k, True
                        break
                    if _dice(stems, head_stems) >= SIMILAR:
                        index = k
                        break
            if index is None:
                exact[words] = len(groups)
                heads.append((words, stems))
                groups.append([(v, quote, True)])
            elif all(member[0] != v for member in groups[index]):
                groups[index].append((v, quote, verbatim))
    return groups
