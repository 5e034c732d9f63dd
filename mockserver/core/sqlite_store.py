"""`SqliteStore`: the `Store` protocol in one SQLite file, shared by worker processes.

Every worker of `cancel-contracts serve --workers N` opens the same file; `--state FILE` makes it
outlive the process. The semantics are those of `MemoryStore` (vendor rules see the same
`Records`): a session is seeded from the fixtures exactly once, on first use, even when two
workers race for it; a transaction's writes and outbox entries become visible together or not at
all; `all()` keeps insertion order; empty collections stay visible in snapshots.

Concurrency. A transaction first runs optimistically in a deferred (read) transaction, which in
WAL mode is a consistent snapshot and takes no lock, so read-only work (authentication, GETs) of
several workers runs in parallel. If `fn` staged writes, they are applied in the same SQLite
transaction; SQLite refuses the upgrade to a write transaction (SQLITE_BUSY / BUSY_SNAPSHOT) when
another connection committed since the snapshot was taken, and then `fn` runs again under
`BEGIN IMMEDIATE` (the write lock, waited for up to the busy timeout) against fresh data. So
every committed transaction saw the latest state: two concurrent cancels cannot both succeed.
`fn` must therefore be safe to run twice (vendor handlers are: they only touch `Records`).

Durability. `journal_mode=WAL` with `synchronous=NORMAL`: a COMMIT has written its frames to the
WAL file (handed to the operating system) before it returns, so a commit survives the process
being killed (SIGKILL) at any point, and the file always opens cleanly; only a power loss or
kernel crash may lose the last commits (never corrupt the file). That is the right trade for a
mock: an acknowledged cancellation is never lost when the server process dies, and no fsync per
request. `synchronous=FULL` is available (`SqliteStore(path, synchronous="FULL")`) when the
machine itself may crash.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from mockserver.core.clock import format_instant, utcnow
from mockserver.core.journal import Entry
from mockserver.core.store import OutboxEntry, Predicate, Record, Seeder, StateTree, Transaction

T = TypeVar("T")
_VENDOR_MARK = ""  # a `layout` row with this collection name records that a vendor exists

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (name TEXT PRIMARY KEY, frozen TEXT) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS layout (
    id INTEGER PRIMARY KEY, session TEXT NOT NULL, vendor TEXT NOT NULL, collection TEXT NOT NULL,
    UNIQUE (session, vendor, collection));
CREATE TABLE IF NOT EXISTS records (
    id INTEGER PRIMARY KEY, session TEXT NOT NULL, vendor TEXT NOT NULL, collection TEXT NOT NULL,
    key TEXT NOT NULL, data TEXT NOT NULL, UNIQUE (session, vendor, collection, key));
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY, session TEXT NOT NULL, time TEXT NOT NULL, vendor TEXT NOT NULL,
    kind TEXT NOT NULL, payload TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS outbox_session ON outbox (session, id);
CREATE TABLE IF NOT EXISTS journal (
    id INTEGER PRIMARY KEY, session TEXT NOT NULL, time TEXT NOT NULL, vendor TEXT NOT NULL,
    method TEXT NOT NULL, path TEXT NOT NULL, status INTEGER NOT NULL, duration_ms REAL NOT NULL);
CREATE INDEX IF NOT EXISTS journal_session ON journal (session, id);
"""


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _load(text: str) -> Record:
    record: Record = json.loads(text)
    return record


