"""The build cache in ``.digest-cache/``: what was derived from each file, keyed by content.

One SQLite file: it survives a build killed at any point (its journal rolls back a half
write), and an entry is only ever found under the hash of the exact bytes it came from, so
a stale entry cannot be served. Deleting the folder gives a cold build. A cache that cannot
be read is set aside and rebuilt, never trusted.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sqlite3
import weakref
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from digest.codekey import code_key
from digest.errors import Problem
from digest.grouping.features import Terms
from digest.records import ArticleRecord
from digest.search import Words
from digest.unpickling import unpickle

CACHE_DIR = ".digest-cache"
FORMAT = 3
"""Bumped whenever what is stored changes shape."""
_SCHEMA = f"format {FORMAT} code {code_key()}"

Entry = tuple[ArticleRecord, str, tuple[Problem, ...], Words, Terms]
"""A valid file's record (without its body), lead (its rendered body's first paragraph),
warnings, search words and grouping terms."""


TABLES = ("files", "bodies", "comparisons")
"""files: content file key -> Entry; bodies: content file key -> RenderedBody;
comparisons: comparison key -> Comparison."""


def _table(name: str) -> str:
    if name not in TABLES:
        raise ValueError(f"no cache table {name!r}")
    return name


_BATCH = 500
"""Keys per lookup (SQLite allows 999 parameters at least)."""
_SCAN = 1000
"""From this many keys on, the whole table is read instead."""


class BuildCache:
    """Records and rendered bodies of content files, by file key."""

    def __init__(self, site: Path) -> None:
        self.folder = site / CACHE_DIR
        self.path = self.folder / "cache.sqlite"
        self.db = self._open()
        """This process's connection: idle whenever a worker is forked, never used by one."""
        self._shared: SharedCache | None = None

    def _open(self) -> sqlite3.Connection:
        self.folder.mkdir(exist_ok=True)
        ignore = self.folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n", encoding="utf-8")
        try:
            return self._connect()
        except sqlite3.DatabaseError:
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(FileNotFoundError):
                    Path(str(self.path) + suffix).unlink()
            return self._connect()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
        row = db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
        if row is None or row[0] != _SCHEMA:
            for table in TABLES:
                db.execute(f"DROP TABLE IF EXISTS {table}")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (_SCHEMA,))
        for table in TABLES:
            db.execute(f"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, data BLOB)")
        db.commit()
        return db

    def get_raw(self, keys: Sequence[str], table: str) -> dict[str, bytes]:
        """The stored bytes for ``keys``, not yet unpickled (callers unpickle what they use).

        A few keys are looked up by key, a few hundred at a time (a rebuild in ``digest
        serve`` asks for one or two entries of a cache of hundreds of megabytes); many are
        picked from the whole table.
        """
        wanted = sorted(set(keys))
        name = _table(table)
        found: dict[str, bytes] = {}
        try:
            if len(wanted) > _SCAN:  # many: reading the whole table is twice as fast
                rows = self.db.execute(f"SELECT key, data FROM {name}").fetchall()
                keep = set(wanted)
                return {key: bytes(data) for key, data in rows if key in keep}
            for start in range(0, len(wanted), _BATCH):
                batch = wanted[start : start + _BATCH]
                marks = ",".join("?" * len(batch))
                query = f"SELECT key, data FROM {name} WHERE key IN ({marks})"
                found.update((key, bytes(data)) for key, data in self.db.execute(query, batch))
        except sqlite3.DatabaseError:
            return {}
        return found

    def present(self, keys: Sequence[str], table: str) -> set[str]:
        """Which of ``keys`` are stored (their bytes are not read)."""
        wanted = set(keys)
        try:
            rows = self.db.execute(f"SELECT key FROM {_table(table)}")
            return {key for (key,) in rows if key in wanted}
        except sqlite3.DatabaseError:
            return set()

    def get_many(self, keys: Sequence[str], table: str = "files") -> dict[str, Any]:
        """The entries found for ``keys``, unpickled; an unreadable entry counts as missing."""
        found: dict[str, Any] = {}
        for key, data in self.get_raw(keys, table).items():
            entry = unpickle(data)
            if entry is not None:
                found[key] = entry
        return found

    def put_many(
        self, entries: Iterable[tuple[str, Any]], keep: Iterable[str], table: str = "files"
    ) -> None:
        """Store new entries and forget those no longer in ``keep``, in one transaction."""
        self.put_raw(((k, pickle.dumps(v, protocol=5)) for k, v in entries), keep, table)

    def put_raw(
        self, entries: Iterable[tuple[str, bytes]], keep: Iterable[str], table: str
    ) -> bool:
        """Store pickled entries and forget those no longer in ``keep``, in one transaction;
        whether they were stored."""
        keep_set = set(keep)
        name = _table(table)
        try:
            with self.db:
                stale = [
                    (key,)
                    for (key,) in self.db.execute(f"SELECT key FROM {name}")
                    if key not in keep_set
                ]
                self.db.executemany(f"DELETE FROM {name} WHERE key = ?", stale)
                self.db.executemany(f"INSERT OR REPLACE INTO {name} VALUES (?, ?)", entries)
        except sqlite3.DatabaseError:
            return False  # the cache only saves time; a build never fails because of it
        return True

    def shared(self) -> SharedCache:
        """This cache as any process may use it (see ``SharedCache``); one for each build."""
        if self._shared is None:
            self._shared = SharedCache(self.path)
        return self._shared

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> BuildCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SharedCache:
    """Entries read and stored by key, in whichever process asks: each process opens its own
    connection, as a connection must not be used across a fork (this one is closed before
    this process forks). A build's workers use it to store what they derived, and to load
    what was stored, instead of passing it through this process's memory."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        _SHARED.add(self)

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        return self._db

    def get_raw(self, key: str, table: str) -> bytes | None:
        """The stored bytes under ``key``; None when missing or unreadable."""
        try:
            query = f"SELECT data FROM {_table(table)} WHERE key = ?"
            row = self._connection().execute(query, (key,)).fetchone()
        except sqlite3.DatabaseError:
            return None
        return bytes(row[0]) if row is not None else None

    def put_raw(self, entries: Sequence[tuple[str, bytes]], table: str) -> bool:
        """Store pickled entries in one transaction; whether they were stored. It waits for
        another process's transaction (workers store at once), up to the connection's
        timeout."""
        name = _table(table)
        try:
            db = self._connection()
            try:
                db.execute("BEGIN IMMEDIATE")
                db.executemany(f"INSERT OR REPLACE INTO {name} VALUES (?, ?)", entries)
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:  # never leave the write lock to other processes' waits
                    db.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError:
            return False  # the cache only saves time; the caller keeps what it could not store
        return True

    def close(self) -> None:
        """Close its connection, if open (the next use opens another)."""
        if self._db is not None:
            self._db.close()
        self._db = None


_SHARED: weakref.WeakSet[SharedCache] = weakref.WeakSet()


def _close_shared() -> None:
    for shared in list(_SHARED):
        shared.close()


os.register_at_fork(before=_close_shared)
