"""Story grouping: hand-written cases, determinism, pinning, and the ECB+ quality floor."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import pickle
import random
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any, cast

import pytest

from bench.grouping_scores import synthetic
from digest.bodies import Body
from digest.config import GroupingConfig, SiteConfig
from digest.derive import build_stories, derive
from digest.group import Group, GroupMemo, group, runs, terms_from
from digest.grouping import clustering, pipeline
from digest.grouping.explain import (
    pin_story_keys,
    stories_data,
    stories_text,
    with_story_key,
)
from digest.grouping.model import Cluster
from digest.grouping.similarity import Row
from digest.load import load_content
from digest.markdown import RenderedBody
from digest.model import Article
from digest.parallel import map_chunks
from digest.records import ArticleRecord
from tests.conftest import SHARED, article, write_site

ECB = SHARED / "data" / "ecbplus-dev.jsonl"
CONFIG = SiteConfig()


def make(
    article_id: str,
    title: str,
    body: str,
    day: str = "2024-03-05",
    source: str = "Wire",
    story: str | None = None,
) -> Article:
    """An Article as the builder derives it from a content file's record."""
    record = ArticleRecord(
        path=f"content/{article_id}.md",
        id=article_id,
        title=title,
        date=dt.date.fromisoformat(day),
        source=source,
        url=None,
        dateline=None,
        lang=None,
        story=story,
        places=(),
        people=(),
        tags=(),
        summary=None,
        draft=False,
        provenance=(),
        body=body,
        body_line=5,
        fingerprint=article_id,
    )
    return derive([record], CONFIG, drafts=False).articles[article_id]


def groups_of(articles: list[Article], window: int = 3) -> set[frozenset[str]]:
    found = group(sorted(articles, key=lambda a: a.sort_key), GroupingConfig(window_days=window))
    ids = [i for g in found for i in g.article_ids]
    assert sorted(ids) == sorted(a.id for a in articles), "every article in exactly one group"
    return {frozenset(g.article_ids) for g in found}


# Two earthquakes in one week (twins), a summit told by two outlets, and unrelated news.
QUAKE_ACEH = [
    make(
        "aceh-reuters",
        "Strong quake jolts Aceh, killing 12",
        "A magnitude 6.1 earthquake struck Aceh province on Sumatra on Tuesday, killing 12 "
        "people in the district of Bener Meriah, officials in Banda Aceh said.\n\n"
        "Houses collapsed in the hill town of Takengon and a mosque was damaged, the "
        "disaster agency BNPB said.",
        source="Reuters",
    ),
    make(
        "aceh-antara",
        "Twelve dead as 6.1 tremor rocks Bener Meriah",
        "Twelve people died when a 6.1 magnitude tremor hit Bener Meriah in Aceh, the BNPB "
        "disaster agency reported.\n\nIn Takengon residents fled collapsed houses and spent "
        "the night outside; Banda Aceh felt the shaking too.",
        source="Antara",
    ),
    make(
        "aceh-afp",
        "Aceh earthquake toll rises to 12",
        "Rescuers in Bener Meriah dug through the rubble of homes in Takengon after the 6.1 "
        "magnitude earthquake in Aceh, where the toll rose to 12, BNPB said.",
        source="AFP",
    ),
]
QUAKE_PAPUA = [
    make(
        "papua-ap",
        "Earthquake of 7.2 hits Papua, 30 dead",
        "A magnitude 7.2 earthquake struck Papua province on Thursday, killing 30 people "
        "around Jayapura and Sentani, the disaster agency BNPB said.\n\nThe airport at "
        "Sentani was closed after its runway cracked.",
        "2024-03-07",
        source="AP",
    ),
    make(
        "papua-jakarta-post",
        "Jayapura counts its dead after 7.2 quake",
        "Thirty people were killed in Jayapura and Sentani when a 7.2 magnitude quake hit "
        "Papua, BNPB reported.\n\nSentani airport stayed shut with a cracked runway.",
        "2024-03-07",
        source="Jakarta Post",
    ),
]
SUMMIT = [
    make(
        "summit-afp",
        "Putin, Erdogan share concerns over Idlib fighting",
        "Vladimir Putin and Recep Tayyip Erdogan said after talks near Moscow that the "
        "fighting in Idlib was of serious concern and agreed joint steps to calm it.\n\n"
        "Turkey has 12 observation posts in Idlib province.",
        source="AFP",
    ),
    make(
        "summit-anadolu",
        "Erdogan and Putin agree steps on Idlib",
        "Turkish President Recep Tayyip Erdogan met Russian President Vladimir Putin near "
        "Moscow; both leaders voiced concern over Idlib and agreed to take joint steps.\n\n"
        "Ankara keeps 12 observation posts in the province.",
        "2024-03-06",
        source="Anadolu",
    ),
]
OTHERS = [
    make(
        "budget",
        "Parliament passes budget in Oslo",
        "Norway's parliament approved the spending plan for the coming year after a long "
        "debate on fuel taxes and pensions.",
    ),
    make(
        "football",
        "Lyon beat Marseille in cup final",
        "Olympique Lyonnais won the French cup, beating Marseille 3-1 at the Stade de France.",
        "2024-03-06",
    ),
]
ALL = QUAKE_ACEH + QUAKE_PAPUA + SUMMIT + OTHERS


