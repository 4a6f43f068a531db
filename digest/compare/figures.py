"""Numbers in a sentence and what they count.

A figure is a number (digits, ``1,200``, ``2.5 million``, or words up to ninety) followed by
what it counts. A casualty word next to it decides the count: "500 civilians were killed" and
"a war that has killed more than 370,000 people" both count *killed*. Otherwise the plural
noun it qualifies does ("12 military observation posts" -> posts), with a few grouped
("soldiers" -> troops). Dates, years, times, model names (``S-400``), ordinals, "the two
leaders" (a reference, not a count) and vague amounts ("hundreds of thousands") are not
figures, nor is a number before a word that is not a plural noun.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from digest.compare.sentences import word_set

_UNITS = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_NAMES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
)
_WORDS = {name: value for value, name in enumerate(_NAMES.split(" "))} | {
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
}
_WORDS["ninety"] = 90
_WORDS["dozen"] = 12
_SMALL = "|".join(sorted((w for w in _WORDS if w not in ("zero", "one")), key=len, reverse=True))
_FIRST = r"[\d" + "".join(sorted({word[0] for word in _SMALL.split("|")})) + "]"
"""The characters a number starts with, checked first: most places in a sentence fail at
once, instead of after trying both kinds of number."""
_NUMBER = re.compile(
    rf"(?={_FIRST})(?:"
    r"(?<![\w\-.,/:$€£])(?P<digits>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w\-]|[.,]\d|:\d)"
    rf"|\b(?P<words>{_SMALL})\b(?!-))"
)
_SCALE = re.compile(r"\s*(thousand|million|billion)\b", re.IGNORECASE)
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’\-]*|[.,;:!?()\"“”]")

MONTHS = word_set(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
CASUALTIES = {
    **dict.fromkeys(("killed", "dead", "died", "deaths", "death", "lives", "killing"), "killed"),
    **dict.fromkeys(("injured", "wounded", "hurt", "injuring", "wounding"), "injured"),
    **dict.fromkeys(("displaced", "fled", "uprooted", "homeless", "refugees"), "displaced"),
    **dict.fromkeys(("arrested", "detained", "captured", "abducted"), "detained"),
    "missing": "missing",
}
"""Words that make a number a casualty figure, and the count they name."""
CASUALTY_VERBS = {
    word: CASUALTIES.get(word, "killed")
    for word in word_set(
        "killed killing kills kill toll wounded wounding injured injuring displaced "
        "detained arrested captured abducted"
    )
}
"""Casualty words that may come before the number they count ("killed 51 fighters")."""
AUXILIARIES = word_set("were was are is have has had been being")
PLURALS = word_set("people children men women personnel militia staff")
"""Plural nouns without a final s."""
NOT_PLURAL = word_set("this his its was has does less always perhaps whereas thus plus news")
NOUNS = {
    **dict.fromkeys(("troops", "soldiers", "servicemen", "personnel"), "troops"),
    **dict.fromkeys(("posts", "outposts", "checkpoints"), "posts"),
    **dict.fromkeys(("day", "days"), "days"),
    **dict.fromkeys(("week", "weeks"), "weeks"),
    **dict.fromkeys(("month", "months"), "months"),
    **dict.fromkeys(("year", "years"), "years"),
    **dict.fromkeys(("hour", "hours"), "hours"),
    **dict.fromkeys(("percent", "%"), "percent"),
}
"""Nouns grouped under one count."""
UNITS = frozenset({"days", "weeks", "months", "years", "hours", "percent"})
"""Counts that measure time or shares, never people."""
BREAKS = word_set(
    """in of on at and or but were was have has had are is be been being from to since who that
    which by with for including as during across into over under after before near than
    while when where the a an this these those its their his her said say says"""
)
"""Words that end the noun phrase after a number."""
QUALIFIERS = (
    "more than",
    "at least",
    "fewer than",
    "less than",
    "up to",
    "nearly",
    "almost",
    "about",
    "around",
    "some",
    "over",
    "roughly",
    "approximately",
    "an estimated",
)
"""Words before a number that say it is not exact."""


@dataclass(frozen=True, slots=True)
class FoundFigure:
    """One number in one sentence."""

    value: int | float
    """The number."""
    counts: str
    """What it counts."""
    qualifier: str
    """"more than", "at least" … or empty."""


def _value(found: re.Match[str], text: str) -> tuple[int | float, int]:
    """The number a match stands for, and where it ends (after "million" and the like)."""
    if found.group("digits"):
        raw = found.group("digits").replace(",", "")
        value: int | float = float(raw) if "." in raw else int(raw)
    else:
        value = _WORDS[found.group("words").lower()]
    end = found.end()
    scale = _SCALE.match(text, end)
    if scale:
        value = value * _UNITS[scale.group(1).lower()]
        end = scale.end()
        if isinstance(value, float) and value.is_integer():
            value = int(value)
    return value, end


def _qualifier(before: str) -> str:
    tail = before.lower().rstrip()
    for qualifier in QUALIFIERS:
        if tail.endswith(" " + qualifier) or tail == qualifier:
            return qualifier
    return ""


def _is_date_or_code(text: str, found: re.Match[str], value: int | float) -> bool:
    before = text[: found.start()].rstrip().rstrip(".").split()
    after = text[found.end() :].split()
    previous = before[-1].lower().strip(",") if before else ""
    following = after[0].lower().strip(",.") if after else ""
    if previous in MONTHS or following in MONTHS:
        return True
    if previous in ("the", "this", "these", "those") and found.group("words"):
        return True  # "the two leaders" refers, it does not count
    digits = found.group("digits") or ""
    return (
        bool(digits)
        and "," not in digits
        and isinstance(value, int)
        and 1900 <= value <= 2099
        and following not in NOUNS
        and following not in CASUALTIES
    )


def _is_count_noun(word: str) -> bool:
    """Plural nouns and the known units: "posts", "civilians", "percent", "year"."""
    return (
        word in NOUNS
        or word in PLURALS
        or (
            len(word) > 3
            and word.endswith("s")
            and not word.endswith("ss")
            and word not in NOT_PLURAL
        )
    )


def _counts(before: str, after: str) -> str | None:
    """What a number counts: a casualty word with it, else the plural noun it qualifies."""
    tokens = [
        t.lower() if t[0].isalpha() and not t[0].isupper() else t for t in _TOKEN.findall(after)
    ]
    noun: str | None = None
    for index, word in enumerate(tokens[:5]):
        if word in CASUALTIES:
            return CASUALTIES[word]  # "51 dead", "1,200 others injured"
        if not word[0].isalpha() or word in BREAKS:
            break
        if word[0].isupper():
            continue  # "12 Syrian soldiers": a name qualifies, it is not counted
        if _is_count_noun(word):
            noun = word
            rest = [t.lower() for t in tokens[index + 1 : index + 4]]
            if rest[:1] and rest[0] in CASUALTIES:
                return CASUALTIES[rest[0]]
            if rest[:1] and rest[0] in AUXILIARIES:
                for later in rest[1:]:
                    if later in CASUALTIES:
                        return CASUALTIES[later]  # "500 civilians were killed"
            break
    if noun is not None and NOUNS.get(noun) in UNITS:
        return NOUNS[noun]  # "arrested 12 days after": the days are counted, not the arrests
    previous = [t.lower() for t in _TOKEN.findall(before)][-5:]
    for word in reversed(previous):
        if not word[0].isalpha():
            break
        if word in CASUALTY_VERBS:
            return CASUALTY_VERBS[word]  # "a war that has killed more than 370,000 people"
    return NOUNS.get(noun, noun) if noun else None


def find_figures(sentence: str) -> list[FoundFigure]:
    """The figures of one sentence, in order."""
    figures: list[FoundFigure] = []
    for found in _NUMBER.finditer(sentence):
        value, end = _value(found, sentence)
        if _is_date_or_code(sentence, found, value):
            continue
        before = sentence[: found.start()]
        after = sentence[end:]
        if after.lstrip().lower().startswith(("%", "percent", "per cent")):
            figures.append(FoundFigure(value, "percent", _qualifier(before)))
            continue
        counts = _counts(before, after)
        if counts is not None:
            figures.append(FoundFigure(value, counts, _qualifier(before)))
    return figures
