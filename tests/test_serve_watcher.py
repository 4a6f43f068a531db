"""Which file events reach a rebuild: classification, editors' files, debouncing, watchdog."""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

import pytest

from digest.serve.watcher import (
    Action,
    Change,
    Changes,
    Kind,
    Pending,
    SiteWatcher,
    classify,
    is_ignored,
)
from tests.conftest import article, write_site

CLASSIFIED = [
    ("content/a.md", False, Kind.CONTENT),
    ("content/2019/b.md", False, Kind.CONTENT),
    ("content/2019", True, Kind.CONTENT),
    ("content", True, Kind.CONTENT),
    ("content/notes.txt", False, None),
    ("templates/base.html", False, Kind.TEMPLATE),
    ("templates/partials/card.html", False, Kind.TEMPLATE),
    ("templates/static/style.css", False, Kind.STATIC),
    ("templates/static/img/logo.svg", False, Kind.STATIC),
    ("site.toml", False, Kind.CONFIG),
    ("site.toml", True, None),
    ("public/index.html", False, None),
    (".digest-cache/serve/index.html", False, None),
    ("README.md", False, None),
    ("content/.git/HEAD", False, None),
]
EDITOR_FILES = [
    ".a.md.swp",  # vim
    ".a.md.swo",
    "a.md.swp",
    "a.md~",  # vim, emacs backups
    ".#a.md",  # emacs lock
    "#a.md#",  # emacs auto-save
    "4913",  # vim's writability probe
    "a.md.tmp",
    ".DS_Store",
    ".goutputstream-QX1Z",  # gedit
    "a.md___jb_tmp___",  # JetBrains
    "a.kate-swp",
]


@pytest.mark.parametrize(("path", "folder", "kind"), CLASSIFIED)
def test_classify(path: str, folder: bool, kind: Kind | None) -> None:
    assert classify(PurePosixPath(path), folder) is kind


@pytest.mark.parametrize("name", EDITOR_FILES)
def test_editor_files_are_ignored_everywhere(name: str) -> None:
    assert is_ignored(name)
    for folder in ("content", "templates", "templates/static"):
        assert classify(PurePosixPath(folder) / name) is None


@pytest.mark.parametrize("name", ["a.md", "idlib-2019.md", "base.html", "style.css"])
def test_ordinary_names_are_kept(name: str) -> None:
    assert not is_ignored(name)


def test_pending_keeps_the_last_event_per_path_sorted() -> None:
    pending = Pending()
    pending.add(Change("content/b.md", Kind.CONTENT, Action.CHANGED))
    pending.add(Change("content/a.md", Kind.CONTENT, Action.CHANGED))
    pending.add(Change("content/b.md", Kind.CONTENT, Action.DELETED))
    batch = pending.take(quiet=0.0, longest=1.0)
    assert batch is not None and not batch.full
    assert batch.items == (
        Change("content/a.md", Kind.CONTENT, Action.CHANGED),
        Change("content/b.md", Kind.CONTENT, Action.DELETED),
    )
    assert batch.kinds() == {Kind.CONTENT}


def test_pending_gathers_a_burst_into_one_batch() -> None:
    pending = Pending()
    pending.add(Change("content/a.md", Kind.CONTENT, Action.CHANGED))
    taken: list[Changes | None] = []
    taker = threading.Thread(target=lambda: taken.append(pending.take(0.5, 30.0)))
    taker.start()
    # Each add restarts the quiet period, so the taker cannot return between them.
    pending.add(Change("templates/base.html", Kind.TEMPLATE, Action.CHANGED))
    pending.add(Change("site.toml", Kind.CONFIG, Action.CHANGED))
    taker.join(timeout=30)
    (batch,) = taken
    assert batch is not None
    assert [c.path for c in batch.items] == ["content/a.md", "site.toml", "templates/base.html"]


def test_pending_take_returns_none_once_closed() -> None:
    pending = Pending()
    result: list[object] = ["not yet"]
    taker = threading.Thread(target=lambda: result.__setitem__(0, pending.take(0.01, 1.0)))
    taker.start()
    pending.close()
    taker.join(timeout=10)
    assert result == [None]


# --- the real watchdog observer ------------------------------------------------------------


