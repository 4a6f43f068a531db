"""Rendered bodies: held by a server's builder, read back from the cache in a one-off build."""

from __future__ import annotations

import os
import pickle
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from digest import bodies
from digest.bodies import TABLE, Body, forget_loaded
from digest.build import Builder, build
from digest.cache import CACHE_DIR, BuildCache
from digest.errors import ProblemsError
from digest.load import file_key
from digest.markdown import RenderedBody, render_body
from tests.conftest import article, write_site
from tests.test_incremental import many_articles

WHERE = "content/quake.md"
TEXT = article("Quake", "2024-02-03", "Wire", "A strong earthquake struck.\n\nThen another.")


def _site(tmp_path: Path) -> tuple[Path, Body]:
    """A site of one article, and that article's body as a one-off build knows it: by key,
    with an empty cache behind it."""
    site = write_site(tmp_path / "site", {WHERE: TEXT})
    with BuildCache(site) as cache:
        shared = cache.shared()
    key = file_key(WHERE, (site / WHERE).read_bytes())
    return site, Body(key, "A strong earthquake struck.", cache=shared, file=(site, WHERE))


def _store(site: Path, key: str, data: bytes) -> None:
    db = sqlite3.connect(site / CACHE_DIR / "cache.sqlite")
    with db:
        db.execute(f"INSERT OR REPLACE INTO {TABLE} VALUES (?, ?)", (key, data))
    db.close()


def test_a_stored_body_is_read_back_once_and_let_go(tmp_path: Path) -> None:
    site, body = _site(tmp_path)
    stored = RenderedBody("<p>stored</p>", ("stored",))
    _store(site, body.fingerprint, pickle.dumps(stored))
    assert body.get() == stored
    _store(site, body.fingerprint, pickle.dumps(RenderedBody("<p>other</p>", ("other",))))
    assert body.get() == stored, "held until let go"
    forget_loaded()
    assert body.get().html == "<p>other</p>"


def test_a_body_the_cache_lost_or_damaged_is_rendered_again_from_its_file(
    tmp_path: Path,
) -> None:
    site, body = _site(tmp_path)
    assert body.get() == render_body("A strong earthquake struck.\n\nThen another.")
    forget_loaded()
    _store(site, body.fingerprint, b"not a pickle")
    assert body.get().paragraphs == ("A strong earthquake struck.", "Then another.")


@pytest.mark.parametrize("change", ["edit", "delete"])
def test_a_file_changed_during_the_build_is_named_with_the_fix(tmp_path: Path, change: str) -> None:
    site, body = _site(tmp_path)
    if change == "edit":
        (site / WHERE).write_text(TEXT.replace("strong", "weak"), encoding="utf-8")
    else:
        (site / WHERE).unlink()
    with pytest.raises(ProblemsError) as raised:
        body.get()
    [problem] = raised.value.problems
    assert problem.path == WHERE and "while the site was being built" in problem.message
    assert problem.hint == "build again"


def test_a_held_body_is_never_let_go_or_read() -> None:
    value = render_body("Held.")
    body = Body.held("k", value)
    body.forget()
    forget_loaded()
    assert body.get() is value and body.lead == "Held."
    assert body == Body("k", "") and hash(body) == hash(Body("k", "other"))
    assert body != Body("other", "Held.")


def test_a_one_off_build_holds_one_story_s_bodies_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No process holds all the rendered bodies or comparisons: the process that makes one
    stores it, and every process that compares and renders reads the bodies back, holding
    no more than one story's at a time."""
    site = write_site(tmp_path / "site", many_articles(630))  # 210 stories: both stages fork
    readers = tmp_path / "readers"
    real = Body._read

    def noted(self: Body) -> RenderedBody | None:
        with readers.open("a", encoding="ascii") as out:
            out.write(f"{os.getpid()} {len(bodies._LOADED)}\n")
        return real(self)

    store = BuildCache.put_raw

    def no_comparisons(cache: BuildCache, entries: Any, keep: Any, table: str) -> bool:
        entries = list(entries)
        assert table != "comparisons" or not entries, "a comparison passed through"
        return store(cache, entries, keep, table)

    monkeypatch.setattr(Body, "_read", noted)
    monkeypatch.setattr(BuildCache, "put_raw", no_comparisons)
    result = build(site, jobs=2)
    reads = [line.split() for line in readers.read_text(encoding="ascii").splitlines()]
    assert len(reads) >= 2 * 630, "each body read back to compare and to render"
    assert len({pid for pid, _ in reads}) >= 2, "in this process and the workers"
    assert max(int(held) for _, held in reads) < 3, "a story's three versions at most"
    assert not bodies._LOADED, "this process let every body go"
    page = (site / "public/articles/a0123/index.html").read_text(encoding="utf-8")
    assert "Paragraph 5 of report 123" in page
    assert len(result.model.articles) == 630
    fingerprints = [a.fingerprint for a in result.model.articles.values()]
    with BuildCache(site) as cache:
        assert cache.present(fingerprints, TABLE) == set(fingerprints)
        (stored,) = cache.db.execute("SELECT count(*) FROM comparisons").fetchone()
    assert stored == 210


def test_a_server_builder_holds_its_bodies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = write_site(tmp_path / "site", many_articles(30))
    Builder(site, once=True).build()  # a cache with the bodies stored, for the next to find

    def never(self: Body) -> RenderedBody | None:
        raise AssertionError("a held body was read back")

    monkeypatch.setattr(Body, "_read", never)
    kept = Builder(site, tmp_path / "kept")
    result = kept.build()
    assert len(kept.memory.bodies) == 30
    assert all(a.paragraphs for a in result.model.articles.values())


def test_a_body_the_cache_lost_is_stored_again_by_the_next_build(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", many_articles(6))
    build(site, tmp_path / "first", jobs=1)
    db = sqlite3.connect(site / CACHE_DIR / "cache.sqlite")
    with db:
        db.execute(f"DELETE FROM {TABLE}")
    db.close()
    build(site, tmp_path / "second", jobs=1)
    with BuildCache(site) as cache:
        (count,) = cache.db.execute(f"SELECT count(*) FROM {TABLE}").fetchone()
    assert count == 6
