"""A deterministic generator of news content for the benchmark: a digest site, a Hugo site, JSONL.

    .venv/bin/python bench/generate.py 10000 bench/out/sites/10000 [--seed 1]
        [--hugo DIR | --no-hugo] [--jsonl FILE] [--pin-stories]

Stories of 1-8 versions from 20 outlets over two years (2023-2024); the versions of a story
share wire paragraphs (some verbatim, some lightly edited) and add their own; each article has
400-900 words, places and people, sometimes a crosshead, a quote or a list, and a date with or
without a time of day. Outlets and people are invented; the text is made from templates here.
The same seed gives byte-identical files: only ``random.Random(seed)`` decides, never the hash
seed, the clock or the file system's order.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
HUGO_SKELETON = HERE / "hugo"
MARKER = ".bench-generated"
START = dt.date(2023, 1, 1)
DAYS = 731
MIN_WORDS = 400
MAX_WORDS = 900

OUTLETS = (
    ("Northern Wire", "northern-wire"),
    ("Harbour Herald", "harbour-herald"),
    ("Meridian Press Agency", "meridian"),
    ("The Daily Ledger", "daily-ledger"),
    ("Continental Report", "continental"),
    ("Frontline Monitor", "frontline-monitor"),
    ("Eastern Dispatch", "eastern-dispatch"),
    ("Global Courier", "global-courier"),
    ("Riverside Times", "riverside-times"),
    ("Capital Observer", "capital-observer"),
    ("Atlas News Service", "atlas-news"),
    ("Coastal Gazette", "coastal-gazette"),
    ("The Evening Signal", "evening-signal"),
    ("Summit Broadcasting", "summit-broadcasting"),
    ("Crossroads Journal", "crossroads-journal"),
    ("Plains Chronicle", "plains-chronicle"),
    ("Beacon Media", "beacon-media"),
    ("The Weekly Compass", "weekly-compass"),
    ("Lantern Agency", "lantern-agency"),
    ("Highland Post", "highland-post"),
)
# (place, country or region): real geography, invented events.
PLACES = (
    ("Idlib", "Syria"),
    ("Aleppo", "Syria"),
    ("Deir ez-Zor", "Syria"),
    ("Raqqa", "Syria"),
    ("Kharkiv", "Ukraine"),
    ("Zaporizhzhia", "Ukraine"),
    ("Kherson", "Ukraine"),
    ("Odesa", "Ukraine"),
    ("Donetsk", "Ukraine"),
    ("Khartoum", "Sudan"),
    ("El Fasher", "Sudan"),
    ("Port Sudan", "Sudan"),
    ("Goma", "Democratic Republic of Congo"),
    ("Bunia", "Democratic Republic of Congo"),
    ("Mogadishu", "Somalia"),
    ("Kismayo", "Somalia"),
    ("Sanaa", "Yemen"),
    ("Hodeidah", "Yemen"),
    ("Marib", "Yemen"),
    ("Tripoli", "Libya"),
    ("Benghazi", "Libya"),
    ("Gao", "Mali"),
    ("Timbuktu", "Mali"),
    ("Mopti", "Mali"),
    ("Ouagadougou", "Burkina Faso"),
    ("Maiduguri", "Nigeria"),
    ("Mekelle", "Ethiopia"),
    ("Gondar", "Ethiopia"),
    ("Sittwe", "Myanmar"),
    ("Mandalay", "Myanmar"),
    ("Kabul", "Afghanistan"),
    ("Kandahar", "Afghanistan"),
    ("Mosul", "Iraq"),
    ("Kirkuk", "Iraq"),
    ("Stepanakert", "South Caucasus"),
    ("Port-au-Prince", "Haiti"),
    ("Cabo Delgado", "Mozambique"),
    ("Bamenda", "Cameroon"),
    ("Juba", "South Sudan"),
    ("Malakal", "South Sudan"),
)
FIRST = (
    "Amara", "Boris", "Celia", "Dawit", "Elif", "Farid", "Greta", "Hassan", "Ines", "Jonas",
    "Kamala", "Leon", "Mariam", "Nikolai", "Olufemi", "Priya", "Quentin", "Rania", "Samuel",
    "Tamar", "Umar", "Vera", "Wendell", "Xenia", "Yusuf", "Zora",
)  # fmt: skip
LAST = (
    "Abara", "Brandt", "Castellan", "Demir", "Eklund", "Fofana", "Galloway", "Haidari",
    "Ivanenko", "Jansen", "Kovac", "Lindqvist", "Mensah", "Novak", "Okonjo", "Petrosyan",
    "Quist", "Rahimi", "Salo", "Tesfaye", "Urquhart", "Valdez", "Wairimu", "Yilmaz",
)  # fmt: skip
ROLES = (
    "the foreign minister",
    "the defence minister",
    "a regional governor",
    "the army spokesman",
    "a United Nations envoy",
    "the head of the local council",
    "a rebel commander",
    "the interior minister",
    "a senior aid official",
    "the president's chief of staff",
    "a police chief",
    "an opposition leader",
)
ORGS = (
    "the United Nations",
    "the Red Cross",
    "the African Union",
    "a local monitoring group",
    "the World Food Programme",
    "the health ministry",
    "a coalition of aid agencies",
    "the refugee agency",
)
EVENTS = (
    # (tag, noun for headlines, verb phrase, what is counted)
    ("shelling", "shelling", "came under heavy shelling", "killed"),
    ("air-strike", "air strike", "was hit by air strikes", "killed"),
    ("drone-attack", "drone attack", "was targeted by a wave of drones", "wounded"),
    ("ceasefire", "ceasefire talks", "saw negotiators agree a temporary truce", "displaced"),
    ("aid-convoy", "aid convoy", "received its first aid convoy in weeks", "displaced"),
    ("prisoner-exchange", "prisoner exchange", "hosted a prisoner exchange", "released"),
    ("displacement", "mass displacement", "saw thousands flee their homes", "displaced"),
    ("summit", "summit", "was the subject of talks between leaders", "displaced"),
    ("offensive", "offensive", "was the target of a new ground offensive", "killed"),
    ("protest", "protests", "saw large protests against the fighting", "arrested"),
    ("evacuation", "evacuation", "began evacuating civilians", "evacuated"),
    ("blockade", "blockade", "remained cut off by a blockade", "stranded"),
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
HEADLINES = (
    "{Noun} in {place} leaves {n} {counted}, officials say",
    "{place}: {n} {counted} after {noun}",
    "{person} condemns {noun} in {place}",
    "{country} {noun}: what we know so far",
    "At least {n} {counted} as {place} {verb}",
    "{noun_cap} deepens crisis in {country}'s {place}",
    "{person} calls for calm after {noun} in {place}",
    "Residents of {place} count the cost of {noun}",
    "{org_cap} warns of worsening conditions in {place}",
    "{place} {noun}: {n} {counted}, says {org}",
)
WIRE = (
    "{place}, {country} — The city {verb} on {weekday}, and {org} put the number of people "
    "{counted} at {n} or more.",
    '{person}, {role}, told reporters that the situation in {place} was "{adjective} and '
    'getting worse by the hour" and urged all sides to respect international law.',
    "The {noun} followed weeks of rising tension around {place}, where {org} has repeatedly "
    "warned that civilians have nowhere safe to go.",
    "Local officials said {n2} families had been moved to temporary shelters on the edge of "
    "the city, and that schools and clinics had closed until further notice.",
    "{person2}, {role2}, said talks with the other side would continue, but gave no date for "
    "a new round and declined to say where they would be held.",
    "Independent verification of the figures was not possible because access to {place} "
    "remains restricted for journalists and most aid workers.",
    "Satellite images reviewed by analysts showed damage to at least {n3} buildings, "
    "including a market, a water station and part of the main hospital.",
    "The latest {noun} comes as {country} faces its worst humanitarian crisis in years, with "
    "food prices rising and fuel in short supply across the region.",
)
# The outlets' own sentences are put together from parts, so that unrelated stories do not
# share whole sentences the way versions of one story share wire paragraphs.
SUBJECTS = (
    "Residents", "Aid workers", "Officials in {place}", "A spokesman for {org}", "Witnesses",
    "Doctors at the main hospital", "Community leaders", "Military analysts", "Diplomats",
    "Local journalists", "Farmers outside {place}", "Teachers", "Shopkeepers", "Volunteers",
    "Displaced families", "{person}", "{person2}", "A senior commander", "Our correspondent",
    "Human rights researchers", "Engineers from the water board", "Religious leaders",
)  # fmt: skip
VERBS = (
    "said", "reported", "warned", "told reporters", "added", "confirmed", "claimed",
    "estimated", "insisted", "complained",
)  # fmt: skip
CLAUSES = (
    "{n4} people had crossed into {other_place} since {weekday}",
    "the main road out of {place} was blocked by debris",
    "prices for bread and fuel had risen sharply in recent days",
    "there was no sign of the fighting easing",
    "the hospital had received dozens of wounded overnight",
    "water supplies had been cut for much of the week",
    "armed groups were moving fresh units toward the area",
    "schools had been turned into shelters for the displaced",
    "the {noun} was the most serious in months",
    "promises of help had not yet reached the city",
    "at least {n4} homes had been destroyed in the {district} district",
    "night-time curfews were being enforced more strictly",
    "children made up a large share of those seeking help",
    "electricity had returned to parts of {place} for a few hours a day",
    "negotiators were expected to meet again within days",
    "convoys carrying medicine had been turned back at checkpoints",
    "many families were sleeping in the open",
    "the authorities had lost contact with several villages",
    "local markets had reopened despite the danger",
    "the number of people {counted} was likely to rise",
    "mines and unexploded shells made the fields too dangerous to farm",
    "clinics were running short of fuel for their generators",
    "fighters had withdrawn from some positions near {other_place}",
    "{org} had been denied access for a {ordinal} week",
    "calls for an independent investigation were growing",
    "the situation was calmer than the day before but remained fragile",
    "food stocks in the city would last no more than {hours} days",
    "telephone lines to {place} were still down",
    "{money} million dollars would be needed to repair the water network",
    "the {district} district had been emptied of most of its residents",
)
TAILS = (
    "", "", "", " on {weekday}", ", according to {org}", " in the {district} district",
    ", though the figures could not be independently verified", " late on {weekday}",
    ", speaking on condition of anonymity", " in a statement", ", without giving details",
    " in an interview", ", as fighting continued nearby",
)  # fmt: skip
DISTRICTS = ("northern", "old city", "eastern", "riverside", "market", "airport", "southern")
ORDINALS = ("second", "third", "fourth", "fifth")
ADJECTIVES = ("desperate", "chaotic", "grim", "tense", "dire", "alarming", "precarious")
CROSSHEADS = (
    "Calls for restraint",
    "Aid struggles to arrive",
    "A city under pressure",
    "What happens next",
    "Talks in doubt",
    "Civilians caught in the middle",
)
LIST_INTROS = ("Key figures released on {weekday}:", "What officials said they need most:")
LIST_ITEMS = (
    "{n} people {counted}",
    "{n2} families in shelters",
    "{n3} buildings damaged",
    "{money} million dollars requested",
    "{hours} days without road access",
    "clean water for the camps",
    "fuel for the hospital generators",
    "safe passage for the wounded",
)
QUOTES = (
    "We have lost everything, and nobody is telling us when we can go home",
    "There is no more room in the hospital, we are treating people in the corridors",
    "The world is watching, and it must act before it is too late",
    "Our teams are ready, but without guarantees of safety we cannot move",
)
TOPIC_TAGS = ("humanitarian", "diplomacy", "civilians", "military", "refugees", "human-rights")


@dataclass(frozen=True, slots=True)
class GeneratedArticle:
    """One version of one generated story, the same in every output format."""

    id: str
    """Unique id; also the digest file's stem and the Hugo page's slug."""
    story: str
    """The generated story's key (what grouping should find)."""
    title: str
    """The headline."""
    date: str
    """YYYY-MM-DD, or an ISO datetime with offset."""
    day: str
    """The calendar day in UTC (the generated site's time zone)."""
    source: str
    """The outlet."""
    url: str
    """An address under a reserved .example domain."""
    dateline: str
    """Where it was filed from."""
    places: tuple[str, ...]
    """Places it is about."""
    people: tuple[str, ...]
    """People it names."""
    tags: tuple[str, ...]
    """Topic tags."""
    body: str
    """Markdown body."""


