"""`SqliteStore`: the `Store` protocol in one SQLite file, shared by worker processes.

Every worker of `cancel-contracts serve --workers N` opens the same file; `--state FILE` makes it
outlive the process. The semantics are those of `MemoryStore` (vendor rules see the same
`Records`): a session is seeded from the fixtures exactly once, on first use, even when two
workers race for it; a transaction's writes and outbox entries become visible together or not at
all; `all()` keeps insertion order; empty collections stay visible in snapshots.

Files. FILE holds the state and FILE.lock is the write lock below; SQLite adds FILE-wal and
FILE-shm. Only this module writes them. (`serve` keeps the request journal next to them, in the
directory FILE.requests: `mockserver.core.file_journal`. Journal writes never touch this file, so
they neither wait for its lock nor make a store snapshot stale.)

Concurrency. A transaction first runs optimistically in a deferred (read) transaction, which in
WAL mode is a consistent snapshot and takes no lock, so read-only work (authentication, GETs) of
several workers runs in parallel. If `fn` staged writes, the connection takes the write lock and
applies them in the same SQLite transaction; SQLite refuses that upgrade (SQLITE_BUSY_SNAPSHOT)
when another connection committed since the snapshot was taken. Then, still holding the lock, a
new write transaction (`BEGIN IMMEDIATE`, the newest state) checks what `fn` read: if every
record it read by key is unchanged, and every record that changed in a collection it searched is
one its `find` predicates reject before and after the change (and no collection it read whole
changed), its writes are applied there as they are; otherwise `fn` runs again in that
transaction. Either way every committed transaction is as if it ran alone on the latest state:
two concurrent cancels of one meeting cannot both succeed, two of different meetings need not
run twice. `fn` must be safe to run twice (vendor handlers are: they only touch `Records`), and a
`find` predicate may be shown a record again.

The write lock is an exclusive `flock` on FILE.lock, taken around every write transaction (one
open file description per connection, so threads exclude each other too). A worker waiting for it
sleeps in the kernel and wakes the moment the holder unlocks. SQLite's own busy handler, which
polls by sleeping 1, 2, 5, 10 ... ms, only matters for a writer that does not take the lock (none
of ours); where `fcntl` is missing (Windows) it is all there is.

Seeding. A new session is one `sessions` row: the seeding instant and the vendors still to seed.
A vendor's records are written on the session's first use of that vendor (a benchmark or a test
session typically uses one vendor, so it writes one vendor's fixtures, not all of them), with the
seeder's tree for the session's seeding instant, in a write transaction of its own that re-checks
under the lock: of two racing workers, exactly one seeds. A transaction that meets an unseeded
vendor (or a session that does not exist yet) stops, the vendor is seeded, and `fn` runs again.
The seeder is called when the session is created and its tree kept in the process for the
session's other vendors; a vendor first used by another process, or after a restart, is seeded
from the seeder's tree for the same instant. A seeder must therefore depend only on the instant
it is given (`FixtureSet.resolve` does), and vendors of sessions older than a `seed()` call are
seeded by the new seeder.

Caching. Every change of a collection stamps its `layout` row, and every record it writes or
deletes, with a new value of a file-wide generation counter. A process keeps the parsed records
of the collections it scanned (`all`, `find`, `keys`): a scan reads one row of `layout`, and only
when another process changed the collection since, the records written (or deleted) since; a
process's own commits update what it keeps. Records handed out are copies, as the contract
requires. What a seeder returns is encoded to JSON once per record, not once per session.

Durability. `journal_mode=WAL` with `synchronous=NORMAL`: a COMMIT has written its frames to the
WAL file (handed to the operating system) before it returns, so a commit survives the process
being killed (SIGKILL) at any point, and the file always opens cleanly; only a power loss or
kernel crash may lose the last commits (never corrupt the file). That is the right trade for a
mock: an acknowledged cancellation is never lost when the server process dies, and no fsync per
request. Checkpoints (copying the WAL back into the file, with an fsync of each) run in a
background thread of each process instead of inside whichever request crosses SQLite's
threshold. `synchronous=FULL` is available (`SqliteStore(path, synchronous="FULL")`) when the
machine itself may crash.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import orjson

from mockserver.core.clock import format_instant, utcnow
from mockserver.core.exchange import encode_json
from mockserver.core.store import (
    Handover,
    Lookup,
    Matches,
    OutboxEntry,
    Predicate,
    Record,
    Seeder,
    SeedTree,
    StateTree,
    Transaction,
    copy_record,
)

T = TypeVar("T")
_VENDOR_MARK = ""  # a `layout` row with this collection name records that a vendor exists
SCHEMA_VERSION = 2  # PRAGMA user_version of a store file: 0/1 before lazy seeding, 2 since
CHECKPOINT_BYTES = 4 * 1024 * 1024  # a process checkpoints once the WAL file is this large
RESTART_BYTES = 32 * 1024 * 1024  # ... and makes the WAL start over once it holds this much
CHECKPOINT_EVERY = 0.2  # seconds between two looks at the WAL's size
CACHED_COLLECTIONS = 256  # parsed collections a process keeps
CACHED_TREES = 32  # seeder trees of recently created sessions a process keeps
# The page size of a new file. A commit writes every page it changed to the WAL whole, and a
# cancellation changes a few records of a few hundred bytes to 2 KB (plus their index entries,
# the collection's `layout` row, the generation, the outbox): with SQLite's default 4096 that
# was 19-49 KB of WAL a cancellation, with 1024 6-20 KB. Two workers sharing a file then
# checkpoint (and start the WAL over under the write lock) less than half as often: their p99 fell
# from 27-46 ms to 21-25 ms, and throughput was the same or higher, by up to 13 % (six A/B runs
# of 4 s, cronofy, graph and meetergo; one worker: no worse). 2048 was in between.
PAGE_SIZE = 1024

STORE_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    name TEXT PRIMARY KEY, frozen TEXT, seeded_at TEXT, token INTEGER NOT NULL DEFAULT 0,
    pending TEXT NOT NULL DEFAULT '[]') WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS layout (
    id INTEGER PRIMARY KEY, session TEXT NOT NULL, vendor TEXT NOT NULL, collection TEXT NOT NULL,
    version INTEGER, created INTEGER, deleted INTEGER, UNIQUE (session, vendor, collection));
CREATE TABLE IF NOT EXISTS records (
    id INTEGER PRIMARY KEY, session TEXT NOT NULL, vendor TEXT NOT NULL, collection TEXT NOT NULL,
    key TEXT NOT NULL, data TEXT NOT NULL, version INTEGER, UNIQUE (session, vendor, collection, key));
CREATE INDEX IF NOT EXISTS records_version ON records (session, vendor, collection, version);
CREATE TABLE IF NOT EXISTS deletions (
    session TEXT NOT NULL, vendor TEXT NOT NULL, collection TEXT NOT NULL, key TEXT NOT NULL,
    version INTEGER NOT NULL, PRIMARY KEY (session, vendor, collection, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY, session TEXT NOT NULL, time TEXT NOT NULL, vendor TEXT NOT NULL,
    kind TEXT NOT NULL, payload TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS outbox_session ON outbox (session, id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
INSERT OR IGNORE INTO meta (key, value) VALUES ('generation', 0);
"""

