"""`find_by`: `find` for the records whose field is one of some texts, answered from an index.

Run against both stores (`make_store`). `MemoryStore` indexes a field per session on its first
`find_by` and keeps the index up to date through commits, deletions and added records;
`SqliteStore` keeps one with each parsed collection, derived for each newer version. The oracle
is always `find` with the same predicate.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from mockserver.core.sqlite_store import SqliteStore
from mockserver.core.store import (
    Lookup,
    Matches,
    MemoryStore,
    ReadOnlyRecordError,
    Record,
    Records,
    StateTree,
    Store,
    Transaction,
)
from tests.store.conftest import StoreFactory

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
VALUES = ["a", "b", "c", "", "A"]
ODD = [1, None, ["a"], {"k": "a"}, True, 1.5]  # never a text: never found by a text


def tree(_now: datetime) -> StateTree:
    return {
        "acme": {
            "events": {
                "1": {"id": "1", "uid": "a"},
                "2": {"id": "2", "uid": "b"},
                "3": {"id": "3", "uid": ["a"]},
                "4": {"id": "4"},
                "5": {"id": "5", "uid": "a"},
            },
            "empty": {},
        },
    }


def opened(make_store: StoreFactory) -> Store:
    return make_store(tree)


def both(tx: Transaction, collection: str, *values: str) -> list[Any]:
    """`find_by`'s answer, checked against `find`'s."""
    records = Records(tx, "acme")
    found = records.find_by(collection, "uid", *values)
    assert found == records.find(collection, Matches("uid", frozenset(values)))
    return [record["id"] for record in found]


def test_find_by_hands_out_the_matches_in_insertion_order(make_store: StoreFactory) -> None:
    store = opened(make_store)
    assert store.transact("s", lambda tx: both(tx, "events", "a")) == ["1", "5"]
    assert store.transact("s", lambda tx: both(tx, "events", "b", "a")) == ["1", "2", "5"]
    assert store.transact("s", lambda tx: both(tx, "events", "zzz")) == []
    assert store.transact("s", lambda tx: both(tx, "empty", "a")) == []
    assert store.transact("s", lambda tx: both(tx, "nothing", "a")) == []
    assert store.transact("s", lambda tx: Records(tx, "acme").find_by("events", "uid")) == []


def test_find_by_sees_the_staged_view(make_store: StoreFactory) -> None:
    store = opened(make_store)

    def look(tx: Transaction) -> list[list[str]]:
        records = Records(tx, "acme")
        seen = [both(tx, "events", "a")]
        records.put("events", 2, {"id": "2", "uid": "a"})  # now matches: keeps its place
        records.put("events", 1, {"id": "1", "uid": "c"})  # no longer matches
        records.delete("events", 5)
        records.put("events", 9, {"id": "9", "uid": "a"})  # new: last
        records.put("events", 3, {"id": "3", "uid": "a"})
        seen.append(both(tx, "events", "a"))
        seen.append(both(tx, "events", "c", "b"))
        return seen

    assert store.transact("s", look) == [["1", "5"], ["2", "3", "9"], ["1"]]
    # committed, as staged; and the next transaction finds the same
    assert store.transact("s", lambda tx: both(tx, "events", "a")) == ["2", "3", "9"]
    assert store.transact("other", lambda tx: both(tx, "events", "a")) == ["1", "5"]


def test_find_by_follows_commits_deletions_and_keys_written_again(make_store: StoreFactory) -> None:
    store = opened(make_store)
    assert store.transact("s", lambda tx: both(tx, "events", "a")) == ["1", "5"]
    store.transact("s", lambda tx: tx.delete("acme", "events", "1"))
    assert store.transact("s", lambda tx: both(tx, "events", "a")) == ["5"]
    store.transact("s", lambda tx: tx.put("acme", "events", "1", {"id": "1", "uid": "a"}))
    assert store.transact("s", lambda tx: both(tx, "events", "a")) == ["5", "1"]  # written again: last
    store.transact("s", lambda tx: tx.put("acme", "events", "5", {"id": "5", "uid": "b"}))
    assert store.transact("s", lambda tx: both(tx, "events", "a", "b")) == ["2", "5", "1"]
    store.transact("s", lambda tx: tx.put("acme", "empty", "x", {"id": "x", "uid": "b"}))
    assert store.transact("s", lambda tx: both(tx, "empty", "b")) == ["x"]
    store.add_records("s", {"acme": {"events": {"6": {"id": "6", "uid": "a"}, "2": {"id": "2", "uid": "a"}}}})
    assert store.transact("s", lambda tx: both(tx, "events", "a")) == ["2", "1", "6"]
    store.reset("s")
    assert store.transact("s", lambda tx: both(tx, "events", "a")) == ["1", "5"]


def test_find_by_compares_texts_only(make_store: StoreFactory) -> None:
    store = opened(make_store)
    for n, odd in enumerate(ODD):  # JSON texts that look like the value are not it either
        store.transact(
            "s", lambda tx, n=n, odd=odd: tx.put("acme", "events", f"odd{n}", {"id": f"odd{n}", "uid": odd})
        )
    store.transact("s", lambda tx: tx.put("acme", "events", "json", {"id": "json", "uid": {"a": 1}}))
    assert store.transact("s", lambda tx: both(tx, "events", "a", '{"a":1}', '["a"]', "1", "true", "")) == [
        "1",
        "5",
    ]
    with pytest.raises(TypeError, match="find_by compares texts"):
        store.transact("s", lambda tx: Records(tx, "acme").find_by("events", "uid", 1))  # type: ignore[arg-type]


def test_find_by_hands_out_records_as_stored(make_store: StoreFactory) -> None:
    store = opened(make_store)

    def change(tx: Transaction) -> None:
        [found] = Records(tx, "acme").find_by("events", "uid", "b")
        with pytest.raises(ReadOnlyRecordError):  # as stored: frozen under STRICT_RECORDS
            found["uid"] = "changed"

    store.transact("s", change)
    assert store.snapshot("s")["acme"]["events"]["2"]["uid"] == "b"


@pytest.mark.parametrize("seed", range(6))
def test_find_by_agrees_with_find_through_random_changes(make_store: StoreFactory, seed: int) -> None:
    store = opened(make_store)
    rng = random.Random(seed)
    keys = [str(n) for n in range(12)]
    for _step in range(40):
        writes = []
        for _ in range(rng.randint(0, 3)):
            key = rng.choice(keys)
            if rng.random() < 0.25:
                writes.append((key, None))
            else:
                value = rng.choice(VALUES + ODD) if rng.random() < 0.9 else "missing"
                writes.append((key, {"id": key} if value == "missing" else {"id": key, "uid": value}))
        asked = rng.sample(VALUES, rng.randint(1, 3))

        def step(tx: Transaction, writes: list[Any] = writes, asked: list[str] = asked) -> None:
            records = Records(tx, "acme")
            if rng.random() < 0.5:
                both(tx, "events", *asked)  # before the writes: what is committed
            for key, record in writes:
                if record is None:
                    records.delete("events", key)
                else:
                    records.put("events", key, record)
            both(tx, "events", *asked)  # with the writes staged

        store.transact("s", step)
        assert store.transact("s", lambda tx, asked=asked: both(tx, "events", *asked)) is not None


def test_a_stale_find_by_runs_again_only_when_its_matches_changed(tmp_path: Path) -> None:
    """Another worker commits while a transaction that used `find_by` runs: its writes go onto the
    newer state when the records it found are unchanged there; otherwise it runs again."""
    mine, theirs = (SqliteStore(tmp_path / "shared.db", tree) for _ in range(2))
    mine.snapshot("s")

    def race(other: tuple[str, dict[str, Any]]) -> tuple[int, list[str]]:
        runs: list[list[str]] = []

        def fn(tx: Transaction) -> None:
            # `find_by` alone (no `find` as an oracle here: it would note what was read itself)
            runs.append([record["id"] for record in Records(tx, "acme").find_by("events", "uid", "b")])
            if len(runs) == 1:
                theirs.transact("s", lambda t: t.put("acme", "events", other[0], other[1]))
            tx.put("acme", "empty", "marker", {"id": "marker", "runs": len(runs)})

        mine.transact("s", fn)
        assert mine.snapshot("s")["acme"]["events"][other[0]] == other[1]
        return len(runs), runs[-1]

    assert race(("4", {"id": "4", "uid": "c"})) == (1, ["2"])  # a record it did not find
    assert race(("1", {"id": "1", "uid": "b"})) == (2, ["1", "2"])  # one that now matches
    assert race(("2", {"id": "2", "uid": "b", "n": 1})) == (2, ["1", "2"])  # one it found, changed
    mine.close()
    theirs.close()


@pytest.mark.parametrize("seed", range(8))
def test_a_derived_lookup_is_the_new_versions_and_leaves_the_old_as_it_was(seed: int) -> None:
    """`Lookup.derived` (what `SqliteStore` keeps for each new version of a parsed collection)
    answers as a lookup made afresh of the new version, and the one it came from still answers
    for the old version (transactions of other threads may hold it)."""
    rng = random.Random(seed)
    keys = [str(n) for n in range(10)]
    records: dict[str, Record] = {key: {"uid": rng.choice(VALUES + ODD)} for key in rng.sample(keys, 6)}
    lookup = Lookup(records)
    lookup.matching(records, "uid", frozenset({"a"}))  # the field is indexed before the changes
    for _round in range(10):
        before = {value: lookup.matching(records, "uid", frozenset({value})) for value in VALUES}
        changes: list[tuple[str, Record | None]] = [
            (rng.choice(keys), None if rng.random() < 0.3 else {"uid": rng.choice(VALUES + ODD)})
            for _ in range(rng.randint(1, 4))
        ]
        changed = dict(records)
        for key, record in changes:
            if record is None:
                changed.pop(key, None)
            else:
                changed[key] = record
        derived = lookup.derived(records, changes)
        fresh = Lookup(changed)
        for value in VALUES:
            asked = frozenset({value})
            assert derived.matching(changed, "uid", asked) == fresh.matching(changed, "uid", asked)
            assert lookup.matching(records, "uid", asked) == before[value]
        records, lookup = changed, derived


def test_workers_sharing_a_file_find_by_as_find_through_each_others_commits(tmp_path: Path) -> None:
    """Two stores on one file (two workers) take turns changing a collection and looking it up:
    each one's `find_by`, answered from what it keeps parsed (caught up with the other's commits,
    or moved on by its own), is always `find`'s answer."""
    stores = [SqliteStore(tmp_path / "shared.db", tree) for _ in range(2)]
    rng = random.Random(7)
    keys = [str(n) for n in range(8)]
    for _step in range(60):
        store = rng.choice(stores)
        asked = rng.sample(VALUES, 2)
        store.transact("s", lambda tx, asked=asked: both(tx, "events", *asked))
        key = rng.choice(keys)
        if rng.random() < 0.25:
            store.transact("s", lambda tx, key=key: tx.delete("acme", "events", key))
        else:
            record = {"id": key, "uid": rng.choice(VALUES + ODD)}
            store.transact("s", lambda tx, key=key, record=record: tx.put("acme", "events", key, record))
    for store in stores:
        for value in VALUES:
            store.transact("s", lambda tx, value=value: both(tx, "events", value))
        store.close()


