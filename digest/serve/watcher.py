"""Which file events matter to a site, and a watchdog observer that records them.

The watcher only records what changed, keeping the last event per path; the build loop
decides when to build (after a quiet moment) and what to rebuild (by kind of change).
Editors' temporary and swap files never reach it.
"""

from __future__ import annotations

import contextlib
import enum
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

CONFIG_FILE = "site.toml"
WATCHED_FOLDERS = ("content", "templates")

# Events that say something was written, made, removed or moved; opening and reading a file
# (which every build does) must not look like a change.
_EVENT_TYPES: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileClosedEvent,
    FileDeletedEvent,
    FileMovedEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
]
_TEMP_SUFFIXES = (
    "~",
    ".swp",
    ".swo",
    ".swx",
    ".tmp",
    ".temp",
    ".bak",
    ".kate-swp",
    ".part",
    ".crdownload",
    "___jb_tmp___",
    "___jb_old___",
    ".digest-tmp",
)


class Kind(enum.Enum):
    """What a changed file is to the site; it decides what must be rebuilt."""

    CONTENT = "content"
    TEMPLATE = "template"
    STATIC = "static"
    CONFIG = "config"


class Action(enum.Enum):
    """What became of a path: it exists with new bytes, or it is gone."""

    CHANGED = "changed"
    DELETED = "deleted"


@dataclass(frozen=True, slots=True)
class Change:
    """The last event seen for one path of the site."""

    path: str
    """The path relative to the site, POSIX style, e.g. ``content/a.md``."""
    kind: Kind
    """What the path is to the site."""
    action: Action
    """Whether it changed (created, written, moved here) or is gone."""
    folder: bool = False
    """True for a folder: everything under it changed or went with it."""


@dataclass(frozen=True, slots=True)
class Changes:
    """One debounced batch of changes, handed to a rebuild."""

    items: tuple[Change, ...]
    """The changes, one per path, sorted by path."""
    full: bool = False
    """True when everything must be built (the first build)."""

    def kinds(self) -> frozenset[Kind]:
        return frozenset(change.kind for change in self.items)


FULL = Changes((), full=True)


def is_ignored(name: str) -> bool:
    """Editors' swap, backup and temporary files, and hidden files (.DS_Store, .#x)."""
    return (
        not name
        or name.startswith(".")
        or name.endswith(_TEMP_SUFFIXES)
        or name == "4913"  # vim writes it to test that a folder is writable
        or (name.startswith("#") and name.endswith("#"))  # emacs auto-save
    )


def classify(path: PurePosixPath, folder: bool = False) -> Kind | None:
    """The kind of a site-relative path, or None when the site does not read it."""
    parts = path.parts
    if not parts or any(is_ignored(part) for part in parts):
        return None
    if parts == (CONFIG_FILE,):
        return None if folder else Kind.CONFIG
    if parts[0] == "content":
        return Kind.CONTENT if folder or path.suffix == ".md" else None
    if parts[0] == "templates":
        return Kind.STATIC if len(parts) > 1 and parts[1] == "static" else Kind.TEMPLATE
    return None


class Pending:
    """Changes seen since the last build: a flag the watcher sets, and the build loop takes."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._items: dict[str, Change] = {}
        self._last = 0.0
        self._closed = False

    def add(self, change: Change) -> None:
        with self._cond:
            self._items.pop(change.path, None)  # the last event per path wins
            self._items[change.path] = change
            self._last = time.monotonic()
            self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def take(self, quiet: float, longest: float) -> Changes | None:
        """Wait for changes, then until ``quiet`` seconds pass without news (at most
        ``longest`` seconds); return them, or None once closed."""
        with self._cond:
            while not self._items and not self._closed:
                self._cond.wait()
            first = time.monotonic()
            while not self._closed:
                now = time.monotonic()
                deadline = min(self._last + quiet, first + longest)
                if now >= deadline:
                    break
                self._cond.wait(deadline - now)
            if self._closed:
                return None
            items = tuple(sorted(self._items.values(), key=lambda c: c.path))
            self._items.clear()
            return Changes(items)


class _Handler(FileSystemEventHandler):
    """Turns watchdog events into Changes; runs in the observer's thread."""

    def __init__(self, watcher: SiteWatcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        for path, action in _paths(event):
            self.watcher.seen(path, action, event.is_directory)


def _paths(event: FileSystemEvent) -> Iterator[tuple[str, Action]]:
    if event.event_type == "moved":
        yield os.fsdecode(event.src_path), Action.DELETED
        yield os.fsdecode(event.dest_path), Action.CHANGED
    elif event.event_type == "deleted":
        yield os.fsdecode(event.src_path), Action.DELETED
    elif event.event_type in ("created", "closed") or (
        event.event_type == "modified" and not event.is_directory
    ):
        yield os.fsdecode(event.src_path), Action.CHANGED


class SiteWatcher:
    """Watches content/, templates/ and site.toml of a site with watchdog."""

    def __init__(self, site: Path, on_change: Callable[[Change], None]) -> None:
        self.site = site.resolve()
        self.on_change = on_change
        self._observer = Observer()
        self._handler = _Handler(self)
        self._watched: dict[str, ObservedWatch] = {}

    def start(self) -> None:
        self._observer.schedule(self._handler, str(self.site), event_filter=_EVENT_TYPES)
        for name in WATCHED_FOLDERS:
            self._watch_folder(name)
        self._observer.start()

    def stop(self) -> None:
        self._observer.stop()
        if self._observer.is_alive():
            self._observer.join()

    def _watch_folder(self, name: str) -> None:
        folder = self.site / name
        if name in self._watched or not folder.is_dir():
            return
        self._watched[name] = self._observer.schedule(
            self._handler, str(folder), recursive=True, event_filter=_EVENT_TYPES
        )

    def _forget_folder(self, name: str) -> None:
        watch = self._watched.pop(name, None)
        if watch is not None:
            with contextlib.suppress(KeyError):
                self._observer.unschedule(watch)

    def seen(self, path: str, action: Action, folder: bool) -> None:
        """Record one event's path, when the site reads it."""
        try:
            rel = PurePosixPath(Path(path).relative_to(self.site).as_posix())
        except ValueError:
            return
        if folder and len(rel.parts) == 1 and rel.parts[0] in WATCHED_FOLDERS:
            if action is Action.CHANGED:
                self._watch_folder(rel.parts[0])  # made (or moved here) after the start
            else:
                self._forget_folder(rel.parts[0])
        kind = classify(rel, folder)
        if kind is not None:
            self.on_change(Change(rel.as_posix(), kind, action, folder))