# Schema 1 (before lazy seeding): sessions without seeded_at/token/pending, layout and records
# without versions (and the journal in the same file; it stays there, unused). Every vendor of a
# schema 1 session was seeded; its collections are read from the file until they first change.
MIGRATIONS_FROM_1 = (
    "ALTER TABLE sessions ADD COLUMN seeded_at TEXT",
    "ALTER TABLE sessions ADD COLUMN token INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE sessions ADD COLUMN pending TEXT NOT NULL DEFAULT '[]'",
    "ALTER TABLE layout ADD COLUMN version INTEGER",
    "ALTER TABLE layout ADD COLUMN created INTEGER",
    "ALTER TABLE layout ADD COLUMN deleted INTEGER",
    "ALTER TABLE records ADD COLUMN version INTEGER",
)


def _dump(value: Any) -> str:
    return encode_json(value).decode("utf-8")  # compact JSON, orjson's speed


def _load(text: str) -> Record:
    try:
        record: Record = orjson.loads(text)
    except orjson.JSONDecodeError:  # what only the standard library writes (an integer beyond 64 bits)
        record = json.loads(text)
    return record


def _shared(value: Record) -> Record:
    return value


def _busy(error: sqlite3.OperationalError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return (int(code) & 0xFF) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    text = str(error).lower()
    return "locked" in text or "busy" in text


@lru_cache(maxsize=256)
def _vendors(text: str) -> frozenset[str]:
    """The `pending` column (a JSON list of vendor names) as a set."""
    return frozenset(json.loads(text))


# locking ------------------------------------------------------------------------------------------
if sys.platform != "win32":
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

else:  # pragma: no cover - no flock: SQLite's busy timeout does the waiting

    def _lock(fd: int) -> None:
        return None

    def _try_lock(fd: int) -> bool:
        return True

    def _unlock(fd: int) -> None:
        return None


class _Connection:
    """One thread's SQLite connection and its own handle on the write lock file."""

    def __init__(self, sql: sqlite3.Connection, lock_path: str) -> None:
        self.sql = sql
        self._fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        self.holding = False

    def lock(self) -> bool:
        """Take the write lock; False if this connection already held it."""
        if self.holding:
            return False
        _lock(self._fd)
        self.holding = True
        return True

    def try_lock(self) -> bool:
        """Take the write lock if it is free (or already held): whether this connection holds it."""
        if not self.holding:
            self.holding = _try_lock(self._fd)
        return self.holding

    def unlock(self) -> None:
        if self.holding:
            self.holding = False
            _unlock(self._fd)

    @contextmanager
    def locked(self) -> Iterator[sqlite3.Connection]:
        """The connection, holding the write lock (for statements that commit by themselves)."""
        took = self.lock()
        try:
            yield self.sql
        finally:
            if took:
                self.unlock()

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """A write transaction under the write lock: committed on success, rolled back on error."""
        took = self.lock()
        try:
            self.sql.execute("BEGIN IMMEDIATE")
            try:
                yield self.sql
            except BaseException:
                self.rollback()
                raise
            self.commit()
        finally:
            if took:
                self.unlock()

    def commit(self) -> None:
        try:
            self.sql.execute("COMMIT")
        except BaseException:
            self.rollback()
            raise

    def rollback(self) -> None:
        if self.sql.in_transaction:
            self.sql.execute("ROLLBACK")

    def close(self) -> None:
        self.unlock()
        self.sql.close()
        os.close(self._fd)


def _open(path: str, timeout: float, synchronous: str) -> sqlite3.Connection:
    sql = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
    sql.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    sql.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # a new file only: an existing one keeps its own
    if str(sql.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
        _use_wal(sql, path, timeout)
    sql.execute(f"PRAGMA synchronous = {synchronous}")
    sql.execute("PRAGMA wal_autocheckpoint = 0")  # the checkpointer thread does it, off the request path
    sql.execute(f"PRAGMA journal_size_limit = {RESTART_BYTES}")  # a WAL that starts over shrinks back
    return sql


def _use_wal(sql: sqlite3.Connection, path: str, timeout: float) -> None:
    """Switch a new file to WAL. That needs the file to itself, and while another connection has
    it open in a read SQLite does not wait: it refuses (busy), or leaves the mode as it was and
    says so — two workers creating the file at the same moment met both. So the switch is made
    under the write lock and tried again until the mode is WAL."""
    deadline = time.monotonic() + timeout
    fd = os.open(path + ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _lock(fd)
        while True:
            try:
                if str(sql.execute("PRAGMA journal_mode = WAL").fetchone()[0]).lower() == "wal":
                    return
            except sqlite3.OperationalError as error:
                if not _busy(error):
                    raise
            if time.monotonic() > deadline:
                raise sqlite3.OperationalError(f"{path}: could not switch to WAL")
            time.sleep(0.005)
    finally:
        os.close(fd)  # closing it drops the lock


def _checkpoint_loop(path: str, timeout: float, synchronous: str, stop: threading.Event) -> None:
    """Keep the WAL in check, off the request path. Every CHECKPOINT_EVERY seconds, once the WAL
    holds CHECKPOINT_BYTES, a PASSIVE checkpoint copies it back into the file alongside readers and
    writers (with the fsyncs of synchronous=NORMAL). Writers that never pause never let the WAL
    start over, though, so once it holds RESTART_BYTES a RESTART checkpoint follows: it copies the
    few frames written since and waits for the readers still in the WAL, so that the next write
    starts the WAL over (the file shrinks back to RESTART_BYTES). It holds our write lock for that
    moment, so writers wait in the kernel, not in SQLite's busy handler, and none of them waits for
    it with a snapshot open (`SqliteStore._apply`), which the RESTART would wait for in turn.
    Another process checkpointing at the same time makes this one a no-op. Knows nothing of the
    `_Database` (an unclosed one can be collected); stops when `stop` is set or the process exits
    (a daemon thread)."""
    wal = path + "-wal"
    conn: _Connection | None = None
    page = 4096
    try:
        while not stop.wait(CHECKPOINT_EVERY):
            try:
                if os.path.getsize(wal) < CHECKPOINT_BYTES:
                    continue
                if conn is None:
                    conn = _Connection(_open(path, timeout, synchronous), path + ".lock")
                    conn.sql.execute("PRAGMA busy_timeout = 100")  # readers leave the WAL within ms
                    page = int(conn.sql.execute("PRAGMA page_size").fetchone()[0])
                _busy, frames, _copied = conn.sql.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                if frames * (page + 24) >= RESTART_BYTES:
                    with conn.locked() as sql:
                        sql.execute("PRAGMA wal_checkpoint(RESTART)").fetchall()
            except (OSError, sqlite3.Error):
                continue  # no WAL at the moment, or busy: look again later
    finally:
        if conn is not None:
            conn.close()


class _Database:
    """One connection per thread to one file, configured the same way everywhere, and a thread
    that checkpoints its WAL."""

    def __init__(
        self,
        path: str | Path,
        timeout: float,
        synchronous: str,
        prepare: Callable[[sqlite3.Connection], None],
    ) -> None:
        self.path = str(path)
        self._timeout = timeout
        self._synchronous = synchronous
        self._local = threading.local()
        self._all: list[_Connection] = []
        self._guard = threading.Lock()
        self._stop = threading.Event()
        with self.connection().writing() as sql:  # create (or migrate) the schema, whoever comes first
            prepare(sql)
        self._checkpointer = threading.Thread(
            target=_checkpoint_loop,
            args=(self.path, timeout, synchronous, self._stop),
            name=f"checkpoint {self.path}",
            daemon=True,
        )
        self._checkpointer.start()
        weakref.finalize(self, self._stop.set)  # an unclosed database stops its thread when collected

    def connection(self) -> _Connection:
        conn: _Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = _Connection(_open(self.path, self._timeout, self._synchronous), self.path + ".lock")
            self._local.conn = conn
            with self._guard:
                self._all.append(conn)
        return conn

    def close(self) -> None:
        self._stop.set()
        self._checkpointer.join()
        with self._guard:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()


def _prepare_store(sql: sqlite3.Connection) -> None:
    version = int(sql.execute("PRAGMA user_version").fetchone()[0])
    if version >= SCHEMA_VERSION:
        return
    columns = {str(row[1]) for row in sql.execute("PRAGMA table_info(sessions)")}
    if columns and "pending" not in columns:  # a schema 1 file: add what lazy seeding needs
        for statement in MIGRATIONS_FROM_1:
            sql.execute(statement)
    for statement in STORE_SCHEMA.split(";"):
        if statement.strip():
            sql.execute(statement)
    sql.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


# sessions -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Session:
    token: int  # the generation the session was created at: a new token after every reset
    frozen: str | None
    seeded_at: str | None
    pending: frozenset[str]  # vendors whose fixtures are not written yet


def _session(sql: sqlite3.Connection, name: str) -> _Session | None:
    row = sql.execute(
        "SELECT token, frozen, seeded_at, pending FROM sessions WHERE name = ?", (name,)
    ).fetchone()
    if row is None:
        return None
    return _Session(int(row[0]), row[1], row[2], _vendors(row[3]))


def _instant(frozen: str | None) -> datetime:
    return utcnow() if frozen is None else datetime.fromisoformat(frozen)


class _Unseeded(Exception):  # not an error: a signal to seed, then run again
    """Raised inside a transaction that needs a session created or a vendor seeded first."""

    def __init__(self, vendor: str | None) -> None:
        super().__init__(vendor)
        self.vendor = vendor


def _generation(sql: sqlite3.Connection) -> int:
    """A new value of the file-wide counter (inside a write transaction)."""
    if _RETURNING:
        rows = sql.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation' RETURNING value")
        return int(rows.fetchall()[0][0])  # stepped to the end: the statement is done
    sql.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation'")
    return int(sql.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0])


_RETURNING = sqlite3.sqlite_version_info >= (3, 35, 0)  # UPDATE ... RETURNING: one statement


def _stamp(
    sql: sqlite3.Connection,
    session: str,
    vendor: str,
    collection: str,
    version: int,
    *,
    deleting: bool = False,
) -> None:
    """Mark the collection changed at `version` (`deleting`: records were deleted), declaring it
    (and its vendor) if it is new.

    `layout.version` is the generation of the collection's last change, `layout.created` that of
    its creation and `layout.deleted` that of its last deletion; `records.version` and
    `deletions.version` say when each record was last written or deleted. A process that keeps the
    collection as of generation g (g >= created) catches up by reading what was written since g
    (and deleted, if anything was); a collection created after g (the session was reset) is read
    whole."""
    changed = sql.execute(  # (a collection of a schema 1 file gets its `created` now)
        "UPDATE layout SET version = ?, created = COALESCE(created, ?), "
        "deleted = CASE WHEN ? THEN ? ELSE deleted END "
        "WHERE session = ? AND vendor = ? AND collection = ?",
        (version, version, deleting, version, session, vendor, collection),
    )
    if changed.rowcount:
        return
    sql.execute(
        "INSERT OR IGNORE INTO layout (session, vendor, collection) VALUES (?, ?, ?)",
        (session, vendor, _VENDOR_MARK),
    )
    sql.execute(
        "INSERT INTO layout (session, vendor, collection, version, created, deleted) VALUES (?, ?, ?, ?, ?, ?)",
        (session, vendor, collection, version, version, version if deleting else None),
    )


# ON CONFLICT keeps the row id, so a replaced record keeps its place (like a dict update).
_UPSERT = (
    "INSERT INTO records (session, vendor, collection, key, data, version) VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (session, vendor, collection, key) DO UPDATE SET data = excluded.data, "
    "version = excluded.version"
)


class _Texts:
    """The JSON text of records a seeder returned, by identity. A seeder's records are never changed
    in place (the `Store` contract: a store does not change them, and a seeder may share them
    between the trees it builds, as `FixtureSet.resolve` does for every record without relative
    times and for each second's resolved ones), so each is encoded once, not once per session. The
    record is kept with its text, so its id cannot be reused meanwhile; the oldest half is dropped
    when `size` records are kept."""

    def __init__(self, size: int = 50_000) -> None:
        self._size = size
        self._kept: dict[int, tuple[Record, str]] = {}
        self._guard = threading.Lock()

    def __call__(self, record: Record) -> str:
        found = self._kept.get(id(record))
        if found is not None and found[0] is record:
            return found[1]
        text = _dump(record)
        with self._guard:
            if len(self._kept) >= self._size:
                for key in list(self._kept)[: self._size // 2]:
                    del self._kept[key]
            self._kept[id(record)] = (record, text)
        return text


def _write_tree(
    sql: sqlite3.Connection,
    session: str,
    tree: SeedTree,
    version: int,
    dump: Callable[[Record], str] = _dump,
) -> None:
    for vendor, collections in tree.items():
        sql.execute(
            "INSERT OR IGNORE INTO layout (session, vendor, collection) VALUES (?, ?, ?)",
            (session, vendor, _VENDOR_MARK),
        )
        for collection, records in collections.items():
            _stamp(sql, session, vendor, collection, version)
            sql.executemany(
                _UPSERT,
                [
                    (session, vendor, collection, key, dump(record), version)
                    for key, record in records.items()
                ],
            )


# per-process caches -------------------------------------------------------------------------------
CollectionKey = tuple[str, str, str]  # session, vendor, collection


class _Collections:
    """Parsed collections by (session, vendor, collection) at one generation; never changed in
    place (a newer generation replaces the whole mapping), so transactions share them. With each,
    the `Lookup` that `find_by` made of it, if any: a newer generation's is derived from it with
    the changes (`advance`) instead of being made again."""

    def __init__(self, size: int = CACHED_COLLECTIONS) -> None:
        self._size = size
        self._kept: OrderedDict[CollectionKey, tuple[int, dict[str, Record]]] = OrderedDict()
        self._lookups: dict[CollectionKey, tuple[dict[str, Record], Lookup]] = {}
        self._guard = threading.Lock()

    def lookup(self, key: CollectionKey, records: dict[str, Record]) -> Lookup:
        """The lookup of exactly `records` (made now if there is none)."""
        with self._guard:
            found = self._lookups.get(key)
            if found is not None and found[0] is records:
                return found[1]
        made = Lookup(records)
        with self._guard:
            kept = self._kept.get(key)
            if kept is not None and kept[1] is records:  # only for what is kept
                self._lookups[key] = (records, made)
        return made

    def advance(
        self,
        key: CollectionKey,
        version: int,
        records: dict[str, Record],
        gone: list[str],
        written: list[tuple[str, Record]],
    ) -> dict[str, Record]:
        """Keep `records` after the changes (`_caught_up`) at `version`, with the lookup of
        `records`, if any, derived for the result; returns the result."""
        result = _caught_up(records, gone, written)
        with self._guard:
            found = self._lookups.get(key)
        lookup = None
        if found is not None and found[0] is records:
            lookup = found[1].derived(records, [*((k, None) for k in gone), *written])
        self.put(key, version, result, lookup)
        return result

    def get(self, key: CollectionKey) -> tuple[int, dict[str, Record]] | None:
        with self._guard:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
            return found

    def put(
        self, key: CollectionKey, version: int, records: dict[str, Record], lookup: Lookup | None = None
    ) -> None:
        with self._guard:
            found = self._kept.get(key)
            if found is not None and found[0] > version:
                return  # someone already keeps a newer one
            self._kept[key] = (version, records)
            self._kept.move_to_end(key)
            if lookup is not None:
                self._lookups[key] = (records, lookup)
            else:
                self._lookups.pop(key, None)
            while len(self._kept) > self._size:
                dropped, _ = self._kept.popitem(last=False)
                self._lookups.pop(dropped, None)

    def drop(self, key: CollectionKey) -> None:
        with self._guard:
            self._kept.pop(key, None)
            self._lookups.pop(key, None)

    def clear(self) -> None:
        with self._guard:
            self._kept.clear()
            self._lookups.clear()


class _Trees:
    """The seeder's tree of sessions this process created, by (session, token), for the vendors
    it seeds later: one seeder call per session and process."""

    def __init__(self, size: int = CACHED_TREES) -> None:
        self._size = size
        self._kept: OrderedDict[tuple[str, int], SeedTree] = OrderedDict()
        self._guard = threading.Lock()

    def get(self, key: tuple[str, int]) -> SeedTree | None:
        with self._guard:
            return self._kept.get(key)

    def put(self, key: tuple[str, int], tree: SeedTree) -> None:
        with self._guard:
            self._kept[key] = tree
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)

    def clear(self) -> None:
        with self._guard:
            self._kept.clear()


# transactions -------------------------------------------------------------------------------------
_WHOLE = None  # in `_SqliteTransaction._scans`: the whole collection was read (`all`, `keys`)


def _changes(
    conn: sqlite3.Connection, where: CollectionKey, since: int, deleted: int | None
) -> tuple[list[str], list[tuple[str, Record]]]:
    """What happened to a collection after generation `since`: the keys deleted (read only when
    `layout.deleted`, the last deletion, is newer), then the records written, in id order."""
    gone: list[str] = []
    if deleted is not None and deleted > since:
        gone = [
            str(key)
            for (key,) in conn.execute(
                "SELECT key FROM deletions WHERE session = ? AND vendor = ? AND collection = ? AND version > ?",
                (*where, since),
            )
        ]
    written = [
        (str(key), _load(data))
        for key, data in conn.execute(
            "SELECT key, data FROM records WHERE session = ? AND vendor = ? AND collection = ? "
            "AND version > ? ORDER BY id",
            (*where, since),
        )
    ]
    return gone, written


def _caught_up(
    records: dict[str, Record], gone: list[str], written: list[tuple[str, Record]]
) -> dict[str, Record]:
    """`records` with those changes (a new mapping): a replaced record keeps its place, a new one
    (or one deleted and written again) comes last."""
    result = dict(records)
    for key in gone:
        result.pop(key, None)
    for key, record in written:
        result[key] = record
    return result


class _SqliteTransaction:
    """Reads go to the database (inside the caller's SQLite transaction) or to the process's parsed
    collections; writes are staged and applied by `apply` when `fn` returns.

    What was read is noted, so that a transaction whose snapshot went stale (another connection
    committed meanwhile) can be checked against the state it would commit onto (`still_valid`):
    when nothing it read changed, its writes are applied there without running `fn` again."""

    def __init__(
        self, conn: sqlite3.Connection, name: str, session: _Session | None, cache: _Collections
    ) -> None:
        self._conn = conn
        self._name = name
        self._session = session
        self._cache = cache
        self.now = _instant(session.frozen if session else None)
        self.frozen = self.now if session is not None and session.frozen is not None else None
        self._writes: dict[CollectionKey, str | None] = {}
        self._emitted: list[tuple[str, str, str, str]] = []
        self._stamp: str | None = None
        # collections read in this transaction: (vendor, collection) -> (version, records)
        self._read: dict[tuple[str, str], tuple[int | None, dict[str, Record]]] = {}
        # what was read of them: the predicates of `find` (`_WHOLE`: everything), the keys of `get`
        self._scans: dict[tuple[str, str], list[Predicate | None]] = {}
        self._points: dict[tuple[str, str], set[str]] = {}
        # records read straight from the file: (vendor, collection, key) -> their text (None: absent)
        self._gets: dict[CollectionKey, str | None] = {}
        self._parsed: dict[CollectionKey, Record] = {}  # ... parsed, as `read` handed them out
        self._declared: set[tuple[str, str]] = set()  # collections read that existed
        self.handed = Handover()  # `put`/`emit` serialize at once; checked alike (STRICT_RECORDS)

    @property
    def dirty(self) -> bool:
        return bool(self._writes or self._emitted)

    def _check(self, vendor: str) -> None:
        if self._session is None or vendor in self._session.pending:
            raise _Unseeded(vendor)

    def check_session(self) -> None:
        if self._session is None:
            raise _Unseeded(None)

    def _collection(self, vendor: str, collection: str) -> dict[str, Record]:
        """The committed records of a collection (live, shared: never change them), in order."""
        found = self._read.get((vendor, collection))
        if found is not None:
            return found[1]
        where = (self._name, vendor, collection)
        row = self._conn.execute(
            "SELECT version, created, deleted FROM layout WHERE session = ? AND vendor = ? AND collection = ?",
            where,
        ).fetchone()
        if row is None:  # never declared: no records (every write declares its collection)
            self._read[(vendor, collection)] = (None, {})
            return {}
        self._declared.add((vendor, collection))
        version: int | None = row[0]
        created: int = -1 if row[1] is None else row[1]
        records: dict[str, Record] | None = None
        kept = self._cache.get(where) if version is not None else None
        if version is not None and kept is not None and kept[0] == version:
            records = kept[1]
        elif version is not None and kept is not None and 0 <= created <= kept[0] < version:
            # Only what changed since what this process keeps is read.
            records = self._cache.advance(
                where, version, kept[1], *_changes(self._conn, where, kept[0], row[2])
            )
        else:
            rows = self._conn.execute(
                "SELECT key, data FROM records WHERE session = ? AND vendor = ? AND collection = ? "
                "ORDER BY id",
                where,
            ).fetchall()
            records = {str(k): _load(data) for k, data in rows}
            if version is not None:
                self._cache.put(where, version, records)
        self._read[(vendor, collection)] = (version, records)
        return records

    def get(self, vendor: str, collection: str, key: str) -> Record | None:
        return self._lookup(vendor, collection, key, copy_record)

    def read(self, vendor: str, collection: str, key: str) -> Record | None:
        return self._lookup(vendor, collection, key, _shared)

    def _lookup(
        self, vendor: str, collection: str, key: str, hand_out: Callable[[Record], Record]
    ) -> Record | None:
        self._check(vendor)
        staged = (vendor, collection, key)
        if staged in self._writes:
            text = self._writes[staged]
            return None if text is None else _load(text)
        found = self._read.get((vendor, collection))
        if found is not None:
            self._points.setdefault((vendor, collection), set()).add(key)
            record = found[1].get(key)
            return None if record is None else hand_out(record)
        if staged in self._gets:  # looked up before in this transaction: no second query
            text = self._gets[staged]
            if text is None:
                return None
            kept = self._parsed.get(staged)
            if kept is None:
                kept = self._parsed[staged] = _load(text)
            return hand_out(kept)
        row = self._conn.execute(
            "SELECT data FROM records WHERE session = ? AND vendor = ? AND collection = ? AND key = ?",
            (self._name, vendor, collection, key),
        ).fetchone()
        self._gets[staged] = None if row is None else row[0]
        if row is None:
            return None
        record = _load(row[0])  # a fresh parse: `get` may hand it out as its copy
        if hand_out is _shared:
            self._parsed[staged] = record
        return record

    def _view(self, vendor: str, collection: str) -> Iterable[tuple[str, Record]]:
        """(key, record) of the collection as this transaction sees it, in insertion order; the
        records are the shared (or staged) ones, not copies."""
        self._check(vendor)
        live = self._collection(vendor, collection)
        staged = {k: text for (v, c, k), text in self._writes.items() if v == vendor and c == collection}
        if not staged:
            return live.items()
        view: list[tuple[str, Record]] = []
        for key, record in live.items():
            if key not in staged:
                view.append((key, record))
            elif (text := staged[key]) is not None:  # replaced: keeps its place
                view.append((key, _load(text)))
        view += [(key, _load(text)) for key, text in staged.items() if key not in live and text is not None]
        return view

    def all(self, vendor: str, collection: str) -> list[Record]:
        self._scans.setdefault((vendor, collection), []).append(_WHOLE)
        return [copy_record(record) for _key, record in self._view(vendor, collection)]

    def find(self, vendor: str, collection: str, predicate: Predicate) -> list[Record]:
        self._scans.setdefault((vendor, collection), []).append(predicate)
        return [record for _key, record in self._view(vendor, collection) if predicate(record)]

    def find_by(self, vendor: str, collection: str, field: str, values: frozenset[str]) -> list[Record]:
        """`find` with the predicate `Matches`, answered from the `Lookup` this process keeps with
        the parsed collection (unless this transaction staged writes there: then `find`)."""
        matches = Matches(field, values)
        if any(v == vendor and c == collection for v, c, _k in self._writes):
            return self.find(vendor, collection, matches)
        self._check(vendor)
        self._scans.setdefault((vendor, collection), []).append(matches)  # checked as `find`'s
        live = self._collection(vendor, collection)
        lookup = self._cache.lookup((self._name, vendor, collection), live)
        return [live[key] for key in lookup.matching(live, field, values)]

    def keys(self, vendor: str, collection: str) -> list[str]:
        self._scans.setdefault((vendor, collection), []).append(_WHOLE)
        return [key for key, _record in self._view(vendor, collection)]

    def still_valid(self) -> bool:
        """Inside a newer snapshot (the caller holds the write lock): whether everything `fn` read
        is still what it read, so that its writes may be applied here as they are. A record read
        by `get` must be unchanged; a collection scanned by `find` may have changed only in records
        that its predicates reject, before and after the change; one read whole not at all."""
        conn, name = self._conn, self._name
        now = _session(conn, name)
        if now is None or self._session is None:
            return False
        if (now.token, now.frozen) != (self._session.token, self._session.frozen):
            return False  # reset or a clock frozen meanwhile
        for (vendor, collection, key), text in self._gets.items():
            row = conn.execute(
                "SELECT data FROM records WHERE session = ? AND vendor = ? AND collection = ? AND key = ?",
                (name, vendor, collection, key),
            ).fetchone()
            if (None if row is None else row[0]) != text:
                return False
        for (vendor, collection), (version, records) in self._read.items():
            where = (name, vendor, collection)
            row = conn.execute(
                "SELECT version, created, deleted FROM layout WHERE session = ? AND vendor = ? "
                "AND collection = ?",
                where,
            ).fetchone()
            declared = (vendor, collection) in self._declared
            if row is None or not declared:
                if row is None and not declared:
                    continue  # still no such collection
                return False  # declared (or dropped) meanwhile
            if row[0] == version:
                continue  # unchanged
            if version is None or row[1] is None or row[1] > version:
                return False  # the collection was created anew
            scans = self._scans.get((vendor, collection), [])
            points = self._points.get((vendor, collection), set())
            if _WHOLE in scans:
                return False
            gone, written = _changes(conn, where, version, row[2])
            changed: dict[str, Record | None] = dict.fromkeys(gone)
            changed.update(written)
            for key, new in changed.items():
                if key in points:
                    return False
                old = records.get(key)
                for predicate in scans:
                    assert predicate is not None
                    try:
                        if (old is not None and predicate(old)) or (new is not None and predicate(new)):
                            return False
                    except Exception:  # a predicate that cannot judge a record: read again
                        return False
            # Still valid: what this transaction read of the collection moves to the newest state,
            # so that this process keeps (and its commit updates) that one.
            caught_up = self._cache.advance(where, row[0], records, gone, written)
            self._read[(vendor, collection)] = (row[0], caught_up)
        return True

    def put(self, vendor: str, collection: str, key: str, record: Record) -> None:
        self._check(vendor)
        self._writes[(vendor, collection, key)] = _dump(record)
        self.handed.note(record, f"the record put at {vendor}/{collection}/{key}")

    def delete(self, vendor: str, collection: str, key: str) -> None:
        self._check(vendor)
        self._writes[(vendor, collection, key)] = None

    def emit(self, vendor: str, kind: str, payload: dict[str, Any]) -> None:
        if self._stamp is None:
            self._stamp = format_instant(self.now)
        self._emitted.append((self._stamp, vendor, kind, _dump(payload)))
        self.handed.note(payload, f"the {vendor} {kind} payload emitted")

    def apply(self) -> int | None:
        """Write what was staged (the caller holds the write lock); raises
        `sqlite3.OperationalError` (busy) if the snapshot is stale. Returns the generation the
        changed collections were stamped with (None: only outbox entries)."""
        conn, session = self._conn, self._name
        version = None
        if self._writes:
            version = _generation(conn)  # the first write: upgrades to a write transaction
            deleting = {(v, c) for (v, c, _k), text in self._writes.items() if text is None}
            for vendor, collection in dict.fromkeys((v, c) for v, c, _k in self._writes):
                _stamp(conn, session, vendor, collection, version, deleting=(vendor, collection) in deleting)
            deleted = [(session, *staged) for staged, text in self._writes.items() if text is None]
            if deleted:
                conn.executemany(
                    "DELETE FROM records WHERE session = ? AND vendor = ? AND collection = ? AND key = ?",
                    deleted,
                )
                conn.executemany(
                    "INSERT INTO deletions (session, vendor, collection, key, version) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (session, vendor, collection, key) DO UPDATE SET version = excluded.version",
                    [(*row, version) for row in deleted],
                )
            written = [
                (session, *staged, text, version) for staged, text in self._writes.items() if text is not None
            ]
            if written:
                conn.executemany(_UPSERT, written)
        if self._emitted:
            conn.executemany(
                "INSERT INTO outbox (session, time, vendor, kind, payload) VALUES (?, ?, ?, ?, ?)",
                [(session, *entry) for entry in self._emitted],
            )
        return version

    def committed(self, version: int | None) -> None:
        """After COMMIT: what this process keeps of the collections it changed moves to `version`."""
        if version is None:
            return
        changed: dict[tuple[str, str], dict[str, str | None]] = {}
        for (vendor, collection, key), text in self._writes.items():
            changed.setdefault((vendor, collection), {})[key] = text
        for (vendor, collection), writes in changed.items():
            cache_key = (self._name, vendor, collection)
            read = self._read.get((vendor, collection))
            kept = self._cache.get(cache_key)
            if read is None or kept is None or kept[1] is not read[1]:
                continue  # this process keeps something else (or nothing): it catches up when read
            gone = [key for key, text in writes.items() if text is None]
            written = [(key, _load(text)) for key, text in writes.items() if text is not None]
            self._cache.advance(cache_key, version, read[1], gone, written)


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
        self._db = _Database(path, timeout, synchronous.upper(), _prepare_store)
        self._seeder: Seeder = seeder or (lambda _now: {})
        self._trees = _Trees()
        self._cache = _Collections()
        self._texts = _Texts()  # what the seeder returns, encoded once

    def close(self) -> None:
        self._db.close()

    # sessions -------------------------------------------------------------------------------------
    def seed(self, tree_for: Seeder) -> None:
        """Use `tree_for` for sessions seeded from now on (and the vendors of older sessions not
        seeded yet). Sessions already in the file are kept: that is what makes `serve --state FILE`
        survive restarts (and N workers share one file)."""
        self._seeder = tree_for
        self._trees.clear()
        self._texts = _Texts()

    def _prepared(self, sql: sqlite3.Connection, name: str, vendors: Iterable[str] | None) -> _Session:
        """Inside a write transaction: the session, created if new, with `vendors` (None: all)
        seeded. Re-checked here, under the write lock: of two racing workers, exactly one seeds."""
        session = _session(sql, name)
        if session is None:
            now = utcnow()
            tree = self._seeder(now)
            token = _generation(sql)
            pending = list(tree)
            sql.execute(
                "INSERT INTO sessions (name, frozen, seeded_at, token, pending) VALUES (?, NULL, ?, ?, ?)",
                (name, now.isoformat(), token, json.dumps(pending)),
            )
            # Vendors appear in the seeder's order in snapshots, whichever is seeded first.
            sql.executemany(
                "INSERT OR IGNORE INTO layout (session, vendor, collection) VALUES (?, ?, ?)",
                [(name, vendor, _VENDOR_MARK) for vendor in pending],
            )
            self._trees.put((name, token), tree)
            session = _Session(token, None, now.isoformat(), frozenset(pending))
        wanted = session.pending if vendors is None else session.pending.intersection(vendors)
        if not wanted:
            return session
        kept = self._trees.get((name, session.token))
        if kept is None:
            seeded_at = session.seeded_at
            kept = self._seeder(utcnow() if seeded_at is None else datetime.fromisoformat(seeded_at))
            self._trees.put((name, session.token), kept)
        tree = kept
        ordered = [vendor for vendor in tree if vendor in wanted] + sorted(wanted.difference(tree))
        seeded = {vendor: tree.get(vendor, {}) for vendor in ordered}
        _write_tree(sql, name, seeded, _generation(sql), self._texts)
        left = session.pending - wanted
        sql.execute("UPDATE sessions SET pending = ? WHERE name = ?", (json.dumps(sorted(left)), name))
        return _Session(session.token, session.frozen, session.seeded_at, frozenset(left))

    def _seed(self, conn: _Connection, name: str, vendors: Iterable[str] | None) -> None:
        """Create the session and seed `vendors` (None: all) in a write transaction of their own."""
        with conn.writing() as sql:
            self._prepared(sql, name, vendors)

    @contextmanager
    def _reading(self, name: str, vendors: Iterable[str] | None = ()) -> Iterator[sqlite3.Connection]:
        """A read transaction on a session that exists with `vendors` (None: all) seeded."""
        conn = self._db.connection()
        wanted = None if vendors is None else frozenset(vendors)
        while True:
            conn.sql.execute("BEGIN")
            session = _session(conn.sql, name)
            if session is not None and not (session.pending if wanted is None else session.pending & wanted):
                break
            conn.rollback()
            self._seed(conn, name, wanted)
        try:
            yield conn.sql
        finally:
            conn.rollback()  # nothing was written: ending the read transaction is all it does

    def transact(self, session: str, fn: Callable[[Transaction], T]) -> T:
        conn = self._db.connection()
        sql = conn.sql
        exclusive = False  # run `fn` under the write lock (`BEGIN IMMEDIATE`) from the start
        try:
            while True:
                if exclusive:
                    conn.lock()
                    sql.execute("BEGIN IMMEDIATE")
                else:
                    sql.execute("BEGIN")  # deferred: a snapshot, no lock until the first write
                try:
                    tx = _SqliteTransaction(sql, session, _session(sql, session), self._cache)
                    result = fn(tx)
                    tx.handed.check()
                    tx.check_session()
                    version = None
                    if tx.dirty:
                        applied, version = self._apply(conn, tx, exclusive)
                        if not applied:
                            conn.rollback()
                            exclusive = True  # what `fn` read changed: run it again, holding the lock
                            continue
                    conn.commit()
                except _Unseeded as unseeded:
                    conn.rollback()
                    self._seed(conn, session, () if unseeded.vendor is None else (unseeded.vendor,))
                    continue
                except sqlite3.OperationalError as error:
                    conn.rollback()
                    if not _busy(error):
                        raise
                    # Someone committed since our snapshot: run again holding the write lock.
                    exclusive = True
                    continue
                except BaseException:
                    conn.rollback()
                    raise
                conn.unlock()  # before catching up what this process keeps: the lock is for writing
                tx.committed(version)
                return result
        finally:
            conn.unlock()

    @staticmethod
    def _apply(conn: _Connection, tx: _SqliteTransaction, exclusive: bool) -> tuple[bool, int | None]:
        """Take the write lock and apply `tx`'s writes: in its own snapshot if that is still the
        newest, else in a new one if what `tx` read is unchanged there. (applied, the generation of
        the change); not applied: what `fn` read changed, it must run again (the lock is kept).

        A snapshot is never kept open while waiting for the lock: the checkpointer's RESTART,
        which holds the lock, waits for every open snapshot. So when the lock is taken, `tx`'s
        snapshot is given up first and what it read is checked in a new one."""
        if exclusive:
            return True, tx.apply()
        if conn.try_lock():
            try:
                return True, tx.apply()  # the first write upgrades the snapshot to a write transaction
            except sqlite3.OperationalError as error:
                if not _busy(error):
                    raise
        conn.rollback()  # someone committed since our snapshot (or holds the lock): the newest state
        conn.lock()
        conn.sql.execute("BEGIN IMMEDIATE")
        if not tx.still_valid():
            return False, None
        return True, tx.apply()

    def reset(self, session: str | None = None) -> None:
        with self._db.connection().writing() as sql:
            for table in ("sessions", "layout", "records", "deletions", "outbox"):
                if session is None:
                    sql.execute(f"DELETE FROM {table}")
                else:
                    column = "name" if table == "sessions" else "session"
                    sql.execute(f"DELETE FROM {table} WHERE {column} = ?", (session,))
        # What this process keeps goes stale by itself (new sessions get new generations).

    def sessions(self) -> list[str]:
        sql = self._db.connection().sql
        return [str(row[0]) for row in sql.execute("SELECT name FROM sessions ORDER BY name")]

    # reads ----------------------------------------------------------------------------------------
    def snapshot(self, session: str, vendor: str | None = None) -> StateTree:
        with self._reading(session, None if vendor is None else (vendor,)) as sql:
            where, args = (
                ("session = ?", (session,))
                if vendor is None
                else ("session = ? AND vendor = ?", (session, vendor))
            )
            tree: StateTree = {} if vendor is None else {vendor: {}}
            for name, collection in sql.execute(
                f"SELECT vendor, collection FROM layout WHERE {where} ORDER BY id", args
            ):
                collections = tree.setdefault(name, {})
                if collection != _VENDOR_MARK:
                    collections.setdefault(collection, {})
            for name, collection, key, data in sql.execute(
                f"SELECT vendor, collection, key, data FROM records WHERE {where} ORDER BY id", args
            ):
                tree.setdefault(name, {}).setdefault(collection, {})[key] = json.loads(data)
        return tree

    def outbox(self, session: str) -> list[OutboxEntry]:
        with self._reading(session) as sql:
            rows = sql.execute(
                "SELECT time, vendor, kind, payload FROM outbox WHERE session = ? ORDER BY id", (session,)
            ).fetchall()
        return [OutboxEntry(time, vendor, kind, json.loads(payload)) for time, vendor, kind, payload in rows]

    def frozen_at(self, session: str) -> datetime | None:
        conn = self._db.connection()
        while True:
            row = conn.sql.execute("SELECT frozen FROM sessions WHERE name = ?", (session,)).fetchone()
            if row is not None:
                return None if row[0] is None else datetime.fromisoformat(row[0])
            self._seed(conn, session, ())

    # writes ---------------------------------------------------------------------------------------
    def clear_outbox(self, session: str) -> None:
        with self._db.connection().writing() as sql:
            self._prepared(sql, session, ())
            sql.execute("DELETE FROM outbox WHERE session = ?", (session,))

    def freeze(self, session: str, instant: datetime | None) -> None:
        with self._db.connection().writing() as sql:
            self._prepared(sql, session, ())
            value = None if instant is None else instant.isoformat()
            sql.execute("UPDATE sessions SET frozen = ? WHERE name = ?", (value, session))

    def add_records(self, session: str, tree: StateTree) -> None:
        with self._db.connection().writing() as sql:
            self._prepared(sql, session, tree)  # the fixtures first: added records replace them
            _write_tree(sql, session, tree, _generation(sql))
