"""Rebuilds do only what changed: cache, page keys, whole-build skip, parallel workers, kills."""

from __future__ import annotations

import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from digest.build import build
from digest.cache import CACHE_DIR
from digest.compare import Comparison
from digest.parallel import map_chunks
from tests.conftest import REPO, article, tree, write_site

BASIC = REPO / "tests" / "sites" / "basic"


def many_articles(n: int) -> dict[str, str]:
    """``n`` articles over a month: stories of three versions, distinct words each."""
    files = {}
    for i in range(n):
        day = f"2020-03-{1 + (i // 3) % 28:02d}"
        body = "\n\n".join(
            f"Paragraph {p} of report {i}: officials in town{i // 3} counted {i * 7 + p} "
            f"displaced people after shelling near river{i // 3}."
            for p in range(6)
        )
        files[f"content/a{i:04d}.md"] = article(
            f"Report {i} on town{i // 3}", day, f"Outlet {i % 3}", body, story=f"s{i // 3}"
        )
    return files


@pytest.fixture
def basic(tmp_path: Path) -> Path:
    site = tmp_path / "basic"
    shutil.copytree(BASIC, site)
    return site


def test_editing_one_body_rewrites_only_the_pages_that_show_it(basic: Path) -> None:
    build(basic)
    quake = basic / "content" / "quake.md"
    quake.write_text(quake.read_text().replace("strong earthquake", "powerful earthquake"))
    result = build(basic)
    written = set(result.report.written)
    assert "articles/quake/index.html" in written
    assert "stories/quake/index.html" in written
    assert "stories/quake/compare.json" in written
    untouched = {
        "articles/afp-2019-08-27-idlib/index.html",
        "stories/idlib-putin-erdogan/index.html",
        "stories/idlib-putin-erdogan/compare.json",
        "people/vladimir-putin/index.html",
        "days/2019-08-27/index.html",
    }
    assert not written & untouched


def test_unchanged_rebuild_does_nothing_and_reports_the_same(basic: Path) -> None:
    first = build(basic)
    again = build(basic)
    assert again.model is None
    assert again.report.written == [] and again.report.removed == []
    assert (again.stories, again.articles) == (first.stories, first.articles)
    assert [str(w) for w in again.warnings] == [str(w) for w in first.warnings]
    # A deleted output file is not "unchanged": the next build puts it back.
    (basic / "public" / "articles" / "quake" / "index.html").unlink()
    repaired = build(basic)
    assert repaired.report.written == ["articles/quake/index.html"]


def test_corrupt_cache_is_set_aside_not_trusted(basic: Path) -> None:
    build(basic)
    clean = tree(basic / "public")
    shutil.rmtree(basic / "public")
    for path in (basic / CACHE_DIR).iterdir():
        if path.name.startswith("cache.sqlite"):
            path.write_bytes(b"this is not a database" * 100)
    build(basic)
    assert tree(basic / "public") == clean


def test_template_change_reaches_every_page_that_uses_it(basic: Path) -> None:
    build(basic)
    override = basic / "templates" / "article.html"
    override.parent.mkdir(exist_ok=True)
    theme = REPO / "digest" / "theme" / "article.html"
    override.write_text(theme.read_text().replace("Other versions of this story", "Siblings"))
    written = set(build(basic).report.written)
    articles = {p for p in tree(basic / "public") if p.startswith("articles/")}
    assert articles <= written
    assert "stories/quake/index.html" not in written
    page = (basic / "public" / "articles" / "quake" / "index.html").read_text()
    assert "Siblings" in page


def test_parallel_build_equals_serial_build(tmp_path: Path) -> None:
    files = many_articles(450)
    serial = write_site(tmp_path / "serial", files)
    parallel = write_site(tmp_path / "parallel", files)
    build(serial, jobs=1)
    build(parallel, jobs=2)
    assert tree(serial / "public") == tree(parallel / "public")


