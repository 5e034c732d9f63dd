"""How `cancel-contracts serve` builds the app in each worker process.

Uvicorn starts several workers only from an import string, so the parent passes its options
through one environment variable (`CANCEL_CONTRACTS_SERVE`, JSON) and every worker calls
`app_from_environment()` (`factory=True`). With a state file the store and the request journal
live in that SQLite file, shared by all workers; without one the state is in process memory.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from connexion import AsyncApp

from mockserver.core.journal import Journal
from mockserver.core.sqlite_store import SqliteJournal, SqliteStore
from mockserver.core.store import MemoryStore, Store
from mockserver.http.app import create_app
from mockserver.service import MockService

ENVIRONMENT_VARIABLE = "CANCEL_CONTRACTS_SERVE"
FACTORY = "mockserver.http.serving:app_from_environment"


@dataclass(frozen=True)
class ServeOptions:
    vendors: tuple[str, ...] = ()
    fixtures: tuple[str, ...] = ()
    state: str | None = None  # SQLite file shared by workers and kept across restarts

    def to_environment(self) -> str:
        return json.dumps({"vendors": self.vendors, "fixtures": self.fixtures, "state": self.state})

    @classmethod
    def from_environment(cls, text: str) -> ServeOptions:
        data = json.loads(text)
        return cls(
            vendors=tuple(data.get("vendors") or ()),
            fixtures=tuple(data.get("fixtures") or ()),
            state=data.get("state"),
        )


def build_service(options: ServeOptions) -> MockService:
    store: Store
    journal: Journal | None = None
    if options.state:
        store = SqliteStore(options.state)
        journal = SqliteJournal(options.state)
    else:
        store = MemoryStore()
    return MockService(
        options.vendors or None, [Path(path) for path in options.fixtures], store=store, journal=journal
    )


def build_app(options: ServeOptions) -> AsyncApp:
    return create_app(service=build_service(options))


def app_from_environment() -> AsyncApp:
    """The uvicorn factory of each worker process."""
    text = os.environ.get(ENVIRONMENT_VARIABLE)
    if not text:
        raise RuntimeError(f"{ENVIRONMENT_VARIABLE} is not set: start workers with `cancel-contracts serve`")
    return build_app(ServeOptions.from_environment(text))