def slug(text: str) -> str:
    """The slug digest and Hugo both give a plain ASCII name."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


def _versions(rng: random.Random) -> int:
    """1-8 versions, most stories with few: mean about 2.5."""
    return rng.choices(range(1, 9), weights=(30, 24, 16, 11, 8, 5, 4, 2))[0]


def _facts(rng: random.Random, number: int) -> dict[str, str]:
    place, country = rng.choice(PLACES)
    other = rng.choice([p for p, c in PLACES if p != place])
    tag, noun, verb, counted = rng.choice(EVENTS)
    people = rng.sample(range(len(FIRST) * len(LAST)), 2)
    names = [f"{FIRST[p % len(FIRST)]} {LAST[p // len(FIRST)]}" for p in people]
    roles = rng.sample(ROLES, 2)
    org = rng.choice(ORGS)
    return {
        "number": str(number),
        "place": place,
        "other_place": other,
        "country": country,
        "tag": tag,
        "noun": noun,
        "Noun": noun[:1].upper() + noun[1:],
        "noun_cap": noun[:1].upper() + noun[1:],
        "verb": verb,
        "counted": counted,
        "person": names[0],
        "person2": names[1],
        "role": roles[0],
        "role2": roles[1],
        "org": org,
        "org_cap": org[:1].upper() + org[1:],
        "n": str(rng.randint(3, 180)),
        "n2": f"{rng.randint(2, 90) * 100:,}",
        "n3": str(rng.randint(12, 400)),
        "money": str(rng.randint(5, 250)),
        "hours": str(rng.randint(2, 30)),
        "adjective": rng.choice(ADJECTIVES),
    }


def _fill(template: str, facts: dict[str, str], rng: random.Random, dateline: str) -> str:
    return template.format(
        **facts,
        weekday=rng.choice(WEEKDAYS),
        dateline=dateline,
        district=rng.choice(DISTRICTS),
        ordinal=rng.choice(ORDINALS),
        n4=f"{rng.randint(2, 60) * 50:,}",
    )


def _sentence(rng: random.Random, facts: dict[str, str], dateline: str) -> str:
    """One of the outlet's own sentences: who said what, and sometimes when or where."""
    parts = (rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(CLAUSES), rng.choice(TAILS))
    text = _fill("{} {} {}{}.".format(*parts), facts, rng, dateline)
    return text[:1].upper() + text[1:]