def test_same_event_from_two_outlets_is_one_story() -> None:
    found = groups_of(ALL)
    assert frozenset({"summit-afp", "summit-anadolu"}) in found


def test_twin_earthquakes_in_different_places_stay_apart() -> None:
    found = groups_of(ALL)
    assert frozenset(a.id for a in QUAKE_ACEH) in found
    assert frozenset(a.id for a in QUAKE_PAPUA) in found


def test_unrelated_articles_are_stories_of_one() -> None:
    found = groups_of(ALL)
    assert frozenset({"budget"}) in found
    assert frozenset({"football"}) in found


def test_same_story_outside_the_window_is_kept_apart() -> None:
    early, late = SUMMIT[0], make("summit-late", SUMMIT[1].title, SUMMIT[1].paragraphs[0])
    moved = make(late.id, late.title, "\n\n".join(SUMMIT[1].paragraphs), "2024-03-20")
    assert frozenset({early.id, moved.id}) not in groups_of([early, moved, *OTHERS])
    assert frozenset({early.id, late.id}) in groups_of([early, late, *OTHERS])
    assert frozenset({early.id, moved.id}) in groups_of([early, moved, *OTHERS], window=30)


def test_a_story_spans_no_more_days_than_the_window() -> None:
    # The same report two days apart three times: each pair of neighbours is within the
    # window, the first and last are not, so no chain may join all three.
    text = "\n\n".join(SUMMIT[1].paragraphs)
    days = ("2024-03-01", "2024-03-03", "2024-03-05")
    chain = [make(f"summit-{n}", SUMMIT[1].title, text, day) for n, day in enumerate(days)]
    found = groups_of([*chain, *OTHERS], window=3)
    assert {"summit-0", "summit-1"} in found
    assert {"summit-2"} in found
    assert frozenset(a.id for a in chain) in groups_of([*chain, *OTHERS], window=4)


def test_merge_is_average_link_over_the_rows_and_keeps_to_the_window() -> None:
    # Rows hold each article's later partners by offset: 0-1 and 2-3 strong, 1-2 weaker.
    rows = [Row.of(pairs) for pairs in ([(1, 0.9)], [(1, 0.5)], [(1, 0.9)], [], [])]
    members = [0, 1, 2, 3]
    assert clustering.merge(rows, members, 0.3) == [[0, 1], [2, 3]]
    assert clustering.merge(rows, members, 0.1) == [[0, 1, 2, 3]]
    assert clustering.merge(rows, members, 0.1, [0, 0, 5, 5], 3) == [[0, 1], [2, 3]]
    # Places in members, not article numbers; article 4 is no member and never met.
    assert clustering.merge(rows, [1, 2], 0.3) == [[0, 1]]


def test_window_of_zero_joins_only_the_same_day() -> None:
    found = groups_of(ALL, window=0)
    assert frozenset({"summit-afp"}) in found
    assert frozenset(a.id for a in QUAKE_ACEH) in found


def test_result_does_not_depend_on_input_order() -> None:
    expected = groups_of(ALL)
    shuffled = list(ALL)
    for seed in range(5):
        random.Random(seed).shuffle(shuffled)
        found = group(shuffled, GroupingConfig())
        assert {frozenset(g.article_ids) for g in found} == expected


