"""Story grouping: quality on ECB+ (../shared/data/ecbplus-dev.jsonl) and speed at scale.

    .venv/bin/python bench/grouping_scores.py            # quality + 10,000 and 100,000 articles
    .venv/bin/python bench/grouping_scores.py --quality  # quality only
    .venv/bin/python bench/grouping_scores.py --sizes 10000

Quality: every article gets the same date (a text-only test). Settings were tuned on topics
1-25; topics 26-35 are held out. Also printed: 5-fold cross-validation by topic (each fold
grouped on its own) and a thinned copy (1-6 articles per event, chosen by hash) with the same
settings. Speed: synthetic articles built as ``Article`` objects, timed (wall seconds, and CPU
seconds of the process and the workers it forks, as the machine may be shared) and measured
for peak memory in a child process each, so one size's memory does not hide the other's; then
timed again with the per-article terms worked out ahead on every core, as the build does in
its file readers, filling a ``GroupMemo``; then one article in the middle
of the two years is edited and the site regrouped with that memo (what ``digest serve`` does
after a save), and the result checked against grouping from scratch.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import json
import multiprocessing
import os
import random
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from queue import Empty

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import MIB, tree_pss

from digest.bodies import Body
from digest.config import GroupingConfig
from digest.group import GroupMemo, Terms, group, runs, terms_from
from digest.markdown import RenderedBody
from digest.model import Article
from digest.parallel import default_jobs, map_chunks

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "ecbplus-dev.jsonl"
DAY = dt.date(2024, 1, 1)


def make_article(
    article_id: str, title: str, text: str, day: dt.date = DAY, source: str = "Unattributed"
) -> Article:
    """An Article built directly, as the builder would derive it."""
    paragraphs = tuple(p.strip() for p in text.split("\n") if p.strip())
    when = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    body = Body.held(article_id, RenderedBody("", paragraphs))
    return Article(
        id=article_id,
        slug=article_id.lower(),
        path=f"content/{article_id}.md",
        title=title,
        date=day,
        day=day,
        when=when,
        source=source,
        source_slug=source.lower(),
        url=None,
        dateline=None,
        lang="en",
        story_key=None,
        places=(),
        people=(),
        tags=(),
        summary=body.lead,
        draft=False,
        provenance=(),
        body=body,
        fingerprint=article_id,
    )


# ---- quality -------------------------------------------------------------------------------


def load_ecb(path: Path = DATA) -> list[tuple[Article, str, int]]:
    """(article, event label, topic) for every line, all on one day."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        article = make_article(row["id"], row["title"] or "", row["text"] or "")
        rows.append((article, row["cluster"], int(row["topic"])))
    return rows


def bcubed(found: dict[str, int], truth: dict[str, str]) -> tuple[float, float, float]:
    """BCubed precision, recall, F1 over items (Amigo et al. 2009)."""
    by_found: dict[int, list[str]] = defaultdict(list)
    by_truth: dict[str, list[str]] = defaultdict(list)
    for item, label in found.items():
        by_found[label].append(item)
        by_truth[truth[item]].append(item)
    precision = recall = 0.0
    for item in found:
        mine = by_found[found[item]]
        same = sum(1 for other in mine if truth[other] == truth[item])
        precision += same / len(mine)
        recall += same / len(by_truth[truth[item]])
    precision /= len(found)
    recall /= len(found)
    return precision, recall, _f1(precision, recall)


def pairwise(found: dict[str, int], truth: dict[str, str]) -> tuple[float, float, float]:
    """Precision, recall, F1 over pairs of items put together."""

    def pairs(labels: dict[str, object]) -> set[tuple[str, str]]:
        groups: dict[object, list[str]] = defaultdict(list)
        for item, label in labels.items():
            groups[label].append(item)
        return {(a, b) for g in groups.values() for a in g for b in g if a < b}

    got, want = pairs(dict(found)), pairs(dict(truth))
    hit = len(got & want)
    precision = hit / len(got) if got else 1.0
    recall = hit / len(want) if want else 1.0
    return precision, recall, _f1(precision, recall)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


Grouper = Callable[[Sequence[Article]], list[tuple[str, ...]]]


def default_grouper(articles: Sequence[Article]) -> list[tuple[str, ...]]:
    return [g.article_ids for g in group(articles, GroupingConfig(window_days=3))]


