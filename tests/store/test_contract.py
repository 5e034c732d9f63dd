"""The `Store` contract (see mockserver/core/store.py), run against MemoryStore and SqliteStore."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

import pytest

from mockserver.core.store import ReadOnlyRecordError, Records, StateTree, Transaction
from tests.store.conftest import StoreFactory

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)


def tree(_now: datetime) -> StateTree:
    return {
        "acme": {
            "events": {
                "1": {"id": "1", "state": "live", "tags": ["a"], "nested": {"n": 1}},
                "2": {"id": "2", "state": "live", "tags": [], "nested": {"n": 2}},
            },
            "empty": {},
        },
        "other": {},
    }


def counting(seeded: list[int]) -> Any:
    def seeder(now: datetime) -> StateTree:
        seeded.append(1)
        return tree(now)

    return seeder


def test_a_session_is_seeded_once_on_first_use(make_store: StoreFactory) -> None:
    seeded: list[int] = []
    store = make_store(counting(seeded))
    assert store.sessions() == []
    assert store.snapshot("s1") == tree(NOW)  # empty collections and vendors stay visible
    store.transact("s1", lambda tx: tx.get("acme", "events", "1"))
    store.outbox("s1")
    assert seeded == [1]
    assert store.frozen_at("s2") is None
    assert seeded == [1, 1]
    assert store.sessions() == ["s1", "s2"]


def test_sessions_are_isolated(make_store: StoreFactory) -> None:
    store = make_store(tree)
    store.transact("a", lambda tx: tx.put("acme", "events", "1", {"id": "1", "state": "cancelled"}))
    assert store.snapshot("a")["acme"]["events"]["1"]["state"] == "cancelled"
    assert store.snapshot("b")["acme"]["events"]["1"]["state"] == "live"
    assert store.snapshot("b", "acme") == {"acme": tree(NOW)["acme"]}
    assert store.snapshot("b", "nobody") == {"nobody": {}}


def test_a_transaction_commits_writes_and_outbox_together(make_store: StoreFactory) -> None:
    store = make_store(tree)

    def cancel(tx: Transaction) -> str:
        records = Records(tx, "acme")
        event = records.get("events", 1)
        assert event is not None
        event["state"] = "cancelled"
        records.put("events", 1, event)
        records.put("events", 3, {"id": "3", "state": "new"})
        records.delete("events", 2)
        assert records.get("events", 2) is None
        assert [r["id"] for r in records.all("events")] == ["1", "3"]  # staged view, insertion order
        records.emit("mail.cancellation", {"event": "1"})
        return "done"

    assert store.transact("s", cancel) == "done"
    events = store.snapshot("s")["acme"]["events"]
    assert list(events) == ["1", "3"]
    assert events["1"]["state"] == "cancelled"
    [message] = store.outbox("s")
    assert (message.vendor, message.kind, message.payload) == ("acme", "mail.cancellation", {"event": "1"})


def test_a_failing_transaction_leaves_no_trace(make_store: StoreFactory) -> None:
    store = make_store(tree)

    def broken(tx: Transaction) -> None:
        tx.put("acme", "events", "1", {"id": "1", "state": "cancelled"})
        tx.emit("acme", "mail", {})
        raise LookupError("vendor error")

    with pytest.raises(LookupError):
        store.transact("s", broken)
    assert store.snapshot("s") == tree(NOW)
    assert store.outbox("s") == []


def test_reads_are_copies(make_store: StoreFactory) -> None:
    store = make_store(tree)

    def mutate(tx: Transaction) -> None:
        event = tx.get("acme", "events", "1")
        assert event is not None
        event["tags"].append("changed")
        event["nested"]["n"] = 99
        again = tx.get("acme", "events", "1")
        assert again is not None and again["tags"] == ["a"]
        tx.put("acme", "events", "9", {"id": "9", "tags": []})
        staged = tx.get("acme", "events", "9")
        assert staged is not None
        staged["tags"].append("changed")
        assert tx.get("acme", "events", "9") == {"id": "9", "tags": []}

    store.transact("s", mutate)
    snapshot = store.snapshot("s")
    assert snapshot["acme"]["events"]["1"] == tree(NOW)["acme"]["events"]["1"]
    assert snapshot["acme"]["events"]["9"] == {"id": "9", "tags": []}
    snapshot["acme"]["events"]["1"]["state"] = "mutated outside"
    assert store.snapshot("s")["acme"]["events"]["1"]["state"] == "live"


@pytest.mark.parametrize("late", ["put", "emit"])
def test_changing_what_was_handed_over_fails_the_transaction(make_store: StoreFactory, late: str) -> None:
    """`put` and `emit` keep what they are given (the memory store does not copy it): changing it
    afterwards is a rule's bug, and with STRICT_RECORDS the transaction fails and leaves no trace."""
    store = make_store(tree)

    def change_late(tx: Transaction) -> None:
        record: dict[str, Any] = {"id": "9", "tags": []}
        if late == "put":
            tx.put("acme", "events", "9", record)
        else:
            tx.emit("acme", "mail", {"record": record})
        record["tags"].append("late")

    with pytest.raises(ReadOnlyRecordError, match="changed after it was handed to the store"):
        store.transact("s", change_late)
    assert "9" not in store.snapshot("s")["acme"]["events"]
    assert store.outbox("s") == []


