"""How `SqliteStore` shares one file between workers cheaply (see its module docstring): vendors
seeded on first use, exactly once; parsed collections kept per process and still coherent; the
write lock; checkpoints off the request path; old files. And `FileJournal`, the journal the
workers share without a lock."""

from __future__ import annotations

import os
import sqlite3
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from mockserver.core import sqlite_store
from mockserver.core.file_journal import FileJournal, journal_directory
from mockserver.core.journal import Entry
from mockserver.core.sqlite_store import SqliteStore
from mockserver.core.store import Seeder, StateTree, Transaction


def two_vendors(_now: datetime) -> StateTree:
    return {
        "acme": {"events": {str(n): {"id": str(n), "n": 0} for n in range(20)}, "empty": {}},
        "beta": {"items": {"x": {"id": "x", "n": 0}}},
        "quiet": {},
    }


def rows_by_vendor(path: Path, session: str) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return dict(
            conn.execute(
                "SELECT vendor, COUNT(*) FROM records WHERE session = ? GROUP BY vendor", (session,)
            ).fetchall()
        )


def test_a_session_writes_only_the_vendors_it_uses(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    calls: list[datetime] = []

    def seeder(now: datetime) -> StateTree:
        calls.append(now)
        return two_vendors(now)

    store = SqliteStore(path, seeder)
    assert store.transact("s", lambda tx: tx.get("beta", "items", "x")) == {"id": "x", "n": 0}
    assert rows_by_vendor(path, "s") == {"beta": 1}  # acme's 20 records are not written yet
    assert store.snapshot("s") == two_vendors(calls[0])  # every vendor, in the seeder's order
    assert list(store.snapshot("s")) == ["acme", "beta", "quiet"]
    assert rows_by_vendor(path, "s") == {"acme": 20, "beta": 1}
    assert len(calls) == 1  # one seeder call per session in a process
    store.close()


def test_racing_first_uses_seed_every_vendor_once(tmp_path: Path) -> None:
    """Six stores (workers) race from the session's first use, on two vendors, each incrementing a
    counter: a vendor seeded twice would reset a counter someone already moved."""
    stores = [SqliteStore(tmp_path / "shared.db", two_vendors) for _ in range(6)]
    start = threading.Barrier(len(stores))

    def worker(store: SqliteStore, index: int) -> None:
        vendor, collection, key = ("acme", "events", "3") if index % 2 else ("beta", "items", "x")

        def bump(tx: Transaction) -> None:
            record = tx.get(vendor, collection, key)
            assert record is not None
            tx.put(vendor, collection, key, {**record, "n": record["n"] + 1})

        start.wait()
        for _ in range(20):
            store.transact("race", bump)

    threads = [threading.Thread(target=worker, args=(store, n)) for n, store in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    state = stores[0].snapshot("race")
    assert state["acme"]["events"]["3"]["n"] == 60
    assert state["beta"]["items"]["x"]["n"] == 60
    assert len(state["acme"]["events"]) == 20
    for store in stores:
        store.close()


def test_a_vendor_first_used_by_another_worker_is_seeded_for_the_sessions_instant(tmp_path: Path) -> None:
    seen: dict[str, list[datetime]] = {"a": [], "b": []}

    def seeder_of(name: str) -> Seeder:
        def seeder(now: datetime) -> StateTree:
            seen[name].append(now)
            return {"acme": {"events": {"1": {"id": "1", "at": now.isoformat()}}}, "beta": {}}

        return seeder

    first = SqliteStore(tmp_path / "shared.db", seeder_of("a"))
    second = SqliteStore(tmp_path / "shared.db", seeder_of("b"))
    assert first.frozen_at("s") is None  # created by the first worker, no vendor seeded yet
    event = second.transact("s", lambda tx: tx.get("acme", "events", "1"))
    assert seen["b"] == seen["a"]  # the second worker seeded acme for the session's instant
    assert event == {"id": "1", "at": seen["a"][0].isoformat()}
    assert first.snapshot("s")["acme"]["events"]["1"] == event
    first.close()
    second.close()


def test_scans_see_what_another_worker_committed(tmp_path: Path) -> None:
    """Each store keeps the collections it scanned; a commit elsewhere must still be seen."""
    mine, theirs = (SqliteStore(tmp_path / "shared.db", two_vendors) for _ in range(2))

    def ids(store: SqliteStore) -> list[str]:
        return store.transact(
            "s", lambda tx: [r["id"] for r in tx.find("acme", "events", lambda r: r["n"] == 0)]
        )

    assert ids(mine) == [str(n) for n in range(20)]
    theirs.transact("s", lambda tx: tx.put("acme", "events", "4", {"id": "4", "n": 1}))
    theirs.transact("s", lambda tx: tx.delete("acme", "events", "5"))
    theirs.transact("s", lambda tx: tx.put("acme", "events", "new", {"id": "new", "n": 0}))
    assert ids(mine) == [str(n) for n in range(20) if n not in (4, 5)] + ["new"]
    mine.transact("s", lambda tx: tx.put("acme", "events", "4", {"id": "4", "n": 0}))  # its own commit
    assert ids(mine) == [str(n) for n in range(20) if n != 5] + ["new"]  # a replaced record keeps its place
    assert ids(theirs) == ids(mine)
    theirs.transact("s", lambda tx: tx.delete("acme", "events", "6"))
    theirs.transact("s", lambda tx: tx.put("acme", "events", "6", {"id": "6", "n": 0}))  # back, but last
    assert ids(mine) == [str(n) for n in range(20) if n not in (5, 6)] + ["new", "6"]
    assert ids(theirs) == ids(mine)
    theirs.reset("s")  # a new session of the same name: seeded afresh, and every worker sees it
    assert ids(mine) == [str(n) for n in range(20)]
    found = mine.transact("s", lambda tx: tx.find("acme", "events", lambda r: r["id"] == "1"))
    found[0]["n"] = 99  # a copy: what the store keeps is not changed
    assert mine.transact("s", lambda tx: tx.get("acme", "events", "1")) == {"id": "1", "n": 0}
    mine.close()
    theirs.close()


@pytest.mark.skipif(sys.platform == "win32", reason="no flock: SQLite's busy timeout waits instead")
def test_a_writer_waits_for_the_write_lock_and_goes_as_soon_as_it_is_free(tmp_path: Path) -> None:
    holder, waiter = (SqliteStore(tmp_path / "shared.db", two_vendors) for _ in range(2))
    waiter.frozen_at("s")
    holder._db.connection().lock()  # another worker in the middle of a write
    done: list[float] = []

    def write() -> None:
        waiter.transact("s", lambda tx: tx.put("beta", "items", "x", {"id": "x", "n": 5}))
        done.append(time.monotonic())

    thread = threading.Thread(target=write)
    thread.start()
    time.sleep(0.3)
    assert done == []  # staged, waiting for the lock
    released = time.monotonic()
    holder._db.connection().unlock()
    thread.join(10)
    assert done and done[0] - released < 0.5  # woken by the unlock, not by polling
    assert holder.snapshot("s")["beta"]["items"]["x"]["n"] == 5
    holder.close()
    waiter.close()


def test_the_journal_lists_every_workers_entries_without_touching_the_store(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    SqliteStore(path).close()
    directory = journal_directory(path)
    journals = [FileJournal(directory) for _ in range(4)]  # four workers
    start = threading.Barrier(len(journals))

    def add(index: int) -> None:
        start.wait()
        for n in range(100):
            journals[index].add(Entry("2030-01-01T00:00:00Z", "s", "acme", "GET", f"/{index}/{n}", 200, 0.1))

    threads = [threading.Thread(target=add, args=(index,)) for index in range(len(journals))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    reader = FileJournal(directory)
    paths = [entry.path for entry in reader.entries("s")]
    assert len(paths) == 400
    for index in range(len(journals)):  # each worker's entries, in the order it answered them
        assert [p for p in paths if p.startswith(f"/{index}/")] == [f"/{index}/{n}" for n in range(100)]
    with sqlite3.connect(path) as conn:  # the store's file: journal writes never touch it
        assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'journal'").fetchone() is None
    conn.close()
    for journal in [*journals, reader]:
        journal.close()


def entry(session: str, n: int) -> Entry:
    return Entry("2030-01-01T00:00:00Z", session, "acme", "POST", f"/acme/{n}", 200, 1.5)


def test_the_journal_stays_bounded_and_forgets_workers_that_are_gone(tmp_path: Path) -> None:
    directory = tmp_path / "journal"
    gone = FileJournal(directory, limit=5)
    for n in range(12):  # a new file every 5 entries; the one before the previous is deleted
        gone.add(entry("s", n))
    assert len(list(directory.glob("*.log"))) == 2
    gone.close()  # the worker is gone; its files stay while they hold any of the newest 5
    alive = FileJournal(directory, limit=5)
    assert [e.path for e in alive.entries("s")] == [f"/acme/{n}" for n in range(7, 12)]
    for n in range(12, 17):
        alive.add(entry("s", n))
    assert [e.path for e in alive.entries("s")] == [f"/acme/{n}" for n in range(12, 17)]
    assert all(path.name.startswith(alive._writer) for path in directory.glob("*.*.log"))
    alive.close()


def test_clearing_the_journal_forgets_only_that_sessions_earlier_entries(tmp_path: Path) -> None:
    directory = tmp_path / "journal"
    first, second = FileJournal(directory, limit=4), FileJournal(directory, limit=4)
    first.add(entry("s", 1))
    second.add(entry("t", 2))
    second.add(entry('odd "session" \\ name', 3))
    second.clear("s")  # from another worker
    first.add(entry("s", 4))
    assert [e.path for e in first.entries("s")] == ["/acme/4"]
    assert [e.path for e in first.entries("t")] == ["/acme/2"]
    assert [e.path for e in first.entries('odd "session" \\ name')] == ["/acme/3"]
    for n in range(5, 8):  # cleared entries do not count towards the newest `limit`
        second.add(entry("t", n))
    assert [e.path for e in first.entries("t")] == ["/acme/5", "/acme/6", "/acme/7"]
    first.close()
    second.close()


def test_the_wal_is_checkpointed_in_the_background(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite_store, "CHECKPOINT_BYTES", 1)
    monkeypatch.setattr(sqlite_store, "CHECKPOINT_EVERY", 0.01)
    path = tmp_path / "state.db"
    store = SqliteStore(
        path, lambda _now: {"acme": {"big": {str(n): {"text": "x" * 500} for n in range(200)}}}
    )
    store.snapshot("s")  # ~100 KiB of records, committed to the WAL
    with sqlite3.connect(path) as conn:
        size = (
            conn.execute("PRAGMA page_count").fetchone()[0] * conn.execute("PRAGMA page_size").fetchone()[0]
        )
    deadline = time.monotonic() + 10
    while os.path.getsize(path) < size:  # the pages reach the file itself without any request
        assert time.monotonic() < deadline, "no checkpoint"
        time.sleep(0.01)
    store.close()


OLD_SCHEMA = """
CREATE TABLE sessions (name TEXT PRIMARY KEY, frozen TEXT) WITHOUT ROWID;
CREATE TABLE layout (
    id INTEGER PRIMARY KEY, session TEXT NOT NULL, vendor TEXT NOT NULL, collection TEXT NOT NULL,
    UNIQUE (session, vendor, collection));
CREATE TABLE records (
    id INTEGER PRIMARY KEY, session TEXT NOT NULL, vendor TEXT NOT NULL, collection TEXT NOT NULL,
    key TEXT NOT NULL, data TEXT NOT NULL, UNIQUE (session, vendor, collection, key));
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY, session TEXT NOT NULL, time TEXT NOT NULL, vendor TEXT NOT NULL,
    kind TEXT NOT NULL, payload TEXT NOT NULL);
CREATE INDEX outbox_session ON outbox (session, id);
CREATE TABLE journal (
    id INTEGER PRIMARY KEY, session TEXT NOT NULL, time TEXT NOT NULL, vendor TEXT NOT NULL,
    method TEXT NOT NULL, path TEXT NOT NULL, status INTEGER NOT NULL, duration_ms REAL NOT NULL);
CREATE INDEX journal_session ON journal (session, id);
INSERT INTO sessions VALUES ('kept', '2030-01-01T00:00:00+00:00');
INSERT INTO layout (session, vendor, collection) VALUES ('kept', 'acme', ''), ('kept', 'acme', 'events');
INSERT INTO records (session, vendor, collection, key, data)
    VALUES ('kept', 'acme', 'events', '1', '{"id":"1","n":7}');
"""


def test_a_file_written_before_lazy_seeding_opens_with_its_sessions(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(OLD_SCHEMA)
    conn.close()
    store = SqliteStore(path, two_vendors)
    assert store.sessions() == ["kept"]
    assert store.snapshot("kept") == {"acme": {"events": {"1": {"id": "1", "n": 7}}}}  # not seeded again
    assert store.frozen_at("kept") == datetime.fromisoformat("2030-01-01T00:00:00+00:00")
    store.transact("kept", lambda tx: tx.put("acme", "events", "1", {"id": "1", "n": 8}))
    assert store.transact("kept", lambda tx: tx.all("acme", "events")) == [{"id": "1", "n": 8}]
    assert store.snapshot("new") == two_vendors(datetime.now())  # new sessions are seeded lazily
    store.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (sqlite_store.SCHEMA_VERSION,)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()


def test_a_stale_snapshot_commits_without_running_again_when_nothing_it_read_changed(tmp_path: Path) -> None:
    """Another worker commits while a transaction runs: its writes go onto the newer state if
    nothing it read changed there (judged record by record, and by the predicates of `find`);
    otherwise it runs again and sees the change. Either way, as if it had run after the other."""
    mine, theirs = (SqliteStore(tmp_path / "shared.db", two_vendors) for _ in range(2))
    mine.snapshot("s")  # every vendor seeded: only the race makes a transaction run again

    def race(read: Callable[[Transaction], object], other_key: str) -> tuple[int, object]:
        runs: list[object] = []

        def fn(tx: Transaction) -> None:
            runs.append(read(tx))
            if len(runs) == 1:  # the other worker commits in the middle of our first run
                theirs.transact("s", lambda t: t.put("acme", "events", other_key, {"id": other_key, "n": 9}))
            tx.put("beta", "items", "x", {"id": "x", "n": len(runs)})

        mine.transact("s", fn)
        state = mine.snapshot("s")
        assert state["acme"]["events"][other_key]["n"] == 9  # both changes are there
        assert state["beta"]["items"]["x"]["n"] == len(runs)
        # and what each process keeps of the collections is the newest state, in order
        for store in (mine, theirs):
            assert store.transact("s", lambda tx: tx.all("acme", "events")) == list(
                state["acme"]["events"].values()
            )
        return len(runs), runs[-1]

    by_key = lambda key: lambda tx: [r["id"] for r in tx.find("acme", "events", lambda r: r["id"] == key)]  # noqa: E731
    assert race(by_key("1"), "2") == (1, ["1"])  # another record: no second run
    assert race(by_key("3"), "3") == (2, ["3"])  # the one it looked for: run again
    assert race(lambda tx: tx.get("acme", "events", "4"), "5") == (1, {"id": "4", "n": 0})
    assert race(lambda tx: tx.get("acme", "events", "6"), "6") == (2, {"id": "6", "n": 9})
    assert race(lambda tx: tx.keys("acme", "events"), "new")[0] == 2  # read whole: any change counts
    assert race(lambda tx: (tx.all("acme", "events"), tx.get("acme", "events", "7"))[1], "8")[0] == 2
    mine.close()
    theirs.close()


def test_the_wal_starts_over_while_workers_keep_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two workers that never pause: without the checkpointer's RESTART the WAL would only grow."""
    monkeypatch.setattr(sqlite_store, "CHECKPOINT_BYTES", 32 * 1024)
    monkeypatch.setattr(sqlite_store, "RESTART_BYTES", 256 * 1024)
    monkeypatch.setattr(sqlite_store, "CHECKPOINT_EVERY", 0.01)
    path = tmp_path / "state.db"
    stores = [SqliteStore(path, two_vendors) for _ in range(2)]
    stores[0].snapshot("s")
    deadline = time.monotonic() + 2
    written = [0, 0]

    def write(index: int) -> None:
        n = 0
        while time.monotonic() < deadline:
            n += 1
            record = {"id": f"{index}-{n % 50}", "n": n, "pad": "x" * 300}
            stores[index].transact("s", lambda tx, r=record: tx.put("acme", "events", r["id"], r))
            written[index] += 1

    threads = [threading.Thread(target=write, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(written) > 500
    wal = os.path.getsize(f"{path}-wal")
    assert wal < 4 * 1024 * 1024, f"the WAL grew to {wal} bytes for {sum(written)} transactions"
    assert stores[1].snapshot("s")["acme"]["events"]["0-1"]["pad"] == "x" * 300
    for store in stores:
        store.close()