def test_result_does_not_depend_on_hash_seed() -> None:
    code = (
        "import json, tests.test_grouping as t; from digest.group import group;"
        "from digest.config import GroupingConfig;"
        "print(json.dumps([[g.article_ids, g.reasons, g.score] "
        "for g in group(t.ALL, GroupingConfig())]))"
    )
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env=env,
            cwd=Path(__file__).resolve().parents[1],
            check=True,
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1


def test_reasons_name_what_the_versions_share() -> None:
    found = group(ALL, GroupingConfig())
    summit = next(g for g in found if "summit-afp" in g.article_ids)
    names = next(r for r in summit.reasons if r.startswith("shared names: "))
    assert "Idlib" in names and "Erdogan" in names
    assert any(r.startswith("similarity ") for r in summit.reasons)
    assert summit.score is not None and 0 < summit.score <= 1
    alone = next(g for g in found if g.article_ids == ("budget",))
    assert alone.reasons == () and alone.score is None


def test_disabled_grouping_keeps_every_article_alone() -> None:
    found = group(ALL, GroupingConfig(enabled=False))
    assert sorted(g.article_ids for g in found) == sorted((a.id,) for a in ALL)


def test_story_id_is_stable_when_a_later_version_joins() -> None:
    before = build_stories(SUMMIT + OTHERS, CONFIG)
    later = make(
        "summit-tass",
        "Putin and Erdogan discuss Idlib near Moscow",
        "Vladimir Putin told Recep Tayyip Erdogan near Moscow that Idlib was of serious "
        "concern; the leaders agreed joint steps. Turkey has 12 observation posts there.",
        "2024-03-07",
        source="TASS",
    )
    after = build_stories([later, *SUMMIT, *OTHERS], CONFIG)
    story_before = next(s for s in before if "summit-afp" in s.article_ids)
    story_after = next(s for s in after if "summit-afp" in s.article_ids)
    assert story_after.id == story_before.id == "summit-afp"
    assert "summit-tass" in story_after.article_ids


def test_pinned_articles_never_reach_the_grouping() -> None:
    pinned = make(
        "summit-pinned", SUMMIT[0].title, "\n\n".join(SUMMIT[0].paragraphs), story="other"
    )
    stories = build_stories([pinned, SUMMIT[1], *OTHERS], CONFIG)
    other = next(s for s in stories if s.id == "other")
    assert other.article_ids == ("summit-pinned",) and other.pinned
    assert next(s for s in stories if "summit-anadolu" in s.article_ids).article_ids == (
        "summit-anadolu",
    )


def _moved(articles: list[Article], days: int, prefix: str) -> list[Article]:
    """Copies of ``articles`` under new ids, ``days`` later."""
    return [
        make(
            f"{prefix}-{a.id}",
            a.title,
            "\n\n".join(a.paragraphs),
            (a.day + dt.timedelta(days=days)).isoformat(),
            a.source,
        )
        for a in articles
    ]


def _as_set(found: list[Group]) -> set[tuple[tuple[str, ...], tuple[str, ...], float | None]]:
    return {(g.article_ids, g.reasons, g.score) for g in found}


def test_runs_apart_by_more_than_the_window_are_grouped_each_on_its_own() -> None:
    # The later run repeats the earlier one's words: weighed together, their terms would be
    # twice as common and every score would change.
    later = _moved(ALL, 30, "later") + _moved(SUMMIT, 31, "again")
    config = GroupingConfig(window_days=3)
    together = group([*later, *ALL], config)
    assert _as_set(together) == _as_set(group(ALL, config)) | _as_set(group(later, config))
    assert frozenset(f"later-{a.id}" for a in QUAKE_ACEH) in {
        frozenset(g.article_ids) for g in together
    }
    parts = runs([*later, *ALL], config)
    assert [{a.id for a in part} for part in parts] == [
        {a.id for a in ALL},
        {a.id for a in later},
    ]
    assert [g for part in parts for g in group(part, config)] == together


def test_runs_split_where_a_whole_block_of_days_has_no_article() -> None:
    config = GroupingConfig(window_days=3)
    # Blocks of 7 days counted from day 1 (ordinal): 2024-03-03 .. 2024-03-09 is one block;
    # 03-16 is in the next one (a gap wider than the window, but the same term weights);
    # 03-24 is a block later than that, so nothing ties it to what came before.
    dated = [
        make(f"d{n}", f"Headline {n}", "Text.", day)
        for n, day in enumerate(
            ["2024-03-03", "2024-03-09", "2024-03-16", "2024-03-24", "2024-04-20"]
        )
    ]
    assert [[a.id for a in run] for run in runs(dated, config)] == [
        ["d0", "d1", "d2"],
        ["d3"],
        ["d4"],
    ]
    assert runs([], config) == []