def _busy(error: sqlite3.OperationalError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return (int(code) & 0xFF) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    text = str(error).lower()
    return "locked" in text or "busy" in text


class _Database:
    """One connection per thread to one file, configured the same way everywhere."""

    def __init__(self, path: str | Path, timeout: float, synchronous: str) -> None:
        self.path = str(path)
        self._timeout = timeout
        self._synchronous = synchronous
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._guard = threading.Lock()
        with self.connection() as conn:  # create the schema once, whoever comes first
            conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path, timeout=self._timeout, isolation_level=None, check_same_thread=False
        )
        conn.execute(f"PRAGMA busy_timeout = {int(self._timeout * 1000)}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(f"PRAGMA synchronous = {self._synchronous}")
        return conn

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._open()
            self._local.conn = conn
            with self._guard:
                self._all.append(conn)
        yield conn

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (`BEGIN IMMEDIATE`): committed on success, rolled back on error."""
        with self.connection() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def close(self) -> None:
        with self._guard:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()


class _SqliteTransaction:
    """Reads go to the database (inside the caller's SQLite transaction); writes are staged."""

    def __init__(self, conn: sqlite3.Connection, session: str, now: datetime) -> None:
        self._conn = conn
        self._session = session
        self.now = now
        self._writes: dict[tuple[str, str, str], str | None] = {}
        self._emitted: list[tuple[str, str, str, str]] = []

    @property
    def dirty(self) -> bool:
        return bool(self._writes or self._emitted)

    def get(self, vendor: str, collection: str, key: str) -> Record | None:
        staged = (vendor, collection, key)
        if staged in self._writes:
            text = self._writes[staged]
            return None if text is None else _load(text)
        row = self._conn.execute(
            "SELECT data FROM records WHERE session = ? AND vendor = ? AND collection = ? AND key = ?",
            (self._session, vendor, collection, key),
        ).fetchone()
        return None if row is None else _load(row[0])

    def _view(self, vendor: str, collection: str) -> list[tuple[str, str]]:
        """(key, JSON text) of the collection as this transaction sees it, in insertion order."""
        rows = self._conn.execute(
            "SELECT key, data FROM records WHERE session = ? AND vendor = ? AND collection = ? ORDER BY id",
            (self._session, vendor, collection),
        ).fetchall()
        if not self._writes:
            return rows
        found: list[tuple[str, str]] = []
        seen: set[str] = set()
        for key, data in rows:
            seen.add(key)
            text = self._writes.get((vendor, collection, key), data)
            if text is not None:
                found.append((key, text))
        for (v, c, k), text in self._writes.items():
            if v == vendor and c == collection and k not in seen and text is not None:
                found.append((k, text))
        return found

    def all(self, vendor: str, collection: str) -> list[Record]:
        return [_load(text) for _key, text in self._view(vendor, collection)]

    def find(self, vendor: str, collection: str, predicate: Predicate) -> list[Record]:
        # Every row is parsed anyway: the parsed record is already a private copy.
        found = (_load(text) for _key, text in self._view(vendor, collection))
        return [record for record in found if predicate(record)]

    def keys(self, vendor: str, collection: str) -> list[str]:
        return [key for key, _text in self._view(vendor, collection)]

    def put(self, vendor: str, collection: str, key: str, record: Record) -> None:
        self._writes[(vendor, collection, key)] = _dump(record)

    def delete(self, vendor: str, collection: str, key: str) -> None:
        self._writes[(vendor, collection, key)] = None

    def emit(self, vendor: str, kind: str, payload: dict[str, Any]) -> None:
        self._emitted.append((format_instant(self.now), vendor, kind, _dump(payload)))

    def apply(self) -> None:
        """Write what was staged; raises `sqlite3.OperationalError` (busy) if the snapshot is stale."""
        conn, session = self._conn, self._session
        for (vendor, collection, key), text in self._writes.items():
            _declare(conn, session, vendor, collection)
            if text is None:
                conn.execute(
                    "DELETE FROM records WHERE session = ? AND vendor = ? AND collection = ? AND key = ?",
                    (session, vendor, collection, key),
                )
            else:
                _upsert(conn, session, vendor, collection, key, text)
        if self._emitted:
            conn.executemany(
                "INSERT INTO outbox (session, time, vendor, kind, payload) VALUES (?, ?, ?, ?, ?)",
                [(session, *entry) for entry in self._emitted],
            )


def _declare(conn: sqlite3.Connection, session: str, vendor: str, collection: str) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO layout (session, vendor, collection) VALUES (?, ?, ?)",
        (session, vendor, _VENDOR_MARK),
    )
    conn.execute(
        "INSERT OR IGNORE INTO layout (session, vendor, collection) VALUES (?, ?, ?)",
        (session, vendor, collection),
    )


def _upsert(
    conn: sqlite3.Connection, session: str, vendor: str, collection: str, key: str, text: str
) -> None:
    # ON CONFLICT keeps the row id, so a replaced record keeps its place (like a dict update).
    conn.execute(
        "INSERT INTO records (session, vendor, collection, key, data) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (session, vendor, collection, key) DO UPDATE SET data = excluded.data",
        (session, vendor, collection, key, text),
    )


def _write_tree(conn: sqlite3.Connection, session: str, tree: StateTree) -> None:
    for vendor, collections in tree.items():
        conn.execute(
            "INSERT OR IGNORE INTO layout (session, vendor, collection) VALUES (?, ?, ?)",
            (session, vendor, _VENDOR_MARK),
        )
        for collection, records in collections.items():
            _declare(conn, session, vendor, collection)
            for key, record in records.items():
                _upsert(conn, session, vendor, collection, key, _dump(record))


class SqliteStore:
    """The `Store` protocol in a SQLite file (WAL): shared by processes, survives restarts."""

    def __init__(
        self,
        path: str | Path,
        seeder: Seeder | None = None,
        *,
        timeout: float = 30.0,
        synchronous: str = "NORMAL",
    ) -> None:
        if synchronous.upper() not in ("NORMAL", "FULL", "EXTRA"):
            raise ValueError(f"synchronous must be NORMAL, FULL or EXTRA, not {synchronous!r}")
        self.path = Path(path)
        self._db = _Database(path, timeout, synchronous.upper())
        self._seeder: Seeder = seeder or (lambda _now: {})

    def close(self) -> None:
        self._db.close()

    # sessions -------------------------------------------------------------------------------------
    def seed(self, tree_for: Seeder) -> None:
        """Use `tree_for` for sessions seeded from now on. Sessions already in the file are kept:
        that is what makes `serve --state FILE` survive restarts (and N workers share one file)."""
        self._seeder = tree_for

    def _ensure(self, conn: sqlite3.Connection, session: str, *, locked: bool = False) -> str | None:
        """The session's frozen instant (text or None), seeding the session first if it is new.

        `locked`: the caller holds the write lock (`BEGIN IMMEDIATE`) and seeds in its own
        transaction. Otherwise a read snapshot is given up, the session seeded in a write
        transaction of its own, and a fresh snapshot begun.
        """
        row = conn.execute("SELECT frozen FROM sessions WHERE name = ?", (session,)).fetchone()
        if row is not None:
            return None if row[0] is None else str(row[0])
        if locked:
            self._seed_session(conn, session)
            return None
        reading = conn.in_transaction
        if reading:
            conn.execute("ROLLBACK")
        with self._db.writing() as writer:
            # Re-checked under the write lock: of two racing workers, exactly one seeds.
            row = writer.execute("SELECT frozen FROM sessions WHERE name = ?", (session,)).fetchone()
            if row is None:
                self._seed_session(writer, session)
        if reading:
            conn.execute("BEGIN")
        return None if row is None or row[0] is None else str(row[0])

    def _seed_session(self, conn: sqlite3.Connection, session: str) -> None:
        conn.execute("INSERT INTO sessions (name, frozen) VALUES (?, NULL)", (session,))
        _write_tree(conn, session, self._seeder(utcnow()))

    def transact(self, session: str, fn: Callable[[Transaction], T]) -> T:
        with self._db.connection() as conn:
            conn.execute("BEGIN")  # deferred: a snapshot, no lock until the first write
            try:
                frozen = self._ensure(conn, session)
                tx = _SqliteTransaction(conn, session, _instant(frozen))
                result = fn(tx)
                if tx.dirty:
                    tx.apply()
            except sqlite3.OperationalError as error:
                conn.execute("ROLLBACK")
                if not _busy(error):
                    raise
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            else:
                conn.execute("COMMIT")
                return result
        # Someone committed since our snapshot: run again holding the write lock.
        with self._db.writing() as conn:
            frozen = self._ensure(conn, session, locked=True)
            tx = _SqliteTransaction(conn, session, _instant(frozen))
            result = fn(tx)
            tx.apply()
            return result

    def reset(self, session: str | None = None) -> None:
        with self._db.writing() as conn:
            for table in ("sessions", "layout", "records", "outbox"):
                if session is None:
                    conn.execute(f"DELETE FROM {table}")
                else:
                    column = "name" if table == "sessions" else "session"
                    conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (session,))

    def sessions(self) -> list[str]:
        with self._db.connection() as conn:
            return [str(row[0]) for row in conn.execute("SELECT name FROM sessions ORDER BY name")]

    # reads ----------------------------------------------------------------------------------------
    def snapshot(self, session: str, vendor: str | None = None) -> StateTree:
        with self._db.connection() as conn:
            conn.execute("BEGIN")
            try:
                self._ensure(conn, session)
                where, args = (
                    ("session = ?", (session,))
                    if vendor is None
                    else (
                        "session = ? AND vendor = ?",
                        (session, vendor),
                    )
                )
                tree: StateTree = {} if vendor is None else {vendor: {}}
                for name, collection in conn.execute(
                    f"SELECT vendor, collection FROM layout WHERE {where} ORDER BY id", args
                ):
                    collections = tree.setdefault(name, {})
                    if collection != _VENDOR_MARK:
                        collections.setdefault(collection, {})
                for name, collection, key, data in conn.execute(
                    f"SELECT vendor, collection, key, data FROM records WHERE {where} ORDER BY id", args
                ):
                    tree.setdefault(name, {}).setdefault(collection, {})[key] = json.loads(data)
            finally:
                conn.execute("COMMIT")
            return tree

    def outbox(self, session: str) -> list[OutboxEntry]:
        with self._db.connection() as conn:
            conn.execute("BEGIN")
            try:
                self._ensure(conn, session)
                rows = conn.execute(
                    "SELECT time, vendor, kind, payload FROM outbox WHERE session = ? ORDER BY id", (session,)
                ).fetchall()
            finally:
                conn.execute("COMMIT")
        return [OutboxEntry(time, vendor, kind, json.loads(payload)) for time, vendor, kind, payload in rows]

    def frozen_at(self, session: str) -> datetime | None:
        with self._db.connection() as conn:
            frozen = self._ensure(conn, session)
        return None if frozen is None else datetime.fromisoformat(frozen)

    # writes ---------------------------------------------------------------------------------------
    def clear_outbox(self, session: str) -> None:
        with self._db.writing() as conn:
            self._ensure(conn, session, locked=True)
            conn.execute("DELETE FROM outbox WHERE session = ?", (session,))

    def freeze(self, session: str, instant: datetime | None) -> None:
        with self._db.writing() as conn:
            self._ensure(conn, session, locked=True)
            value = None if instant is None else instant.isoformat()
            conn.execute("UPDATE sessions SET frozen = ? WHERE name = ?", (value, session))

    def add_records(self, session: str, tree: StateTree) -> None:
        with self._db.writing() as conn:
            self._ensure(conn, session, locked=True)
            _write_tree(conn, session, tree)