def test_read_shows_the_record_as_this_transaction_sees_it(make_store: StoreFactory) -> None:
    store = make_store(tree)

    def look(tx: Transaction) -> list[Any]:
        before = tx.read("acme", "events", "1")
        tx.put("acme", "events", "1", {"id": "1", "state": "staged"})
        tx.delete("acme", "events", "2")
        return [
            before,
            tx.read("acme", "events", "1"),
            tx.read("acme", "events", "2"),
            tx.read("acme", "x", "1"),
        ]

    before, staged, deleted, unknown = store.transact("s", look)
    assert before == tree(NOW)["acme"]["events"]["1"]
    assert staged == {"id": "1", "state": "staged"}
    assert deleted is None and unknown is None
    assert store.transact("s", lambda tx: tx.read("acme", "events", "1")) == {"id": "1", "state": "staged"}


def test_strict_reads_refuse_every_change(make_store: StoreFactory) -> None:
    """The suite runs with STRICT_RECORDS (tests/conftest.py): what `Records.read` hands out refuses
    changes at every depth, and still reads, copies and JSON-encodes like the record."""
    import json

    store = make_store(tree)

    def look(tx: Transaction) -> None:
        record = Records(tx, "acme").read("events", "1")
        assert record is not None
        changes = [
            lambda: record.__setitem__("state", "x"),  # type: ignore[index]
            lambda: record.pop("state"),  # type: ignore[attr-defined]
            lambda: record.update(state="x"),  # type: ignore[attr-defined]
            lambda: record["tags"].append("x"),
            lambda: record["tags"].extend(["x"]),
            lambda: record["nested"].__setitem__("n", 2),
            lambda: {**record}["nested"].setdefault("m", 1),
        ]
        for change in changes:
            with pytest.raises(ReadOnlyRecordError):
                change()
        assert json.loads(json.dumps(record)) == tree(NOW)["acme"]["events"]["1"]
        copied = {**record, "state": "copy"}
        assert copied["state"] == "copy" and record["state"] == "live"

    store.transact("s", look)
    assert store.snapshot("s")["acme"]["events"]["1"] == tree(NOW)["acme"]["events"]["1"]


def test_a_replaced_record_keeps_its_place(make_store: StoreFactory) -> None:
    store = make_store(tree)
    store.transact("s", lambda tx: tx.put("acme", "events", "1", {"id": "1", "state": "x"}))
    assert [r["id"] for r in store.transact("s", lambda tx: tx.all("acme", "events"))] == ["1", "2"]


def test_clock_freezes_per_session(make_store: StoreFactory) -> None:
    store = make_store(tree)
    store.freeze("s", NOW)
    assert store.frozen_at("s") == NOW
    assert store.transact("s", lambda tx: tx.now) == NOW
    assert store.transact("s", lambda tx: tx.frozen) == NOW
    assert store.frozen_at("t") is None
    assert store.transact("t", lambda tx: tx.frozen) is None
    store.transact("s", lambda tx: tx.emit("acme", "mail", {}))
    assert store.outbox("s")[0].time == "2030-01-01T12:00:00Z"
    store.freeze("s", None)
    assert store.frozen_at("s") is None
    assert store.transact("s", lambda tx: tx.now) != NOW
    assert store.transact("s", lambda tx: tx.frozen) is None


def test_outbox_clears_per_session(make_store: StoreFactory) -> None:
    store = make_store(tree)
    for session in ("s", "t"):
        store.transact(session, lambda tx: tx.emit("acme", "mail", {"n": 1}))
    store.clear_outbox("s")
    assert store.outbox("s") == []
    assert len(store.outbox("t")) == 1


def test_reset_forgets_one_session_or_all(make_store: StoreFactory) -> None:
    seeded: list[int] = []
    store = make_store(counting(seeded))
    for session in ("s", "t"):
        store.transact(session, lambda tx: tx.delete("acme", "events", "1"))
        store.transact(session, lambda tx: tx.emit("acme", "mail", {}))
        store.freeze(session, NOW)
    store.reset("s")
    assert store.sessions() == ["t"]
    assert store.snapshot("s") == tree(NOW)
    assert store.outbox("s") == [] and store.frozen_at("s") is None
    assert "1" not in store.snapshot("t")["acme"]["events"]
    store.reset()
    assert store.sessions() == []
    assert store.snapshot("t") == tree(NOW)
    assert len(seeded) == 4