def score(
    rows: Sequence[tuple[Article, str, int]], grouper: Grouper = default_grouper
) -> dict[str, float]:
    """BCubed and pairwise P/R/F1 of grouping ``rows`` all at once."""
    found: dict[str, int] = {}
    for n, ids in enumerate(grouper([a for a, _, _ in rows])):
        for i in ids:
            found[i] = n
    truth = {a.id: label for a, label, _ in rows}
    bp, br, bf = bcubed(found, truth)
    pp, pr, pf = pairwise(found, truth)
    return {"b_p": bp, "b_r": br, "b_f1": bf, "p_p": pp, "p_r": pr, "p_f1": pf}


def thinned(rows: Sequence[tuple[Article, str, int]]) -> list[tuple[Article, str, int]]:
    """1-6 articles per event, both the count and the choice fixed by hashes of the names."""
    by_event: dict[str, list[tuple[Article, str, int]]] = defaultdict(list)
    for row in rows:
        by_event[row[1]].append(row)

    def digest(text: str) -> int:
        return int(hashlib.sha256(text.encode()).hexdigest()[:12], 16)

    kept = []
    for event in sorted(by_event):
        members = sorted(by_event[event], key=lambda r: digest(r[0].id))
        kept += members[: 1 + digest(event) % 6]
    return kept


def folds(rows: Sequence[tuple[Article, str, int]], n: int = 5) -> list[list[int]]:
    """Topics dealt round-robin into ``n`` folds, in topic order."""
    topics = sorted({t for _, _, t in rows})
    return [topics[i::n] for i in range(n)]


def line(name: str, s: dict[str, float], count: int) -> str:
    return (
        f"{name:<28} n={count:<4} BCubed P={s['b_p']:.3f} R={s['b_r']:.3f} F1={s['b_f1']:.3f}"
        f"   pairwise P={s['p_p']:.3f} R={s['p_r']:.3f} F1={s['p_f1']:.3f}"
    )


def quality(grouper: Grouper = default_grouper) -> list[str]:
    rows = load_ecb()
    out = []
    parts: Iterable[tuple[str, list[tuple[Article, str, int]]]] = [
        ("all (topics 1-35)", list(rows)),
        ("tune (topics 1-25)", [r for r in rows if r[2] <= 25]),
        ("held out (topics 26-35)", [r for r in rows if r[2] > 25]),
        ("thinned, all", thinned(rows)),
        ("thinned, held out", thinned([r for r in rows if r[2] > 25])),
    ]
    for name, part in parts:
        out.append(line(name, score(part, grouper), len(part)))
    fold_scores = []
    for n, topics in enumerate(folds(rows)):
        part = [r for r in rows if r[2] in topics]
        s = score(part, grouper)
        fold_scores.append(s)
        out.append(line(f"fold {n + 1} (topics {','.join(map(str, topics))})", s, len(part)))
    mean = {key: sum(s[key] for s in fold_scores) / len(fold_scores) for key in fold_scores[0]}
    worst = min(s["b_f1"] for s in fold_scores)
    out.append(line("5-fold mean", mean, len(rows)) + f"   worst fold BCubed F1={worst:.3f}")
    thin_scores = [
        score(thinned([r for r in rows if r[2] in topics]), grouper) for topics in folds(rows)
    ]
    tmean = {key: sum(s[key] for s in thin_scores) / len(thin_scores) for key in thin_scores[0]}
    tworst = min(s["b_f1"] for s in thin_scores)
    out.append(line("5-fold mean, thinned", tmean, len(thinned(rows))) + f"   worst {tworst:.3f}")
    return out


# ---- speed ---------------------------------------------------------------------------------

_SYLLABLES = str.split("ka ri mo tu sel van dor ash ul pen gra zi hol met ber on is al")


def _vocabulary(rng: random.Random, size: int, capital: bool = False) -> list[str]:
    words = set()
    while len(words) < size:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        words.add(word.capitalize() if capital else word)
    return sorted(words)