def _workers_left(site: Path, wait: float = 10.0) -> list[int]:
    """Processes still running a build of ``site`` (forked workers share its command line)
    after up to ``wait`` seconds."""
    deadline = time.monotonic() + wait
    while True:
        found = []
        for entry in Path("/proc").iterdir():
            try:
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if str(site).encode() in command and b"digest.cli" in command:
                found.append(int(entry.name))
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_killed_build_leaves_whole_files_and_the_next_build_repairs(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", many_articles(450))
    build(site)
    before = tree(site / "public")
    for path in (site / "content").glob("*.md"):
        path.write_text(path.read_text().replace("displaced people", "people displaced"))
    expected_site = write_site(tmp_path / "expected", {})
    shutil.rmtree(expected_site / "content")
    shutil.copytree(site / "content", expected_site / "content")
    build(expected_site)
    after = tree(expected_site / "public")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for delay in (0.3, 1.0, 2.0):
        child = subprocess.Popen(
            [sys.executable, "-m", "digest.cli", "build", "--site", str(site)], env=env
        )
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert not _workers_left(site), "a killed build's workers outlive it"
        for path, data in tree(site / "public").items():
            if path.endswith(".digest-tmp") or path == ".digest-manifest.json":
                continue
            assert data in (before.get(path), after.get(path)), f"{path} is torn"
    build(site)
    assert tree(site / "public") == after


def test_a_builder_forgets_the_bytes_of_files_it_has_entries_for(basic: Path) -> None:
    """Kept bytes would double a large site's memory in `digest serve`; a broken file keeps
    its bytes (it has no entry), and rebuilds with the same Builder stay right."""
    from digest.build import Builder
    from digest.errors import ProblemsError

    builder = Builder(basic)
    first = builder.build()
    remembered = builder.memory.sources
    assert remembered and all(source.raw == b"" for _, source in remembered.values())
    broken = basic / "content" / "broken.md"
    broken.write_text("---\ntitle: [unclosed\n---\nBody.\n", encoding="utf-8")
    with pytest.raises(ProblemsError):
        builder.build()
    kept = {path.name: source.raw for path, (_, source) in builder.memory.sources.items()}
    assert kept["broken.md"] and kept["quake.md"] == b""
    broken.unlink()
    quake = basic / "content" / "quake.md"
    quake.write_text(quake.read_text().replace("strong earthquake", "powerful earthquake"))
    again = builder.build()
    assert again.report.written and len(again.model.articles) == len(first.model.articles)
    assert "powerful earthquake" in (basic / "public/articles/quake/index.html").read_text()


def test_a_one_off_build_lets_go_of_the_grouping_parts_a_server_keeps(
    basic: Path, tmp_path: Path
) -> None:
    from digest.build import Builder

    kept = Builder(basic)
    first = kept.build()
    assert sum(len(shelf) for shelf in kept.grouping.shelves()) > 0
    once = Builder(basic, tmp_path / "once", once=True)
    result = once.build()
    assert result.model is not None and result.report.written
    assert sum(len(shelf) for shelf in once.grouping.shelves()) == 0
    assert not (once.memory.sources or once.memory.entries or once.memory.comparisons)
    assert kept.memory.entries and kept.memory.comparisons
    assert result.stories == first.stories


def test_comparisons_not_held_are_read_back_from_the_cache_or_compared_again(
    basic: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A one-off build keeps no comparison's bytes in memory: workers read each back from
    the cache, and one the cache lost (another build pruned it) is compared again."""
    import sqlite3

    from digest import comparisons
    from digest.build import load_model
    from digest.cache import BuildCache
    from digest.comparisons import compare_all

    model = load_model(basic, jobs=1)
    with BuildCache(basic) as cache:
        held = compare_all(model, 1, cache, {})
        lazy = compare_all(model, 1, cache)
    assert len(held) >= 2 and set(lazy) == set(held)
    ids = sorted(held)
    real = comparisons.compare_story

    def not_again(*args: object) -> None:
        raise AssertionError("compared again instead of read back")

    monkeypatch.setattr(comparisons, "compare_story", not_again)
    lazy[ids[0]].get()  # read here first: this process's connection must not reach a fork
    lazy[ids[0]].forget()

    def sentences(start: int, stop: int) -> list[tuple[str, int, int]]:
        time.sleep(0.5)  # long enough that the worker takes a chunk as well as this process
        found = [lazy[story].get() for story in ids[start:stop]]
        return [(c.story, len(c.versions), os.getpid()) for c in found]

    seen = map_chunks(sentences, len(ids), 2, min_items=1)
    assert [(s, n) for s, n, _ in seen] == [
        (held[s].get().story, len(held[s].get().versions)) for s in ids
    ]
    assert {pid for *_, pid in seen} - {os.getpid()}, "read in forked workers"
    assert all(lazy[s].get() == held[s].get() for s in ids)
    db = sqlite3.connect(basic / CACHE_DIR / "cache.sqlite")
    with db:
        db.execute("DELETE FROM comparisons")
    db.close()
    monkeypatch.setattr(comparisons, "compare_story", real)
    for story in ids:
        lazy[story].forget()
        assert lazy[story].get() == held[story].get()


def test_a_one_off_build_and_a_kept_builder_write_the_same_site(basic: Path) -> None:
    from digest.build import Builder

    once = Builder(basic, basic / "once", once=True)
    kept = Builder(basic, basic / "kept")
    for builder in (once, kept):
        builder.build()
    assert not once.memory.comparisons and kept.memory.comparisons
    assert tree(basic / "once") == tree(basic / "kept")


def test_compare_json_written_with_its_story_pages_or_alone(
    basic: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """compare.json is written in the pass that renders its story's pages, so each story's
    comparison is unpickled once; a lost one is written again even when no page of its
    story needs rendering."""
    loaded: list[str] = []
    unpickle = pickle.loads

    def counting(data: bytes) -> object:
        found = unpickle(data)
        if isinstance(found, Comparison):
            loaded.append(found.story)
        return found

    monkeypatch.setattr(pickle, "loads", counting)
    first = build(basic, jobs=1)
    assert "stories/quake/compare.json" in first.report.written
    assert len(loaded) == len(set(loaded)) == len(first.model.stories)
    monkeypatch.undo()
    lost = basic / "public" / "stories" / "quake" / "compare.json"
    kept = lost.read_bytes()
    lost.unlink()
    again = build(basic)
    assert lost.read_bytes() == kept
    assert "stories/quake/index.html" not in again.report.written
    quake = basic / "content" / "quake.md"
    quake.write_text(quake.read_text().replace("strong earthquake", "powerful earthquake"))
    edited = build(basic)
    assert {"stories/quake/index.html", "stories/quake/compare.json"} <= set(edited.report.written)
    assert len(edited.report.written) == len(set(edited.report.written))