def test_add_records_adds_and_replaces(make_store: StoreFactory) -> None:
    store = make_store(tree)
    store.add_records(
        "s", {"acme": {"events": {"2": {"id": "2", "state": "x"}, "7": {"id": "7"}}, "new": {}}}
    )
    state = store.snapshot("s")["acme"]
    assert list(state["events"]) == ["1", "2", "7"]
    assert state["events"]["2"] == {"id": "2", "state": "x"}
    assert state["new"] == {}


def test_seed_replaces_the_seeder_for_new_sessions(make_store: StoreFactory) -> None:
    store = make_store(tree)
    store.seed(lambda _now: {"acme": {"events": {}}})
    assert store.snapshot("fresh") == {"acme": {"events": {}}}


def test_concurrent_transactions_are_serializable(make_store: StoreFactory) -> None:
    store = make_store(tree)
    successes: list[int] = []

    def cancel(tx: Transaction) -> bool:
        event = tx.get("acme", "events", "1")
        assert event is not None
        if event["state"] == "cancelled":
            return False
        tx.put("acme", "events", "1", {**event, "state": "cancelled"})
        tx.emit("acme", "mail.cancellation", {})
        return True

    def worker() -> None:
        for _ in range(20):
            if store.transact("s", cancel):
                successes.append(1)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert successes == [1]
    assert len(store.outbox("s")) == 1


def test_find_hands_out_the_matches_of_the_staged_view(make_store: StoreFactory) -> None:
    store = make_store(tree)
    store.transact("s", lambda tx: tx.put("acme", "events", "3", {"id": "3", "state": "live", "tags": []}))

    def look(tx: Transaction) -> None:
        records = Records(tx, "acme")
        assert [r["id"] for r in records.find("events", lambda r: r["state"] == "live")] == ["1", "2", "3"]
        records.put("events", 1, {"id": "1", "state": "cancelled", "tags": []})
        records.delete("events", 2)
        records.put("events", 4, {"id": "4", "state": "live", "tags": []})
        records.put("events", 5, {"id": "5", "state": "cancelled", "tags": []})
        assert [r["id"] for r in records.find("events", lambda r: r["state"] == "live")] == ["3", "4"]
        assert [r["id"] for r in records.find("events", lambda r: r["state"] == "cancelled")] == ["1", "5"]
        assert records.find("events", lambda r: False) == []
        assert records.find("nothing", lambda r: True) == []
        assert records.find("events", lambda r: True) == records.all("events")
        [found] = records.find("events", lambda r: r["id"] == "3")
        with pytest.raises(ReadOnlyRecordError):  # as stored: frozen under STRICT_RECORDS
            found["tags"].append("changed")
        assert records.get("events", 3) == {"id": "3", "state": "live", "tags": []}

    store.transact("s", look)
    assert store.snapshot("s")["acme"]["events"]["3"]["tags"] == []


def test_find_sees_what_another_transaction_committed(make_store: StoreFactory) -> None:
    store = make_store(tree)
    live = lambda tx: [r["id"] for r in tx.find("acme", "events", lambda r: r["state"] == "live")]  # noqa: E731
    assert store.transact("s", live) == ["1", "2"]
    store.transact("s", lambda tx: tx.put("acme", "events", "1", {"id": "1", "state": "cancelled"}))
    assert store.transact("s", live) == ["2"]
    assert store.transact("other", live) == ["1", "2"]


def test_keys_list_the_staged_view_in_insertion_order(make_store: StoreFactory) -> None:
    store = make_store(tree)

    def look(tx: Transaction) -> list[list[str]]:
        records = Records(tx, "acme")
        seen = [records.keys("events")]
        records.put("events", 7, {"id": "7"})
        records.put("events", 1, {"id": "1", "state": "x"})
        records.delete("events", 2)
        seen.append(records.keys("events"))
        seen.append(records.keys("empty"))
        seen.append(records.keys("nothing"))
        return seen

    assert store.transact("s", look) == [["1", "2"], ["1", "7"], [], []]
    assert store.transact("s", lambda tx: tx.keys("acme", "events")) == ["1", "7"]


def test_what_a_seeder_returns_is_never_changed(make_store: StoreFactory) -> None:
    shared = tree(NOW)  # one tree for every session: a seeder may share its records
    pristine = tree(NOW)
    store = make_store(lambda _now: shared)

    def change(tx: Transaction) -> None:
        event = tx.get("acme", "events", "1")
        assert event is not None
        event["tags"].append("changed")
        event["nested"]["n"] = 99
        for record in tx.all("acme", "events"):
            record["state"] = "mutated"
        tx.put("acme", "events", "1", {**event, "state": "cancelled"})
        tx.delete("acme", "events", "2")
        tx.put("acme", "events", "3", {"id": "3"})
        tx.put("acme", "fresh", "1", {"id": "1"})

    store.transact("a", change)
    store.add_records("a", {"acme": {"events": {"4": {"id": "4"}}}})
    store.snapshot("a")["acme"]["events"]["1"]["tags"].append("outside")
    assert shared == pristine
    assert store.snapshot("b") == pristine