def test_a_gap_of_exactly_the_window_still_joins() -> None:
    early = SUMMIT[0]
    late = make("summit-late", SUMMIT[1].title, "\n\n".join(SUMMIT[1].paragraphs), "2024-03-08")
    assert frozenset({early.id, late.id}) in groups_of([early, late, *OTHERS])


def test_terms_worked_out_ahead_give_the_same_groups() -> None:
    ahead = {a.fingerprint: terms_from(a.title, a.paragraphs, a.places, a.people) for a in ALL}
    expected = [(g.article_ids, g.reasons, g.score) for g in group(ALL, GroupingConfig())]
    for given in (ahead, pickle.loads(pickle.dumps(ahead)), dict(list(ahead.items())[::2])):
        found = group(ALL, GroupingConfig(), terms=given)
        assert [(g.article_ids, g.reasons, g.score) for g in found] == expected


def test_terms_given_are_the_ones_used() -> None:
    budget = OTHERS[0]
    wrong = {SUMMIT[1].fingerprint: terms_from(budget.title, budget.paragraphs)}
    found = {frozenset(g.article_ids) for g in group(ALL, GroupingConfig(), terms=wrong)}
    assert frozenset({"summit-afp", "summit-anadolu"}) not in found
    assert frozenset({"budget", "summit-anadolu"}) in found


# ---- editors' view and pinning ---------------------------------------------------------


def _summit_site(tmp_path: Path) -> Path:
    files = {}
    for a in SUMMIT + OTHERS:
        body = "\n\n".join(a.paragraphs)
        files[f"content/{a.id}.md"] = article(a.title, a.day.isoformat(), a.source, body)
    return write_site(tmp_path / "site", files)


def test_stories_text_and_data_show_versions_and_reasons(tmp_path: Path) -> None:
    model = derive(load_content(_summit_site(tmp_path)).records, CONFIG, drafts=False)
    data = stories_data(model)
    json.dumps(data)
    summit = next(s for s in data["stories"] if s["id"] == "summit-afp")
    assert [v["source"] for v in summit["versions"]] == ["AFP", "Anadolu"]
    assert summit["versions"][1]["date"] == "2024-03-06"
    assert any(r.startswith("shared names: ") for r in summit["reasons"])
    assert not summit["pinned"]
    text = stories_text(model)
    assert "summit-afp  (2 versions, grouped)" in text
    assert "Erdogan and Putin agree steps on Idlib" in text
    assert "budget  (1 version, alone)" in text


def test_pin_writes_one_line_per_grouped_version(tmp_path: Path) -> None:
    site = _summit_site(tmp_path)
    before = {p.name: p.read_bytes() for p in (site / "content").iterdir()}
    model = derive(load_content(site).records, CONFIG, drafts=False)
    changed = pin_story_keys(site, model)
    assert [p.name for p in changed] == ["summit-afp.md", "summit-anadolu.md"]
    for path in (site / "content").iterdir():
        old = before[path.name].decode().splitlines()
        new = path.read_bytes().decode().splitlines()
        if path in changed:
            assert new[:2] == old[:2] and new[2] == "story: summit-afp" and new[3:] == old[2:]
        else:
            assert new == old
    again = derive(load_content(site).records, CONFIG, drafts=False)
    pinned = next(s for s in again.stories if s.id == "summit-afp")
    assert pinned.pinned and len(pinned.article_ids) == 2
    assert pin_story_keys(site, again) == []


def test_story_line_goes_after_id_and_keeps_line_endings() -> None:
    raw = b"---\r\ntitle: T\r\nid: x-1\r\ndate: 2024-01-01\r\n---\r\nBody\r\n"
    assert with_story_key(raw, "x-1", "a.md") == (
        b"---\r\ntitle: T\r\nid: x-1\r\nstory: x-1\r\ndate: 2024-01-01\r\n---\r\nBody\r\n"
    )


