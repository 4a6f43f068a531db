"""compare_story on small hand-made stories: labels, firsts, quotes, figures."""

from __future__ import annotations

import datetime as dt

from digest.compare import compare_story, comparison_json
from tests.test_compare_seeds import make_article

SUMMIT = (
    "Erdogan and Putin agreed to hold a summit on Syria with Iran's President Hassan Rouhani "
    "in Ankara on September 16."
)
POSTS = "Turkey established 12 military observation posts in Idlib under the buffer zone deal."
CONVOY = "A Turkish military convoy entered the southern Idlib countryside on Monday morning."


def day(hour: int) -> dt.datetime:
    return dt.datetime(2019, 8, 27, hour, tzinfo=dt.UTC)


def test_outlets_with_several_versions_are_numbered() -> None:
    versions = [
        make_article("a", "AFP", SUMMIT, date=day(8)),
        make_article("b", "AFP", SUMMIT + " " + POSTS, date=day(9)),
        make_article("c", "Reuters", POSTS, date=day(10)),
    ]
    comparison = compare_story(versions)
    assert [v.label for v in comparison.versions] == ["AFP 1", "AFP 2", "Reuters"]
    assert comparison_json(comparison)["versions"][1]["label"] == "AFP 2"


def test_what_each_version_reported_first() -> None:
    versions = [
        make_article("a", "AFP", SUMMIT, date=day(8)),
        make_article("b", "Reuters", f"{SUMMIT} {POSTS}", date=day(9)),
        make_article("c", "AP", f"{POSTS} {SUMMIT} {CONVOY}", date=day(10)),
    ]
    a, b, c = compare_story(versions).versions
    assert a.firsts == (0,)
    assert b.firsts == (1,)  # the summit was in a; the posts are new
    assert c.firsts == (2,)  # only the convoy is new by the time c comes out
    assert [s.n for s in c.only] == [2]
    assert b.sentences[1].shared_with == ("c",)
    assert c.sentences[1].shared_with == ("a", "b")


def test_a_quote_reported_without_quotation_marks_is_paraphrased() -> None:
    versions = [
        make_article(
            "a",
            "AFP",
            '"We will defend our southern borders against every attack," Erdogan said.',
            date=day(8),
        ),
        make_article(
            "b",
            "Reuters",
            "Erdogan said Turkey would defend its southern borders against every attack.",
            date=day(9),
        ),
    ]
    (quote,) = compare_story(versions).quotes
    assert quote.speaker == "Erdogan"
    assert quote.versions == ("a", "b")
    assert not quote.verbatim
    assert [(f.version, f.verbatim) for f in quote.forms] == [("a", True), ("b", False)]
    assert quote.forms[1].text.startswith("Erdogan said Turkey would defend")


def test_the_same_words_quoted_in_part_are_verbatim() -> None:
    whole = '"The situation is of serious concern to us and our Turkish partners," Putin said.'
    part = 'Putin called the situation "of serious concern to us" in the talks near Moscow.'
    versions = [
        make_article("a", "AFP", whole, date=day(8)),
        make_article("b", "TASS", part, date=day(9)),
    ]
    (quote,) = compare_story(versions).quotes
    assert quote.versions == ("a", "b") and quote.verbatim


def test_reworded_quotes_are_one_quote_not_verbatim() -> None:
    versions = [
        make_article(
            "a", "AFP", '"Our troops in Idlib are in danger now," Erdogan said.', date=day(8)
        ),
        make_article(
            "b", "DPA", '"Now our troops in Idlib are in great danger," Erdogan said.', date=day(9)
        ),
    ]
    (quote,) = compare_story(versions).quotes
    assert quote.versions == ("a", "b")
    assert [f.verbatim for f in quote.forms] == [True, False]


def test_figures_that_differ_are_flagged_and_agreeing_ones_are_not() -> None:
    versions = [
        make_article(
            "a", "AFP", "Air strikes killed 12 civilians in Maaret al-Numan.", date=day(8)
        ),
        make_article("b", "AP", "Air strikes killed 12 civilians in the town.", date=day(9)),
        make_article(
            "c", "SOHR", "At least 15 civilians were killed in air strikes.", date=day(10)
        ),
        make_article("d", "TASS", "Turkey sent 300 troops to the border.", date=day(11)),
    ]
    figures = {(f.value, f.counts): f for f in compare_story(versions).figures}
    assert figures[(12, "killed")].versions == ("a", "b")
    assert figures[(12, "killed")].differs
    assert figures[(15, "killed")].versions == ("c",) and figures[(15, "killed")].qualifier == (
        "at least"
    )
    assert not figures[(300, "troops")].differs
    same = compare_story(versions[:2]).figures
    assert [(f.value, f.differs) for f in same] == [(12, False)]
