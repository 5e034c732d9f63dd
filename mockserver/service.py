"""The mock as one object: vendors, fixtures, store, journal. No HTTP here.

`MockService` knows which vendors are served, loads and validates fixture files against each
vendor's spec, seeds every new session from them, and runs vendor handlers inside one store
transaction. The HTTP layer (`mockserver.http`) and the pytest plugin build on it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from cancel_contracts import specs
from mockserver.core.clock import utcnow
from mockserver.core.exchange import Call, Reply
from mockserver.core.faults import NONE, Decision
from mockserver.core.fixtures import Checker, FixtureSet, merge, parse, per_second, read
from mockserver.core.journal import Journal, MemoryJournal
from mockserver.core.store import MemoryStore, Record, Records, StateTree, Store, Transaction
from mockserver.faults import FaultBook
from mockserver.vendors import load as load_vendors
from mockserver.vendors.plugin import Vendor, public

DEFAULT_SESSION = "default"


class _RecordChecker:
    """Validates fixture records against the schema each collection names in its vendor's spec.

    The validators are built on the first record checked: openapi-schema-validator takes ~0.1 s to
    import (it pulls in pydantic-settings), which `serve` need not pay before its first request
    when it trusts the shipped fixtures (`MockService(check_shipped_fixtures=False)`)."""

    def __init__(self, vendors: dict[str, Vendor]) -> None:
        self._vendors = vendors
        self._built: dict[tuple[str, str], Any] | None = None

    def _validators(self) -> dict[tuple[str, str], Any]:
        if self._built is None:
            from openapi_schema_validator import OAS30WriteValidator

            built: dict[tuple[str, str], Any] = {}
            for vendor in self._vendors.values():
                components = specs.load(vendor.spec).get("components", {})
                for name, collection in vendor.collections.items():
                    if collection.schema:
                        schema = {**collection.schema, "components": components}
                        built[(vendor.name, name)] = OAS30WriteValidator(schema)
            self._built = built
        return self._built

    def __call__(self, vendor: str, collection: str, record: Record) -> list[tuple[str, str]]:
        validator = self._validators().get((vendor, collection))
        if validator is None:
            return []
        visible = public(record)
        return [
            ("/".join(str(part) for part in error.absolute_path), error.message)
            for error in sorted(validator.iter_errors(visible), key=lambda e: list(map(str, e.path)))
        ]


def _unchecked(vendor: str, collection: str, record: Record) -> list[tuple[str, str]]:
    return []


def _read_json(path: Path) -> tuple[Any, str] | None:
    """A `.json` fixture file parsed by the C JSON parser (the YAML parser is ~50x slower on big
    files); anything that is not plain valid JSON goes through `read` and its error messages."""
    if path.suffix.lower() != ".json":
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8")), str(path)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None


def _read_yaml(path: Path) -> tuple[Any, str] | None:
    """A fixture file parsed by libyaml (`specs.parse_yaml`, ~10x faster, the same documents);
    anything unreadable or refused goes through `read`, so problems read as before."""
    try:
        return specs.parse_yaml(path.read_text(encoding="utf-8")), str(path)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


class MockService:
    def __init__(
        self,
        vendors: Iterable[str | Vendor] | None = None,
        fixture_files: Iterable[Path] = (),
        store: Store | None = None,
        journal: Journal | None = None,
        *,
        check_shipped_fixtures: bool = True,
    ) -> None:
        """`check_shipped_fixtures=False` merges the vendors' own `fixtures.yaml` without checking
        their records against the specs (`serve` does so to start faster: those files ship with the
        package and every default `MockService` in the tests checks them). `fixture_files` and
        fixtures added later are always checked."""
        self.vendors: dict[str, Vendor] = load_vendors(list(vendors) if vendors else None)
        self.journal: Journal = journal or MemoryJournal()
        self._check = _RecordChecker(self.vendors)
        self.fixtures = FixtureSet()
        for vendor in self.vendors.values():
            self._merge_file(vendor.fixtures, check=self._check if check_shipped_fixtures else _unchecked)
        for path in fixture_files:
            self._merge_file(Path(path))
        self.store: Store = store or MemoryStore()
        self.store.seed(per_second(self.fixtures))  # the set is complete from here on
        self.faults = FaultBook(self.store, self.vendors)

    # fixtures -----------------------------------------------------------------------------------
    def _collections(self) -> dict[str, list[str]]:
        return {name: list(vendor.collections) for name, vendor in self.vendors.items()}

    def _key_of(self, vendor: str, collection: str, record: Record) -> str:
        return self.vendors[vendor].key_of(collection, record)

    def _merge_file(self, path: Path, check: Checker | None = None) -> None:
        document, source = _read_json(path) or _read_yaml(path) or read(path)
        self._merge(self.fixtures, document, source, utcnow(), check)

    def _merge(
        self, into: FixtureSet, document: Any, source: str, now: datetime, check: Checker | None = None
    ) -> FixtureSet:
        return merge(
            into,
            document,
            source,
            collections=self._collections(),
            key_of=self._key_of,
            check=check or self._check,
            now=now,
        )

    def add_fixtures(self, session: str, text: str, source: str = "request body") -> dict[str, int]:
        """Validate fixture records and add them to one session; returns counts per vendor."""
        now = self.now(session)
        staged = self._merge(FixtureSet(), parse(text, source), source, now)
        tree = staged.resolve(now)
        self.store.add_records(session, tree)
        return {
            vendor: sum(len(records) for records in collections.values())
            for vendor, collections in tree.items()
        }

    # state ----------------------------------------------------------------------------------------
    def now(self, session: str) -> datetime:
        return self.store.frozen_at(session) or utcnow()

    def state(self, session: str, vendor: str | None = None) -> StateTree:
        """Vendor records only; the mock's own bookkeeping (`__mock`: fault rules) is left out."""
        tree = self.store.snapshot(session, vendor)
        return {name: collections for name, collections in tree.items() if not name.startswith("__")}

    def run(self, vendor: str, session: str, fn: Callable[[Records], Reply]) -> Reply:
        """Run `fn` atomically against one vendor's records in one session."""

        def body(tx: Transaction) -> Reply:
            return fn(Records(tx, vendor))

        return self.store.transact(session, body)

    def authenticate(self, call: Call) -> Any:
        vendor = self.vendors[call.vendor]

        def body(records: Records) -> Any:
            return vendor.authenticate(call, records)

        result: Any = self.store.transact(call.session, lambda tx: body(Records(tx, call.vendor)))
        return result

    def handle(self, call: Call) -> Reply:
        handler = self.vendors[call.vendor].operations[call.operation_id]
        return self.run(call.vendor, call.session, lambda records: handler(call, records))

    def serve(self, call: Call) -> Reply:
        """`authenticate` then `handle` in one transaction, for a call whose body is already read and
        valid (the fast lane) and whose faults were decided and obeyed: the same outcome as the two
        steps, on one consistent snapshot."""
        return self.store.transact(call.session, lambda tx: self._authenticated(tx, _at(call, tx.frozen)))

    def _authenticated(self, tx: Transaction, call: Call) -> Reply:
        """Inside `tx`, for a call already at the transaction's clock (`_at`): the vendor's
        `authenticate`, then its handler for the authenticated call."""
        records = Records(tx, call.vendor)
        vendor = self.vendors[call.vendor]
        return vendor.operations[call.operation_id](
            call.with_principal(vendor.authenticate(call, records)), records
        )

    def serve_unscreened(self, call: Call) -> Reply | Decision:
        """`faults.decide`, then `serve`, in one transaction when no fault concerns the call — the
        common case. When the `X-Mock-Fault` header or a rule of the session does, that transaction
        only counts the call against the rules and the `Decision` comes back: the caller obeys it
        (waits, refuses) and calls `serve`, exactly as if it had decided first (so a rule's counter
        never rolls back with a failing handler). Raises `FaultSpecError` for a header it cannot
        read."""
        forced = self.faults.forced(call)

        def body(tx: Transaction) -> Reply | Decision:
            timed = _at(call, tx.frozen)
            from_rules = self.faults.evaluate(tx, timed)
            if forced is not None or from_rules is not None:
                return self.faults.merge(forced, from_rules or NONE)
            return self._authenticated(tx, timed)

        return self.store.transact(call.session, body)


def _at(call: Call, frozen: datetime | None) -> Call:
    """`call` at the session's clock as its transaction reads it: at `frozen` if the clock is
    frozen there (a freeze the call was built before), else as it is (its wall clock)."""
    return call if frozen is None or call.now == frozen else call.at(frozen, call.principal)