def synthetic(count: int, seed: int = 7) -> list[Article]:
    """Stories of 1-8 versions over two years from ~20 outlets, 400-900 words each, versions
    of one story sharing wire paragraphs, names and figures (a number in a few sentences, as
    in news); the same ``count`` and ``seed`` give the same list."""
    rng = random.Random(seed)
    words = _vocabulary(rng, 20000)
    common = words[:300]
    names = _vocabulary(rng, 5000, capital=True)
    outlets = [f"Outlet {n}" for n in range(20)]
    start = dt.date(2023, 1, 1)
    articles: list[Article] = []
    story = 0
    while len(articles) < count:
        story += 1
        day = start + dt.timedelta(days=rng.randrange(730))
        cast = rng.sample(names, 4)
        topic = rng.sample(words, 40)

        figures = [str(rng.randrange(2, 5000)) for _ in range(4)]

        def sentence(
            own: list[str] = topic, cast: list[str] = cast, figures: list[str] = figures
        ) -> str:
            picked = [rng.choice(common if rng.random() < 0.6 else own) for _ in range(14)]
            picked[rng.randrange(14)] = rng.choice(cast)
            roll = rng.random()
            if roll < 0.3:
                picked.append(rng.choice(figures))
            elif roll < 0.4:
                picked.append(str(rng.randrange(1, 2030)))
            text = " ".join(picked)
            return text[0].upper() + text[1:] + "."

        wire = [" ".join(sentence() for _ in range(4)) for _ in range(3)]
        for version in range(rng.randint(1, 8)):
            if len(articles) >= count:
                break
            target = rng.randint(400, 900)
            paragraphs = list(rng.sample(wire, rng.randint(1, 3)))
            while sum(len(p.split()) for p in paragraphs) < target:
                paragraphs.append(" ".join(sentence() for _ in range(4)))
            vday = day + dt.timedelta(days=rng.randint(0, 2))
            title = f"{cast[0]} {' '.join(rng.sample(topic, 5))}"
            articles.append(
                make_article(
                    f"s{story}-v{version}",
                    title,
                    "\n".join(paragraphs),
                    vday,
                    rng.choice(outlets),
                )
            )
    return articles


Timing = dict[str, float | int | str]
PEAK_TAKEN = "peak taken"
"""Sent when the peak memory is read, before the check against grouping from scratch."""