def _edit(paragraph: str, rng: random.Random) -> str:
    """A lightly edited copy of a wire paragraph, as an outlet's desk would make it."""
    swaps = (
        (" said ", " told reporters "),
        (" at least ", " more than "),
        ("according to", "citing"),
        (" warned ", " cautioned "),
        (" city ", " town "),
    )
    old, new = rng.choice(swaps)
    return paragraph.replace(old, new, 1) if old in paragraph else paragraph


def _words(text: str) -> int:
    return len(text.split())


def _body(rng: random.Random, facts: dict[str, str], wire: Sequence[str], dateline: str) -> str:
    """400-900 words: some of the story's wire paragraphs, the outlet's own, some Markdown."""
    target = rng.randint(MIN_WORDS, MAX_WORDS)
    shared = rng.sample(list(wire), rng.randint(2, min(4, len(wire))))
    shared.sort(key=wire.index)
    blocks = [_edit(p, rng) if rng.random() < 0.3 else p for p in shared]
    count = sum(_words(b) for b in blocks)
    extras: list[str] = []
    if rng.random() < 0.35:
        extras.append("crosshead")
    if rng.random() < 0.4:
        extras.append("quote")
    if rng.random() < 0.2:
        extras.append("list")
    while count < target:
        if extras and rng.random() < 0.3:
            kind = extras.pop()
            if kind == "crosshead":
                block = "## " + rng.choice(CROSSHEADS)
            elif kind == "quote":
                speaker = rng.choice((facts["person"], facts["person2"], "a resident"))
                block = f'> "{rng.choice(QUOTES)}," said {speaker}.'
            else:
                items = rng.sample(LIST_ITEMS, rng.randint(3, 5))
                lines = [_fill(rng.choice(LIST_INTROS), facts, rng, dateline), ""]
                lines += ["- " + _fill(i, facts, rng, dateline) for i in items]
                block = "\n".join(lines)
        else:
            block = " ".join(_sentence(rng, facts, dateline) for _ in range(rng.randint(2, 5)))
        blocks.append(block)
        count += _words(block)
    if count > MAX_WORDS:
        last = blocks.pop().split()
        keep = MAX_WORDS - (count - len(last))
        if keep >= 8:
            blocks.append(" ".join(last[:keep]).rstrip(",.;:") + ".")
    return "\n\n".join(blocks) + "\n"