def _instant(frozen: str | None) -> datetime:
    return utcnow() if frozen is None else datetime.fromisoformat(frozen)


class SqliteJournal:
    """The request journal in the store's file, so `/__admin/requests` sees every worker's calls."""

    def __init__(self, path: str | Path, limit: int = 10_000, *, timeout: float = 30.0) -> None:
        self._db = _Database(path, timeout, "NORMAL")
        self._limit = limit
        self._added = 0

    def add(self, entry: Entry) -> None:
        with self._db.connection() as conn:
            conn.execute(
                "INSERT INTO journal (session, time, vendor, method, path, status, duration_ms) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    entry.session,
                    entry.time,
                    entry.vendor,
                    entry.method,
                    entry.path,
                    entry.status,
                    entry.duration_ms,
                ),
            )
            self._added += 1
            if self._added % 500 == 0:  # bounded like the in-memory journal: the newest `limit` kept
                conn.execute(
                    "DELETE FROM journal WHERE id < "
                    "(SELECT id FROM journal ORDER BY id DESC LIMIT 1 OFFSET ?)",
                    (self._limit - 1,),
                )

    def entries(self, session: str) -> list[Entry]:
        with self._db.connection() as conn:
            rows = conn.execute(
                "SELECT time, session, vendor, method, path, status, duration_ms FROM "
                "(SELECT * FROM journal ORDER BY id DESC LIMIT ?) WHERE session = ? ORDER BY id",
                (self._limit, session),
            ).fetchall()
        return [Entry(*row) for row in rows]

    def clear(self, session: str) -> None:
        with self._db.connection() as conn:
            conn.execute("DELETE FROM journal WHERE session = ?", (session,))

    def close(self) -> None:
        self._db.close()