def test_story_line_after_a_folded_title_and_quoted_when_yaml_would_misread() -> None:
    raw = b"---\ntitle: >\n  Long\n  headline\nsource: X\n---\nBody\n"
    assert with_story_key(raw, "2024", "a.md") == (
        b'---\ntitle: >\n  Long\n  headline\nstory: "2024"\nsource: X\n---\nBody\n'
    )


def test_empty_story_line_is_replaced_not_doubled() -> None:
    raw = b"---\ntitle: T\nstory:\nsource: X\n---\nstory: in the body\n"
    assert with_story_key(raw, "t", "a.md") == (
        b"---\ntitle: T\nstory: t\nsource: X\n---\nstory: in the body\n"
    )


# ---- quality on real news --------------------------------------------------------------


def _bcubed(found: dict[str, int], truth: dict[str, str]) -> tuple[float, float, float]:
    clusters: dict[int, list[str]] = defaultdict(list)
    events: dict[str, list[str]] = defaultdict(list)
    for item in found:
        clusters[found[item]].append(item)
        events[truth[item]].append(item)
    precision = recall = 0.0
    for item in found:
        mine = clusters[found[item]]
        right = sum(1 for other in mine if truth[other] == truth[item])
        precision += right / len(mine)
        recall += right / len(events[truth[item]])
    precision, recall = precision / len(found), recall / len(found)
    return precision, recall, 2 * precision * recall / (precision + recall)


@pytest.mark.skipif(
    not ECB.is_file(), reason="shared/data/ecbplus-dev.jsonl is not beside the repo"
)
def test_ecbplus_dev_meets_the_quality_floor() -> None:
    truth: dict[str, str] = {}
    articles = []
    for line in ECB.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        truth[row["id"]] = row["cluster"]
        body = "\n\n".join(p for p in (row["text"] or "").split("\n") if p.strip())
        articles.append(make(row["id"], row["title"] or row["id"], body))
    found = {i: n for n, g in enumerate(group(articles, GroupingConfig())) for i in g.article_ids}
    precision, recall, f1 = _bcubed(found, truth)
    assert precision >= 0.90, (precision, recall, f1)
    assert recall >= 0.90, (precision, recall, f1)
    assert f1 >= 0.93, (precision, recall, f1)


# ---- locality: the memo ----------------------------------------------------------------


def _dense_site(days: int = 70) -> list[Article]:
    """The hand-written articles again every day for ``days`` days, under new ids: a site
    with articles on every day, where the old runs of days would be one run."""
    start = dt.date(2024, 3, 5)
    found = []
    for n in range(days):
        day = start + dt.timedelta(days=n)
        for a in ALL[n % 3 :: 3] if n % 5 else ALL:
            found.append(
                dataclasses.replace(
                    a,
                    id=f"{a.id}-{n}",
                    slug=f"{a.slug}-{n}",
                    date=day,
                    day=day,
                    fingerprint=f"{a.fingerprint}-{n}",
                )
            )
    return found


def _edit(articles: list[Article], article_id: str, words: str) -> list[Article]:
    """``articles`` with one article's text changed, as a new fingerprint says it is."""
    return [
        dataclasses.replace(
            a,
            body=Body.held(a.fingerprint + "!", RenderedBody(a.html, (*a.paragraphs, words))),
            fingerprint=a.fingerprint + "!",
        )
        if a.id == article_id
        else a
        for a in articles
    ]


def _regroup(articles: list[Article], memo: GroupMemo) -> list[Group]:
    config = GroupingConfig(window_days=3)
    found = group(articles, config, memo=memo)
    assert found == group(list(reversed(articles)), config), "same as grouping from scratch"
    return found


def test_memo_gives_the_same_groups_after_an_edit_a_deletion_and_an_addition() -> None:
    site = _dense_site()
    memo = GroupMemo()
    first = _regroup(site, memo)
    assert any(len(g.article_ids) > 1 for g in first)
    assert memo.reused()["vectors"] == 0
    # The Aceh quake told again in words that match the Papua one, in the middle of the site.
    edited = _edit(site, "aceh-afp-35", "Jayapura Sentani Papua 7.2 runway airport 30 dead")
    _regroup(edited, memo)
    assert memo.reused()["scores"] > 0
    deleted = [a for a in edited if a.id != "summit-afp-20"]
    _regroup(deleted, memo)
    late = dataclasses.replace(
        SUMMIT[1], id="summit-late", day=dt.date(2024, 4, 2), fingerprint="summit-late"
    )
    _regroup([*deleted, late], memo)
    assert memo.reused()["scores"] > 0
    # The same articles once more: nothing to work out.
    _regroup([*deleted, late], memo)
    assert sum(memo.computed().values()) == 0


