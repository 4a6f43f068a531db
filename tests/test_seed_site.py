"""The repository's own site: the two seeds, imported by `digest import`, built as one story.

These assert on the built pages (what a reader sees), not on the comparison's data.
"""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import REPO, run_digest


class _Sections(HTMLParser):
    """Text under each h3 of the page, keyed by the heading's text."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, str] = {}
        self._heading: str | None = None
        self._in_h3 = False
        self._title: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h2", "h3"):
            self._in_h3, self._title = True, []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h2", "h3") and self._in_h3:
            self._in_h3 = False
            self._heading = " ".join("".join(self._title).split())
            self.sections.setdefault(self._heading, "")

    def handle_data(self, data: str) -> None:
        if self._in_h3:
            self._title.append(data)
        elif self._heading is not None:
            self.sections[self._heading] += data


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("repo-site")
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy(REPO / "site.toml", site / "site.toml")
    done = run_digest("build", "--site", str(site), "--strict")
    assert done.returncode == 0, done.stderr
    return site / "public"


def _story(built: Path) -> tuple[str, dict[str, str], str]:
    stories = json.loads((built / "stories.json").read_text())["stories"]
    assert len(stories) == 1
    story = stories[0]
    assert story["date"] == "2019-08-27"
    assert [(a["source"], a["date"]) for a in story["articles"]] == [
        ("AFP", "2019-08-27"),
        ("Anadolu Agency", "2019-08-27"),
    ]
    html = (built / story["url"] / "index.html").read_text()
    parser = _Sections()
    parser.feed(html)
    return story["id"], parser.sections, html


def _words(text: str) -> str:
    return " ".join(text.split())


def test_one_story_of_two_cross_linked_versions(built: Path) -> None:
    _, _, _ = _story(built)
    stories = json.loads((built / "stories.json").read_text())["stories"]
    afp, aa = (built / a["url"] / "index.html" for a in stories[0]["articles"])
    afp_html, aa_html = afp.read_text(), aa.read_text()
    assert "Moscow" in afp_html
    assert "inferred: &#39;said Tuesday&#39;" in afp_html
    aa_link = "../../" + stories[0]["articles"][1]["url"] + "index.html"
    afp_link = "../../" + stories[0]["articles"][0]["url"] + "index.html"
    assert aa_link in afp_html and afp_link in aa_html


def test_only_in_each_version(built: Path) -> None:
    _, sections, _ = _story(built)
    only_afp = _words(sections["Only in AFP"])
    only_aa = _words(sections["Only in Anadolu Agency"])
    for words in ("12 military observation posts", "S-400", "Su-35", "370,000"):
        assert words in only_afp and words not in only_aa, words
    for words in ("500 civilians", "1,200", "constitutional committee"):
        assert words in only_aa and words not in only_afp, words


def test_shared_quote_joint_steps_and_summit(built: Path) -> None:
    _, sections, html = _story(built)
    quotes = _words(sections["Quotes"])
    assert re.search(r"serious concern to us and our Turkish partners.{0,80}Vladimir Putin", quotes)
    shared = _words(sections["Only in AFP"] + sections["Only in Anadolu Agency"])
    assert "additional joint steps" not in shared
    assert "September 16" not in shared
    side = _words(sections["Side by side"])
    assert side.count("additional joint steps") == 2
    assert side.count("Rouhani in Ankara on September 16") == 2
    assert 'class="s-ref"' in html


def test_figures_differences_flagged(built: Path) -> None:
    _, sections, _ = _story(built)
    figures = _words(sections["Figures"])
    assert "370,000" in figures and "500" in figures and "1,200" in figures