@pytest.fixture
def watched(
    tmp_path: Path,
) -> Iterator[tuple[Path, Callable[[Callable[[Change], bool]], list[Change]]]]:
    """A site under a running SiteWatcher, and ``until(pred)``: the changes up to a match."""
    site = write_site(tmp_path / "site", {"content/a.md": article("A", "2019-08-27", "AFP")})
    (site / "templates" / "static").mkdir(parents=True)
    seen: queue.Queue[Change] = queue.Queue()
    watcher = SiteWatcher(site, seen.put)
    watcher.start()

    def until(match: Callable[[Change], bool]) -> list[Change]:
        got: list[Change] = []
        while not got or not match(got[-1]):
            got.append(seen.get(timeout=10))
        return got

    try:
        yield site, until
    finally:
        watcher.stop()


def test_watcher_ignores_editor_files_and_reports_the_save(
    watched: tuple[Path, Callable[..., list[Change]]],
) -> None:
    site, until = watched
    for name in EDITOR_FILES:
        (site / "content" / name).write_text("scratch", encoding="utf-8")
    (site / "content" / "a.md").write_text(article("A2", "2019-08-27", "AFP"), encoding="utf-8")
    got = until(lambda c: c.path == "content/a.md")
    assert {c.path for c in got} == {"content/a.md"}
    assert got[-1] == Change("content/a.md", Kind.CONTENT, Action.CHANGED)


def test_watcher_reports_renames_and_deletes(
    watched: tuple[Path, Callable[..., list[Change]]],
) -> None:
    site, until = watched
    os.replace(site / "content" / "a.md", site / "content" / "b.md")
    got = until(lambda c: c.path == "content/b.md")
    assert Change("content/a.md", Kind.CONTENT, Action.DELETED) in got
    assert got[-1] == Change("content/b.md", Kind.CONTENT, Action.CHANGED)
    (site / "content" / "b.md").unlink()
    got = until(lambda c: c.action is Action.DELETED)
    assert got[-1] == Change("content/b.md", Kind.CONTENT, Action.DELETED)


def test_watcher_reports_an_editor_save_by_rename(
    watched: tuple[Path, Callable[..., list[Change]]],
) -> None:
    site, until = watched
    temp = site / "content" / "a.md.tmp"
    temp.write_text(article("A3", "2019-08-27", "AFP"), encoding="utf-8")
    os.replace(temp, site / "content" / "a.md")
    got = until(lambda c: c.path == "content/a.md")
    assert {c.path for c in got} == {"content/a.md"}
    assert got[-1].action is Action.CHANGED


def test_watcher_classifies_templates_static_and_config(
    watched: tuple[Path, Callable[..., list[Change]]],
) -> None:
    site, until = watched
    (site / "templates" / "article.html").write_text("{{ article.title }}", encoding="utf-8")
    assert until(lambda c: c.kind is Kind.TEMPLATE)[-1].path == "templates/article.html"
    (site / "templates" / "static" / "x.css").write_text("p{}", encoding="utf-8")
    assert until(lambda c: c.kind is Kind.STATIC)[-1].path == "templates/static/x.css"
    (site / "site.toml").write_text('title = "Renamed"\n', encoding="utf-8")
    assert until(lambda c: c.kind is Kind.CONFIG)[-1].path == "site.toml"


def test_reading_a_file_is_not_a_change(watched: tuple[Path, Callable[..., list[Change]]]) -> None:
    site, until = watched
    (site / "content" / "a.md").read_bytes()  # every build reads; that must not loop
    (site / "site.toml").write_text('title = "Marker"\n', encoding="utf-8")
    got = until(lambda c: c.kind is Kind.CONFIG)
    assert {c.path for c in got} == {"site.toml"}


def test_a_folder_made_after_the_start_is_watched(tmp_path: Path) -> None:
    site = write_site(tmp_path / "late", {})
    seen: queue.Queue[Change] = queue.Queue()
    watcher = SiteWatcher(site, seen.put)
    watcher.start()
    try:
        (site / "templates").mkdir()
        assert seen.get(timeout=10) == Change("templates", Kind.TEMPLATE, Action.CHANGED, True)
        (site / "templates" / "base.html").write_text("<p>x</p>", encoding="utf-8")
        while (change := seen.get(timeout=10)).path != "templates/base.html":
            pass
        assert change == Change("templates/base.html", Kind.TEMPLATE, Action.CHANGED)
    finally:
        watcher.stop()