def _date(rng: random.Random, day: dt.date) -> tuple[str, str]:
    """(date as written, its UTC day): a bare date, or a time with an offset."""
    if rng.random() < 0.35:
        return day.isoformat(), day.isoformat()
    offset = dt.timedelta(hours=rng.choice((0, 1, 2, 3, -5)))
    local = dt.datetime(
        day.year, day.month, day.day, rng.randint(5, 22), rng.randrange(0, 60, 5),
        tzinfo=dt.timezone(offset),
    )  # fmt: skip
    return local.isoformat(), local.astimezone(dt.UTC).date().isoformat()


def iter_articles(n: int, seed: int = 1) -> Iterator[GeneratedArticle]:
    """Exactly ``n`` articles, story by story, each story's versions oldest first."""
    rng = random.Random(seed)
    made = 0
    number = 0
    while made < n:
        number += 1
        facts = _facts(rng, number)
        versions = min(_versions(rng), n - made)
        first_day = START + dt.timedelta(days=rng.randrange(DAYS))
        wire = [_fill(t, facts, rng, facts["place"]) for t in WIRE]
        outlets = rng.sample(OUTLETS, versions)
        story_key = f"s{number:06d}-{facts['tag']}-{slug(facts['place'])}"
        extra_places = (facts["country"],) if rng.random() < 0.6 else ()
        for name, domain in outlets:
            day = first_day + dt.timedelta(days=rng.choice((0, 0, 0, 1, 1, 2)))
            written, utc_day = _date(rng, day)
            title = rng.choice(HEADLINES).format(**facts)
            dateline = facts["place"] if rng.random() < 0.7 else facts["country"]
            article_id = f"{domain}-{day.isoformat()}-{number:06d}-{facts['tag']}"
            people = (facts["person"], facts["person2"])[: rng.randint(1, 2)]
            tags = (facts["tag"], *rng.sample(TOPIC_TAGS, rng.randint(0, 2)))
            yield GeneratedArticle(
                id=article_id,
                story=story_key,
                title=title,
                date=written,
                day=utc_day,
                source=name,
                url=f"https://{domain}.example/{day.year}/{day.month:02d}/{article_id}",
                dateline=dateline,
                places=(facts["place"], *extra_places),
                people=people,
                tags=tags,
                body=_body(rng, facts, wire, dateline),
            )
            made += 1


