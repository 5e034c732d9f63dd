"""How `cancel-contracts serve` builds the app in each worker process.

Uvicorn starts several workers only from an import string, so the parent passes its options
through one environment variable (`CANCEL_CONTRACTS_SERVE`, JSON) and every worker calls
`app_from_environment()` (`factory=True`). With a state file the store and the request journal
live in that SQLite file and the journal in the directory FILE.requests next to it, shared by all
workers; without one the state is in process memory. One worker with `--state FILE` uses the same
SQLite store.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from connexion import AsyncApp
from connexion.spec import Specification

from mockserver.core.journal import Journal
from mockserver.core.store import MemoryStore, Store
from mockserver.http.app import create_app
from mockserver.http.collector import Collector
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
        from mockserver.core.file_journal import FileJournal, journal_directory  # only with a state file
        from mockserver.core.sqlite_store import SqliteStore

        store = SqliteStore(options.state)
        journal = FileJournal(journal_directory(options.state))
    else:
        store = MemoryStore()
    return MockService(
        options.vendors or None,
        [Path(path) for path in options.fixtures],
        store=store,
        journal=journal,
        check_shipped_fixtures=False,  # checked before they ship; `--fixtures` files are checked
    )


def check_options(options: ServeOptions) -> None:
    """Build the service once to check the options (fixtures), then close what it opened: the parent
    of several workers serves nothing, so it keeps no SQLite connection (nor checkpoint thread)."""
    service = build_service(options)
    for part in (service.store, service.journal):
        close = getattr(part, "close", None)
        if callable(close):
            close()


@contextmanager
def shipped_specs_trusted() -> Iterator[None]:
    """Connexion checks every spec against the OpenAPI 3.0 schema when it is added (`add_api` →
    `Specification.__init__` → `_validate_spec`; it has no option to skip it): ~0.2 s of CPU for the
    six shipped specs, the largest single part of `serve`'s start-up. `serve` only ever mounts the
    shipped specs, and those are checked before they ship: by that very check of Connexion's
    (`tests/specs/test_serve_trusts.py`, and every `create_app` in the tests) and by
    `cancel-contracts lint` (openapi-spec-validator: the same schema, defaults included, and more).
    So while the app is built here, Connexion's check is left out."""
    original = Specification.__dict__["_validate_spec"]

    def trusted(cls: Any, spec: Any) -> None:
        return None

    Specification._validate_spec = classmethod(trusted)
    try:
        yield
    finally:
        Specification._validate_spec = original


def build_app(options: ServeOptions) -> AsyncApp:
    service = build_service(options)
    with shipped_specs_trusted():
        return create_app(service=service, collector=Collector())


def app_from_environment() -> AsyncApp:
    """The uvicorn factory of each worker process."""
    text = os.environ.get(ENVIRONMENT_VARIABLE)
    if not text:
        raise RuntimeError(f"{ENVIRONMENT_VARIABLE} is not set: start workers with `cancel-contracts serve`")
    return build_app(ServeOptions.from_environment(text))