def edited(articles: Sequence[Article]) -> list[Article]:
    """``articles`` with the middle one (by day) rewritten: a new paragraph, a new fingerprint."""
    ordered = sorted(articles, key=lambda a: (a.day, a.id))
    middle = ordered[len(ordered) // 2]
    paragraphs = (*middle.paragraphs, "Officials later revised the figures for Ulmet province.")
    fingerprint = middle.fingerprint + "-edited"
    body = Body.held(fingerprint, RenderedBody(middle.html, paragraphs))
    changed = dataclasses.replace(middle, body=body, fingerprint=fingerprint)
    return [changed if a is middle else a for a in articles]


class _Clock:
    """Wall seconds, and CPU seconds of this process and of the workers it forked and waited
    for (the grouping and the file readers split their work between processes)."""

    def __init__(self) -> None:
        self.wall, self.cpu = self._now()

    @staticmethod
    def _now() -> tuple[float, float]:
        t = os.times()
        return time.perf_counter(), t.user + t.system + t.children_user + t.children_system

    def read(self) -> tuple[float, float]:
        wall, cpu = self._now()
        return wall - self.wall, cpu - self.cpu


def _terms_ahead(articles: Sequence[Article]) -> dict[str, Terms]:
    """The terms of every article as the build's file readers work them out: on every core."""

    def work(start: int, stop: int) -> list[Terms]:
        return [terms_from(a.title, a.paragraphs, a.places, a.people) for a in articles[start:stop]]

    found = map_chunks(work, len(articles), default_jobs())
    return {a.fingerprint: terms for a, terms in zip(articles, found, strict=True)}


def _time_one(count: int, queue: multiprocessing.Queue[Timing | str]) -> None:
    articles = synthetic(count)
    config = GroupingConfig(window_days=3)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    clock = _Clock()
    groups = group(articles, config)
    seconds, cpu = clock.read()
    found = {i: n for n, g in enumerate(groups) for i in g.article_ids}
    truth = {a.id: a.id.split("-v")[0] for a in articles}
    # The build's way: terms worked out where each file is read (on all cores, cached), then
    # grouping with them.
    clock = _Clock()
    ahead = _terms_ahead(articles)
    terms_wall, terms_cpu = clock.read()
    memo = GroupMemo()
    clock = _Clock()
    again = group(articles, config, terms=ahead, memo=memo)
    given_wall, given_cpu = clock.read()
    if again != groups:
        raise SystemExit("terms given ahead changed the groups")
    # One article edited, then regrouped with the memo: its terms are worked out in the
    # build's file reader, so they are given too.
    changed = edited(articles)
    fresh = {a.fingerprint: ahead.get(a.fingerprint) for a in changed}
    new = next(a for a in changed if a.fingerprint not in ahead)
    fresh[new.fingerprint] = terms_from(new.title, new.paragraphs, new.places, new.people)
    given = {key: value for key, value in fresh.items() if value is not None}
    clock = _Clock()
    incremental = group(changed, config, terms=given, memo=memo)
    edit_wall, edit_cpu = clock.read()
    worked = ", ".join(f"{n} {kind}" for kind, n in memo.computed().items())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    queue.put(PEAK_TAKEN)  # the check below holds the memo and a second grouping at once
    clock = _Clock()
    if incremental != group(changed, config, terms=given):
        raise SystemExit("regrouping with the memo differs from grouping from scratch")
    cold_wall, cold_cpu = clock.read()
    queue.put(
        {
            "seconds": seconds,
            "cpu": cpu,
            "before": before,
            "peak": peak,
            "workers": workers,
            "groups": len(groups),
            "f1": bcubed(found, truth)[2],
            "terms_wall": terms_wall,
            "terms_cpu": terms_cpu,
            "given_wall": given_wall,
            "given_cpu": given_cpu,
            "parts": len(runs(articles, config)),
            "edit_wall": edit_wall,
            "edit_cpu": edit_cpu,
            "cold_wall": cold_wall,
            "cold_cpu": cold_cpu,
            "worked": worked,
        }
    )


def speed(sizes: Sequence[int]) -> Iterator[str]:
    """Three lines per size, as soon as it is measured: wall seconds, and CPU seconds of the
    process and its workers (the machine may be shared: then trust the CPU seconds)."""
    context = multiprocessing.get_context("spawn")
    for count in sizes:
        queue: multiprocessing.Queue[Timing | str] = context.Queue()
        child = context.Process(target=_time_one, args=(count, queue))
        child.start()
        # While it works, the memory of it and its workers together, until it reads its own
        # peak; every 2 s, as a read takes ~20 ms per large process, CPU the timing would lose.
        together = 0.0
        got: Timing | str | None = None
        while got != PEAK_TAKEN and not isinstance(got, dict):
            try:
                got = queue.get(timeout=2.0)
            except Empty:
                if child.exitcode is not None:  # it failed before saying anything
                    raise SystemExit(f"grouping {count:,} failed ({child.exitcode})") from None
                assert child.pid is not None
                together = max(together, tree_pss(child.pid) / MIB)
        while got == PEAK_TAKEN:
            try:
                got = queue.get(timeout=2.0)
            except Empty:
                if child.exitcode is not None:  # the check against grouping from scratch
                    raise SystemExit(f"grouping {count:,} failed ({child.exitcode})") from None
        t = got
        assert isinstance(t, dict)
        child.join()
        shared = f"all together at most {together:,.0f} MiB PSS" if together else "not sampled"
        yield (
            f"group {count:>7,} synthetic articles: {t['seconds']:6.2f} s wall, "
            f"{t['cpu']:6.2f} s CPU, "
            f"{t['groups']:,} stories (BCubed F1 {t['f1']:.3f} against the generated ones), "
            f"{t['parts']:,} run(s) grouped apart, "
            f"peak RSS {t['peak']:,.0f} MiB (articles alone {t['before']:,.0f} MiB; "
            f"each worker at most {t['workers']:,.0f} MiB, most of it shared; "
            f"{shared})"
        )
        yield (
            f"      with terms worked out ahead: {t['terms_cpu']:6.2f} s CPU "
            f"({t['terms_wall']:.2f} s wall) for the terms (the build's file readers), "
            f"then {t['given_cpu']:6.2f} s CPU ({t['given_wall']:.2f} s wall) to group"
        )
        yield (
            f"      one article edited, regrouped with the memo: {t['edit_cpu']:6.2f} s CPU "
            f"({t['edit_wall']:.2f} s wall; from scratch: {t['cold_cpu']:6.2f} s CPU, "
            f"{t['cold_wall']:.2f} s wall; same groups), parts worked out: {t['worked']}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quality", action="store_true", help="ECB+ scores only")
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    args = parser.parse_args()
    if DATA.is_file():
        started = time.perf_counter()
        for text in quality():
            print(text)
        print(f"(quality runs took {time.perf_counter() - started:.1f} s)")
    else:
        print(f"skipped ECB+ scores: {DATA.name} not found beside the repository")
    if not args.quality:
        for text in speed(args.sizes):
            print(text, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