def _yaml_text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _yaml_list(values: Sequence[str]) -> str:
    return "[" + ", ".join(_yaml_text(v) for v in values) + "]"


def digest_file(article: GeneratedArticle, pin: bool) -> str:
    """The content file digest reads (DESIGN.md's front matter)."""
    lines = [
        "---",
        f"id: {article.id}",
        f"title: {_yaml_text(article.title)}",
        f"date: {article.date}",
        f"source: {_yaml_text(article.source)}",
        f"url: {article.url}",
        f"dateline: {_yaml_text(article.dateline)}",
    ]
    if pin:
        lines.append(f"story: {article.story}")
    lines += [
        f"places: {_yaml_list(article.places)}",
        f"people: {_yaml_list(article.people)}",
        f"tags: {_yaml_list(article.tags)}",
        "---",
    ]
    return "\n".join(lines) + "\n" + article.body


def hugo_file(article: GeneratedArticle) -> str:
    """The same article for Hugo: taxonomies carry the story, the day, outlet and names."""
    lines = [
        "---",
        f"title: {_yaml_text(article.title)}",
        f"date: {article.date}",
        f"slug: {article.id}",
        f"dateline: {_yaml_text(article.dateline)}",
        f"original: {article.url}",
        f"stories: [{article.story}]",
        f"days: [{_yaml_text(article.day)}]",
        f"sources: [{_yaml_text(article.source)}]",
        f"places: {_yaml_list(article.places)}",
        f"people: {_yaml_list(article.people)}",
        f"tags: {_yaml_list(article.tags)}",
        "---",
    ]
    return "\n".join(lines) + "\n" + article.body


