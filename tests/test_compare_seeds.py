"""The comparison of the seed pair (AFP and Anadolu Agency on the Putin–Erdogan meeting).

Also the helpers the other compare tests use: articles built the way the build builds them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from digest.compare import (
    Comparison,
    Sentence,
    compare_story,
    comparison_json,
    comparison_key,
)
from digest.config import SiteConfig
from digest.derive import render_record, to_article
from digest.model import Article
from digest.records import ArticleRecord

DATA = Path(__file__).resolve().parent / "data" / "compare"
AFP = "afp-2019-08-27-russia-turkey-serious-concerns"
AA = "aa-2019-08-27-turkey-russia-idlib"


def make_article(
    article_id: str,
    source: str,
    body: str,
    *,
    date: dt.date | dt.datetime = dt.date(2019, 8, 27),
    title: str = "",
    story: str | None = None,
) -> Article:
    """An Article derived as the build derives it, from a body in Markdown."""
    record = ArticleRecord(
        path=f"content/{article_id}.md",
        id=article_id,
        title=title or article_id,
        date=date,
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
        body_line=1,
        fingerprint=hashlib.sha256(f"{article_id}\0{source}\0{body}".encode()).hexdigest(),
    )
    return to_article(record, SiteConfig(), render_record)


def load_fixture(name: str) -> Article:
    """A fixture file of tests/data/compare: front matter, then the body in Markdown."""
    _, front, body = (DATA / name).read_text(encoding="utf-8").split("---\n", 2)
    meta = yaml.safe_load(front)
    return make_article(meta["id"], meta["source"], body, date=meta["date"], title=meta["title"])


def seeds() -> tuple[Article, Article]:
    return load_fixture("seed-afp.md"), load_fixture("seed-aa.md")


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    return compare_story(seeds())


def sentence_with(comparison: Comparison, version: str, words: str) -> Sentence:
    """The one sentence of a version that contains ``words``."""
    found = [s for s in comparison.version(version).sentences if words in s.text]
    assert len(found) == 1, f"{words!r} in {version}: {[s.text for s in found]}"
    return found[0]


def test_both_carry_putins_serious_concern_quote(comparison: Comparison) -> None:
    quotes = [q for q in comparison.quotes if "serious concern" in q.text]
    assert len(quotes) == 1
    quote = quotes[0]
    assert quote.speaker == "Vladimir Putin"
    assert quote.versions == (AFP, AA)
    assert quote.verbatim
    assert sentence_with(comparison, AFP, "serious concern").shared_with == (AA,)


def test_both_carry_the_additional_joint_steps(comparison: Comparison) -> None:
    afp = sentence_with(comparison, AFP, "additional joint steps")
    aa = sentence_with(comparison, AA, "additional joint steps")
    assert afp.shared_with == (AA,) and aa.shared_with == (AFP,)
    assert any(ref.n == aa.n for ref in afp.links)
    quote = next(q for q in comparison.quotes if q.text == "additional joint steps")
    assert quote.versions == (AFP, AA) and quote.speaker == "Vladimir Putin"


def test_both_report_the_ankara_summit_in_other_words(comparison: Comparison) -> None:
    afp = sentence_with(comparison, AFP, "September 16")
    aa = sentence_with(comparison, AA, "September 16")
    assert "Rouhani" in afp.text and "Rouhani" in aa.text
    assert afp.text != aa.text
    assert [(ref.version, ref.n) for ref in afp.links] == [(AA, aa.n)]


@pytest.mark.parametrize(
    "words", ["observation posts", "S-400", "Su-35", "370,000", "'Our troops are in danger'"]
)
def test_only_afp_reports(comparison: Comparison, words: str) -> None:
    sentence = sentence_with(comparison, AFP, words)
    assert sentence.shared_with == ()
    assert sentence in comparison.version(AFP).only


@pytest.mark.parametrize("words", ["500 civilians", "1,200 others", "constitutional committee"])
def test_only_anadolu_reports(comparison: Comparison, words: str) -> None:
    sentence = sentence_with(comparison, AA, words)
    assert sentence.shared_with == ()
    assert sentence in comparison.version(AA).only


def test_figures_name_who_gives_them(comparison: Comparison) -> None:
    figures = {(f.value, f.counts): f for f in comparison.figures}
    assert figures[(12, "posts")].versions == (AFP,)
    assert figures[(370000, "killed")].versions == (AFP,)
    assert figures[(370000, "killed")].qualifier == "more than"
    assert figures[(500, "killed")].versions == (AA,)
    assert figures[(1200, "injured")].versions == (AA,)
    # Both give a number of killed and the numbers differ: flagged, not judged.
    assert figures[(370000, "killed")].differs and figures[(500, "killed")].differs
    # Only Anadolu counts injured, only AFP counts posts: nothing to differ from.
    assert not figures[(1200, "injured")].differs and not figures[(12, "posts")].differs
    assert not {400, 35, 2011, 16} & {f.value for f in comparison.figures}


def test_links_are_symmetric_and_anchor_numbers_are_sentence_numbers(
    comparison: Comparison,
) -> None:
    for version in comparison.versions:
        assert [s.n for s in version.sentences] == list(range(len(version.sentences)))
        for sentence in version.sentences:
            for ref in sentence.links:
                assert ref.version != version.id
                back = comparison.sentence(ref)
                assert any(r.version == version.id and r.n == sentence.n for r in back.links)


def test_firsts_follow_publication_order(comparison: Comparison) -> None:
    afp, aa = comparison.versions
    assert afp.firsts == tuple(range(len(afp.sentences)))
    assert aa.firsts == tuple(s.n for s in aa.only)


def test_pairs_share_of_text(comparison: Comparison) -> None:
    (pair,) = comparison.pairs
    assert (pair.a, pair.b) == (AFP, AA)
    afp = comparison.versions[0]
    shared_afp = sum(s.words for s in afp.sentences if s.links)
    assert pair.a_share == round(shared_afp / afp.words, 4)
    assert 0 < pair.a_share < 1 and 0 < pair.b_share < 1
    assert pair.sentences == sum(1 for s in afp.sentences if s.links)


def test_compare_json_has_the_design_shape(comparison: Comparison) -> None:
    data = comparison_json(comparison)
    assert data["story"] == "afp-2019-08-27-russia-turkey-serious-concerns"
    assert json.loads(json.dumps(data)) == data
    total = sum(len(v.sentences) for v in comparison.versions)
    assert len(data["sentences"]) == total
    for row in data["sentences"]:
        assert {"version", "n", "text", "shared_with"} <= set(row)
        assert isinstance(row["n"], int) and isinstance(row["shared_with"], list)
    for row in data["quotes"]:
        assert {"text", "speaker", "versions", "verbatim"} <= set(row)
    for row in data["figures"]:
        assert {"value", "counts", "text", "versions"} <= set(row)
        assert isinstance(row["value"], int | float)
    order = [(row["version"], row["n"]) for row in data["sentences"]]
    assert order == [(v.id, s.n) for v in comparison.versions for s in v.sentences]


def test_pinned_story_id_follows_the_key() -> None:
    one = make_article("a-1", "AFP", "Putin met Erdogan near Moscow.", story="Idlib Talks")
    assert compare_story([one]).story == "idlib-talks"


def test_picklable_and_keyed_by_fingerprints(comparison: Comparison) -> None:
    assert pickle.loads(pickle.dumps(comparison)) == comparison
    afp, aa = seeds()
    assert compare_story([afp, aa]) == comparison
    assert comparison.key == comparison_key([afp, aa])
    assert comparison_key([aa, afp]) != comparison.key
    edited = make_article(AA, "Anadolu Agency", "Putin also shared Turkey's concerns.")
    assert comparison_key([afp, edited]) != comparison.key


def test_same_output_whatever_the_hash_seed() -> None:
    script = (
        "import json; from tests.test_compare_seeds import seeds;"
        "from digest.compare import compare_story, comparison_json;"
        "print(json.dumps(comparison_json(compare_story(seeds())), sort_keys=True))"
    )
    root = Path(__file__).resolve().parents[1]
    outputs = set()
    for seed in ("1", "2", "3"):
        done = subprocess.run(
            [sys.executable, "-c", script],
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1


def test_one_version_is_only_itself() -> None:
    (version,) = compare_story([seeds()[0]]).versions
    assert version.only == version.sentences
    assert all(s.shared_with == () for s in version.sentences)
