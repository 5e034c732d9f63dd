"""Both stores behind one fixture, so every contract test runs against each."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mockserver.core.sqlite_store import SqliteStore
from mockserver.core.store import MemoryStore, Seeder, Store

StoreFactory = Callable[[Seeder], Store]


@pytest.fixture(params=["memory", "sqlite"])
def make_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreFactory]:
    opened: list[SqliteStore] = []

    def factory(seeder: Seeder) -> Store:
        if request.param == "memory":
            return MemoryStore(seeder)
        store = SqliteStore(tmp_path / f"state-{len(opened)}.db", seeder)
        opened.append(store)
        return store

    yield factory
    for store in opened:
        store.close()