def test_sessions_seeded_from_one_tree_derive_their_lookups_from_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """A `MemoryStore` session whose collection is still the seeder's tree's copies the tree's
    lookup (made once per tree) instead of passing over every record; one session's changes never
    show in another's answers, nor in the lookup the next sessions copy."""
    made: list[int] = []
    original = Lookup.__init__

    def counting(self: Lookup, records: Any) -> None:
        made.append(len(records))
        original(self, records)

    monkeypatch.setattr(Lookup, "__init__", counting)
    shared = tree(NOW)
    store = MemoryStore(lambda _now: shared)  # every session gets the same tree
    assert store.transact("one", lambda tx: both(tx, "events", "a")) == ["1", "5"]
    store.transact("one", lambda tx: tx.put("acme", "events", "1", {"id": "1", "uid": "b"}))
    store.transact("one", lambda tx: tx.put("acme", "events", "7", {"id": "7", "uid": "a"}))
    assert store.transact("one", lambda tx: both(tx, "events", "a", "b")) == ["1", "2", "5", "7"]
    assert store.transact("two", lambda tx: both(tx, "events", "a")) == ["1", "5"]
    store.transact("two", lambda tx: tx.delete("acme", "events", "5"))
    assert store.transact("two", lambda tx: both(tx, "events", "a")) == ["1"]
    assert store.transact("three", lambda tx: both(tx, "events", "a", "b")) == ["1", "2", "5"]
    assert made == [5]  # the tree's, once: every session copied it
    # a session that changed the collection before its first lookup makes its own
    store.transact("four", lambda tx: tx.put("acme", "events", "2", {"id": "2", "uid": "a"}))
    assert store.transact("four", lambda tx: both(tx, "events", "a")) == ["1", "2", "5"]
    assert made == [5, 5]
    # so does one whose records were added to it (the admin API) before its first lookup
    store.add_records("five", {"acme": {"events": {"8": {"id": "8", "uid": "a"}}}})
    assert store.transact("five", lambda tx: both(tx, "events", "a")) == ["1", "5", "8"]
    assert shared == tree(NOW)  # and the tree itself is as it was
