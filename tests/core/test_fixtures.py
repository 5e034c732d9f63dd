"""`FixtureSet.resolve`: the same tree as resolving every value one by one, computed cheaply."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from mockserver.core.fixtures import FixtureSet, _resolve, per_second
from mockserver.core.store import MemoryStore
from mockserver.service import MockService

NOW = datetime(2030, 1, 1, 12, 0, 30, tzinfo=UTC)


def _by_value(fixtures: FixtureSet, now: datetime) -> dict[str, Any]:
    return {
        vendor: {
            collection: {key: _resolve(record, now) for key, record in records.items()}
            for collection, records in collections.items()
        }
        for vendor, collections in fixtures.records.items()
    }


def _set(records: dict[str, Any]) -> FixtureSet:
    return FixtureSet(records={"acme": {"events": records}})


def test_resolve_equals_resolving_every_value() -> None:
    raw = {
        "1": {"id": "1", "start": "+2h", "end": " now + 3 h ", "name": "+2 hours", "n": 2, "ok": True},
        "2": {
            "id": "2",
            "when": {"start": "-1d", "tz": "UTC"},
            "list": ["now", "x", ["+1w", 3], {"a": "-5m"}],
        },
        "3": {"id": "3", "plain": "text", "nested": {"deep": [1, None, 2.5]}, "empty": {}, "none": []},
        "4": {"id": "4", "same": "+2h", "again": ["+2h", "+2h"], "tuple": ("+2h",)},
    }
    fixtures = _set(raw)
    for now in (NOW, NOW + timedelta(days=3, seconds=7)):
        assert fixtures.resolve(now) == _by_value(fixtures, now)
    assert fixtures.resolve(NOW)["acme"]["events"]["1"]["start"] == "2030-01-01T14:00:30Z"
    assert fixtures.resolve(NOW)["acme"]["events"]["4"]["tuple"] == ("+2h",)  # not JSON: left alone


def test_resolve_equals_resolving_every_value_for_the_default_fixtures() -> None:
    fixtures = MockService().fixtures
    for now in (NOW, NOW + timedelta(hours=5, seconds=1)):
        assert fixtures.resolve(now) == _by_value(fixtures, now)


def test_resolve_leaves_the_fixture_records_unchanged_and_builds_new_containers() -> None:
    raw = {"1": {"id": "1", "when": {"start": "+2h", "tz": "UTC"}, "tags": ["a"]}, "2": {"id": "2"}}
    fixtures = _set(raw)
    first, second = fixtures.resolve(NOW), fixtures.resolve(NOW)
    assert raw["1"] == {"id": "1", "when": {"start": "+2h", "tz": "UTC"}, "tags": ["a"]}
    assert first is not second and first["acme"] is not second["acme"]
    assert first["acme"]["events"] is not second["acme"]["events"]
    assert first["acme"]["events"]["1"]["when"] is not raw["1"]["when"]  # copied along the path


def test_resolve_follows_records_added_or_replaced_after_an_earlier_resolve() -> None:
    fixtures = _set({"1": {"id": "1", "start": "plain"}})
    assert fixtures.resolve(NOW)["acme"]["events"]["1"]["start"] == "plain"
    fixtures.records["acme"]["events"]["1"] = {"id": "1", "start": "+1h"}
    fixtures.records["acme"]["events"]["2"] = {"id": "2", "start": "now"}
    fixtures.records["zeta"] = {"agents": {"a": {"id": "a", "at": ["-1h"]}}}
    assert fixtures.resolve(NOW) == {
        "acme": {
            "events": {
                "1": {"id": "1", "start": "2030-01-01T13:00:30Z"},
                "2": {"id": "2", "start": "2030-01-01T12:00:30Z"},
            }
        },
        "zeta": {"agents": {"a": {"id": "a", "at": ["2030-01-01T11:00:30Z"]}}},
    }


def test_resolve_remembers_a_second_and_nothing_more() -> None:
    from zoneinfo import ZoneInfo

    fixtures = _set({"1": {"id": "1", "start": "+2h", "end": "-1d", "at": "now"}})
    berlin = datetime(2030, 3, 31, 1, 30, 0, 500_000, tzinfo=ZoneInfo("Europe/Berlin"))  # DST at 2:00
    instants = [
        NOW,
        NOW.replace(microsecond=999_999),  # the same second: the same texts
        NOW + timedelta(seconds=1),
        NOW,
        berlin,
        berlin.astimezone(UTC),  # the same instant, another zone: wall-clock arithmetic differs
        berlin.replace(microsecond=0),
        berlin,
    ]
    for now in instants:
        assert fixtures.resolve(now) == _by_value(fixtures, now), now
    first, again = fixtures.resolve(NOW), fixtures.resolve(NOW.replace(microsecond=5))
    assert first["acme"]["events"]["1"] is again["acme"]["events"]["1"]  # shared within a second


def test_per_second_shares_one_tree_per_second_of_now() -> None:
    fixtures = _set({"1": {"id": "1", "start": "+1h"}})
    seeder = per_second(fixtures)
    first = seeder(NOW)
    assert seeder(NOW.replace(microsecond=999_999)) is first  # the same second: the same tree
    later = seeder(NOW + timedelta(seconds=1))
    assert later is not first
    assert later == fixtures.resolve(NOW + timedelta(seconds=1))
    assert first == fixtures.resolve(NOW)


def test_a_seeded_tree_resolves_a_vendor_when_it_is_first_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new second resolves only the vendors in use: both stores take a vendor from the seeder's
    tree on a session's first use of it, and a snapshot still lists every vendor in order."""
    fixtures = FixtureSet(
        records={
            "acme": {"events": {"1": {"id": "1", "start": "+1h"}}},
            "zeta": {"agents": {"a": {"id": "a", "at": "-1h"}}},
        }
    )
    asked: list[str] = []
    resolve_vendor = fixtures.resolve_vendor

    def counted(vendor: str, now: datetime) -> dict[str, dict[str, Any]]:
        asked.append(vendor)
        return resolve_vendor(vendor, now)

    monkeypatch.setattr(fixtures, "resolve_vendor", counted)
    tree = per_second(fixtures)(NOW)
    assert list(tree) == ["acme", "zeta"] and len(tree) == 2 and "acme" in tree and asked == []
    assert tree["zeta"]["agents"]["a"]["at"] == "2030-01-01T11:00:30Z"
    assert tree["zeta"] is tree["zeta"] and asked == ["zeta"]  # resolved once, then kept
    assert "nope" not in tree and asked == ["zeta"]
    with pytest.raises(KeyError):
        tree["nope"]

    asked.clear()
    store = MemoryStore(per_second(fixtures))
    assert store.transact("s", lambda tx: tx.read("zeta", "agents", "a")) is not None
    assert asked == ["zeta"]  # the session's other vendor is not resolved
    assert list(store.snapshot("s")) == ["acme", "zeta"]  # ... until the whole state is asked for
    assert asked == ["zeta", "acme"]
    assert store.snapshot("s") == fixtures.resolve(store_now(store, "s"))


def store_now(store: MemoryStore, session: str) -> datetime:
    """The instant the session was seeded at, as its records show it (one hour after `at`)."""
    at = store.snapshot(session)["zeta"]["agents"]["a"]["at"]
    return datetime.fromisoformat(at.replace("Z", "+00:00")) + timedelta(hours=1)
