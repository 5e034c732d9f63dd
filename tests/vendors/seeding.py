"""A `MemoryStore` seeded from one vendor's default fixtures, with one session's clock frozen."""

from __future__ import annotations

from datetime import datetime

from mockserver.core import fixtures
from mockserver.core.store import MemoryStore
from mockserver.vendors.plugin import Vendor


def seeded_store(vendor: Vendor, now: datetime, session: str) -> MemoryStore:
    document, source = fixtures.read(vendor.fixtures)
    loaded = fixtures.merge(
        fixtures.FixtureSet(),
        document,
        source,
        collections={vendor.name: list(vendor.collections)},
        key_of=lambda _vendor, collection, record: vendor.key_of(collection, record),
        check=lambda _vendor, _collection, _record: [],
        now=now,
    )
    store = MemoryStore(lambda _now: loaded.resolve(now))
    store.freeze(session, now)
    return store