def jsonl_line(article: GeneratedArticle) -> str:
    """One line of DESIGN.md's JSON Lines import format."""
    record = {
        "id": article.id,
        "title": article.title,
        "text": article.body,
        "date": article.date,
        "source": article.source,
        "url": article.url,
        "lang": "en",
    }
    return json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"


SITE_TOML = """\
# Generated by bench/generate.py: {n} articles, seed {seed}.
title = "Benchmark digest"
description = "Generated conflict news for the benchmark."
base_url = "https://digest.example/"
language = "en"
timezone = "UTC"
per_page = 20

[grouping]
window_days = 3
"""


def _prepare(folder: Path) -> None:
    """An empty folder, or one this generator made before (never anything else)."""
    if folder.exists() and any(folder.iterdir()) and not (folder / MARKER).exists():
        raise SystemExit(f"error: {folder} is not empty and was not made by bench/generate.py")
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / MARKER).write_text("made by bench/generate.py; deleted on the next run\n")


def _theme_css() -> Path | None:
    css = HERE.parent / "digest" / "theme" / "static" / "style.css"
    return css if css.is_file() else None


def write_sites(
    n: int,
    seed: int,
    out: Path,
    *,
    hugo: Path | None = None,
    jsonl: Path | None = None,
    pin: bool = False,
) -> int:
    """Write the digest site (and the Hugo site, JSONL); returns the number of articles."""
    _prepare(out)
    (out / "site.toml").write_text(SITE_TOML.format(n=n, seed=seed), encoding="utf-8")
    content = out / "content"
    content.mkdir()
    hugo_content: Path | None = None
    if hugo is not None:
        _prepare(hugo)
        shutil.copytree(HUGO_SKELETON, hugo, dirs_exist_ok=True)
        hugo_content = hugo / "content" / "articles"
        hugo_content.mkdir(parents=True)
        css = _theme_css()
        if css is not None:
            (hugo / "static").mkdir(exist_ok=True)
            shutil.copyfile(css, hugo / "static" / "style.css")
    lines = jsonl.open("w", encoding="utf-8", newline="\n") if jsonl is not None else None
    count = 0
    try:
        for article in iter_articles(n, seed):
            name = article.id + ".md"
            (content / name).write_text(digest_file(article, pin), encoding="utf-8", newline="\n")
            if hugo_content is not None:
                (hugo_content / name).write_text(hugo_file(article), encoding="utf-8", newline="\n")
            if lines is not None:
                lines.write(jsonl_line(article))
            count += 1
    finally:
        if lines is not None:
            lines.close()
    return count


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="how many articles")
    parser.add_argument("out", type=Path, help="the digest site to write (empty or generated)")
    parser.add_argument("--seed", type=int, default=1, help="same seed, same bytes (default 1)")
    parser.add_argument("--hugo", type=Path, help="the Hugo site to write (default: OUT-hugo)")
    parser.add_argument("--no-hugo", action="store_true", help="write no Hugo site")
    parser.add_argument("--jsonl", type=Path, help="also write the articles as JSON Lines here")
    parser.add_argument(
        "--pin-stories", action="store_true", help="write story: keys (no grouping needed)"
    )
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    hugo = None if args.no_hugo else args.hugo or args.out.with_name(args.out.name + "-hugo")
    count = write_sites(
        args.n, args.seed, args.out, hugo=hugo, jsonl=args.jsonl, pin=args.pin_stories
    )
    print(f"wrote {count} articles to {args.out}" + (f" and {hugo}" if hugo else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