def test_an_edit_recomputes_only_the_blocks_around_it() -> None:
    # Stories of 1-8 versions over two years, as the speed benchmark makes them.
    site = synthetic(1200)
    memo = GroupMemo()
    group(site, GroupingConfig(window_days=3), memo=memo)
    whole = memo.computed()
    assert whole["scores"] > 90
    assert len(memo.vectors) == whole["vectors"]
    middle = sorted(site, key=lambda a: (a.day, a.id))[600]
    _regroup(_edit(site, middle.id, "Officials revised the figures."), memo)
    local = memo.computed()
    # Term weights over its block and the one either side; pairs, neighbours and scores a
    # block or two further; stories of those blocks only; never the whole site.
    assert 1 <= local["vectors"] <= 3
    assert local["pairs"] <= 4 and local["neighbours"] <= 5 and local["scores"] <= 6
    assert 0 < local["stories"] < whole["stories"] // 10
    # The memo holds the parts of the last grouping only.
    assert len(memo.scores) == whole["scores"]
    assert len(memo.stories) == whole["stories"]


def test_memo_keyed_by_settings_and_window() -> None:
    site = _dense_site(days=20)
    memo = GroupMemo()
    for window in (3, 0, 3):
        config = GroupingConfig(window_days=window)
        assert group(site, config, memo=memo) == group(site, config)


# ---- both cores: the same groups ---------------------------------------------------------


def test_grouping_split_between_workers_gives_the_same_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Large enough that the terms and the blocks' vectors and rows go to forked workers.
    site = synthetic(2400)
    asked: list[tuple[int, int]] = []

    def spy(work: Any, count: int, jobs: int, **options: Any) -> Any:
        asked.append((count, jobs))
        return map_chunks(work, count, jobs, **options)

    monkeypatch.setattr(pipeline, "map_chunks", spy)
    edited = _edit(site, site[1200].id, "Officials revised the figures.")
    found: dict[int, list[object]] = {}
    for jobs in (1, 2):
        memo = GroupMemo()
        cold = pipeline.partition(site, 3, memo=memo, jobs=jobs)
        # The memo is filled exactly as without workers: the same parts, counted the same.
        kept = [dict(shelf._parts) for shelf in memo.shelves()]
        counted = [memo.computed(), memo.reused()]
        again = pipeline.partition(edited, 3, memo=memo, jobs=jobs)
        found[jobs] = [cold, kept, counted, again, memo.computed(), memo.reused()]
    # Forked: the terms of every article, and the rows of every block (105 blocks of days).
    assert (len(site), 2) in asked and (105, 2) in asked
    assert found[2] == found[1]
    clusters = cast(list[Cluster], found[2][0])
    assert any(len(c.article_ids) > 1 and c.reasons for c in clusters)
    # The build's call, with terms worked out ahead: on two cores by default here.
    monkeypatch.setattr(pipeline, "default_jobs", lambda: 2)
    asked.clear()
    ahead = {a.fingerprint: terms_from(a.title, a.paragraphs) for a in site}
    config = GroupingConfig(window_days=3)
    groups = [Group(c.article_ids, c.reasons, c.score) for c in clusters]
    assert group(site, config, terms=ahead) == groups
    assert asked == [(105, 2)]
    # `digest build --jobs 1` reaches it: nothing forked, the same groups.
    asked.clear()
    assert group(site, config, terms=ahead, jobs=1) == groups
    assert asked == [(105, 1)]


def test_a_small_regroup_stays_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    site = synthetic(2400)
    memo = GroupMemo()
    pipeline.partition(site, 3, memo=memo, jobs=2)
    asked: list[int] = []

    def inline(work: Any, count: int, jobs: int, **options: Any) -> Any:
        asked.append(jobs)
        return work(0, count)

    monkeypatch.setattr(pipeline, "map_chunks", inline)
    edited = _edit(site, site[1200].id, "Officials revised the figures.")
    pipeline.partition(edited, 3, memo=memo, jobs=2)
    assert memo.computed()["pairs"] == 4
    assert asked == [1], "a few blocks are compared here, not in workers"
