"""All mock state, per session, behind one interface with atomic transactions.

A session is an isolated copy of every vendor's records, seeded from the fixtures on first use.
`Store.transact(session, fn)` runs `fn` against a transaction view; staged writes and outbox
entries become visible together when `fn` returns, and vanish if it raises. Vendor rules only
see `Records` (one vendor's slice of a transaction), so another store — SQLite shared by worker
processes (`mockserver.core.sqlite_store.SqliteStore`), or a networked one — can replace
`MemoryStore` without touching any rule.

The contract every store keeps (tests/store/test_contract.py runs it against each):

- a session is seeded from the fixtures exactly once, on its first use by any method (a store may
  seed it vendor by vendor, and call the seeder in more than one process, always with the
  session's seeding instant: a seeder depends only on the instant it is given);
- `transact(session, fn)` is atomic and serializable: `fn` sees one consistent state, its `put`s,
  `delete`s and `emit`s become visible together when it returns and vanish if it raises;
- a transaction reads the session's clock with its records: `now` (the frozen instant, else the
  wall clock when it began) and `frozen` (None while the clock runs); `MockService` serves a call
  at `frozen` when it is set;
- `fn` may be run more than once (a store retries it when a concurrent commit made its view
  stale), so it must not act outside the transaction: vendor handlers only touch `Records`;
- records are JSON data (dicts, lists, strings, numbers, booleans, None); `get` and `all` return
  copies, so changing one changes nothing until it is `put`; `read` and `find` hand out the records
  as stored, for looking at only;
- `put` and `emit` take what they are given without copying it: the caller must not change it (or
  anything in it) afterwards — build a new record instead;
- with `STRICT_RECORDS` on (the test suite runs so), breaking either rule fails loudly:
  `Records.read` and `Records.find` hand out frozen copies that raise `ReadOnlyRecordError` on any
  change, and a transaction whose `put` records or `emit` payloads changed after the call raises
  it when `fn` returns;
- `all()`, `find()` and `keys()` list records in insertion order (a replaced record keeps its
  place), staged writes included; `find(predicate)` hands out the records `predicate` accepts
  (it is shown each record read-only and must not change it or act outside the transaction);
- `find_by(field, values)` is `find` for the records whose `field` is one of the texts `values`,
  with the same order and sharing; a store answers it from an index of the field, made on first
  use (a `Lookup`: `MemoryStore` keeps one per session and collection, `SqliteStore` one with each
  parsed collection a process keeps), so a lookup by a field need not cost more as the
  collection grows;
- a store never changes what a seeder returns (it copies what it keeps or hands out), so a seeder
  may share records between the trees it builds (`FixtureSet.resolve` does).

A networked store (Redis, for teams that run the mock on several hosts) fits the same shape:
one hash per session and collection (`session:vendor:collection` → key → JSON), seeded with a
`SET session:NAME:seeded NX` guard; `transact` as an optimistic `WATCH`/`MULTI`/`EXEC` over the
keys `fn` read, re-running `fn` when `EXEC` fails (the reason `fn` must be re-runnable);
`find_by` as one set per field value (`session:vendor:collection:field:value` → keys, changed in
the same `MULTI`); the outbox and journal as lists (`RPUSH`/`LRANGE`, `LTRIM` for the bound);
the frozen clock as one key per session. Nothing above this module would change.
"""

from __future__ import annotations

import copy
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, TypeVar

from mockserver.core.clock import format_instant, utcnow

T = TypeVar("T")
Record = dict[str, Any]
# vendor -> collection -> key -> record
StateTree = dict[str, dict[str, dict[str, Record]]]
# What a seeder returns: vendor -> collection -> key -> record, read only (a store copies what it
# keeps; `fixtures.LazyTree` resolves a vendor's records when it is first asked for it).
SeedTree = Mapping[str, Mapping[str, Mapping[str, Record]]]
# Builds a session's initial state for the session's "now" (relative fixture times resolve then).
Seeder = Callable[[datetime], SeedTree]
# Chooses records in `find`; it sees each record read-only (a live record, not a copy).
Predicate = Callable[[Mapping[str, Any]], bool]


_ATOMS: frozenset[type] = frozenset({str, int, float, bool, type(None)})

# Checks that vendor rules keep the sharing rules (see the module docstring): `Records.read` and
# `Records.find` hand out frozen copies, and what was `put` or `emit`ted is checked unchanged when
# the transaction's `fn` returns. tests/conftest.py turns this on for the whole suite and the servers it starts.
STRICT_RECORDS: bool = os.environ.get("CANCEL_CONTRACTS_STRICT_RECORDS", "") not in ("", "0")


def _copy_json(value: Any, _atoms: frozenset[type] = _ATOMS) -> Any:
    # A loop, not a dict comprehension, and the atom types bound locally: ~15 % faster on records.
    if isinstance(value, dict):
        copied = {}
        for key, item in value.items():
            copied[key] = item if type(item) in _atoms else _copy_json(item)
        return copied
    if isinstance(value, list):
        return [item if type(item) in _atoms else _copy_json(item) for item in value]
    if type(value) in _atoms:
        return value
    return copy.deepcopy(value)  # anything else (a tuple, a date) keeps deepcopy's semantics


def copy_record(value: T) -> T:
    """A deep copy; a specialised walk for JSON data (records are JSON), about 3x faster than
    deepcopy. Every store copies records with it."""
    copied: T = _copy_json(value)
    return copied


class ReadOnlyRecordError(TypeError):
    """A record the store shares was changed: one handed out by `Records.read` or `Records.find`,
    or one handed to `put` or `emit` (found when the transaction's `fn` returns). STRICT_RECORDS
    only."""


def _refuse(self: object, *args: Any, **kwargs: Any) -> None:
    raise ReadOnlyRecordError(
        "this record is the stored one (from Records.read or Records.find): build a new record "
        "from it, or take a copy with Records.get to change"
    )


class _FrozenDict(dict[str, Any]):
    __setitem__ = __delitem__ = update = pop = popitem = setdefault = clear = __ior__ = _refuse  # type: ignore[assignment]


class _FrozenList(list[Any]):
    __setitem__ = __delitem__ = append = extend = insert = pop = remove = clear = _refuse
    sort = reverse = __iadd__ = __imul__ = _refuse  # type: ignore[assignment]


def _frozen(value: Any) -> Any:
    """A copy of JSON data that refuses every change (dict and list subclasses: JSON-encodes alike)."""
    if isinstance(value, dict):
        frozen = _FrozenDict()
        for key, item in value.items():
            dict.__setitem__(frozen, key, _frozen(item))
        return frozen
    if isinstance(value, list):
        return _FrozenList(_frozen(item) for item in value)
    return value


class Handover:
    """What a transaction was handed by `put` and `emit`, kept to check, when `fn` returns, that the
    caller did not change it afterwards (STRICT_RECORDS only; otherwise nothing is kept)."""

    __slots__ = ("_kept",)

    def __init__(self) -> None:
        self._kept: list[tuple[Any, Any, str]] = []

    def note(self, value: Any, what: str) -> None:
        if STRICT_RECORDS:
            self._kept.append((value, copy_record(value), what))

    def check(self) -> None:
        for value, copied, what in self._kept:
            if value != copied:
                raise ReadOnlyRecordError(
                    f"{what} was changed after it was handed to the store: build a new record instead"
                )


@dataclass(slots=True)
class OutboxEntry:
    """A notification the real vendor would have sent (mail, webhook, calendar update)."""

    time: str
    vendor: str
    kind: str
    payload: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {"time": self.time, "vendor": self.vendor, "kind": self.kind, "payload": self.payload}


class Transaction(Protocol):
    now: datetime  # the session's clock: `frozen`, else the wall clock when the transaction began
    frozen: datetime | None  # the instant the session's clock is frozen at (None: it runs)

    def get(self, vendor: str, collection: str, key: str) -> Record | None: ...
    def read(self, vendor: str, collection: str, key: str) -> Record | None: ...
    def all(self, vendor: str, collection: str) -> list[Record]: ...
    def find(self, vendor: str, collection: str, predicate: Predicate) -> list[Record]: ...
    def find_by(self, vendor: str, collection: str, field: str, values: frozenset[str]) -> list[Record]: ...
    def keys(self, vendor: str, collection: str) -> list[str]: ...
    def put(self, vendor: str, collection: str, key: str, record: Record) -> None: ...
    def delete(self, vendor: str, collection: str, key: str) -> None: ...
    def emit(self, vendor: str, kind: str, payload: dict[str, Any]) -> None: ...


class Records:
    """One vendor's view of a transaction: the only state API vendor rules use."""

    def __init__(self, tx: Transaction, vendor: str) -> None:
        self._tx = tx
        self.vendor = vendor

    @property
    def now(self) -> datetime:
        return self._tx.now

    def get(self, collection: str, key: str | int) -> Record | None:
        return self._tx.get(self.vendor, collection, str(key))

    def read(self, collection: str, key: str | int) -> Mapping[str, Any] | None:
        """The record as stored, not a copy: for looking at only (a token, a user, a calendar).
        Nothing may change it or anything in it; `get` gives a copy to change and `put`."""
        found = self._tx.read(self.vendor, collection, str(key))
        return _frozen(found) if STRICT_RECORDS and found is not None else found

    def all(self, collection: str) -> list[Record]:
        """Every record of `collection` (copies). To look for some, use `find`."""
        return self._tx.all(self.vendor, collection)

    def find(self, collection: str, predicate: Predicate) -> list[Mapping[str, Any]]:
        """The records `predicate` accepts, in insertion order, as stored (like `read`: for looking
        at only). `predicate` is shown each record and must not change it either."""
        found = self._tx.find(self.vendor, collection, predicate)
        return [_frozen(record) for record in found] if STRICT_RECORDS else list(found)

    def find_by(self, collection: str, field: str, *values: str) -> list[Mapping[str, Any]]:
        """The records whose `field` is one of the texts `values`: `find` with that predicate (the
        same order, as stored), answered from an index where the store keeps one, so a lookup by
        a field such as Graph's `iCalUId` costs the same with ten records or ten thousand."""
        for value in values:
            if type(value) is not str:
                raise TypeError(f"find_by compares texts, not {type(value).__name__}: use find")
        if not values:
            return []
        found = self._tx.find_by(self.vendor, collection, field, frozenset(values))
        return [_frozen(record) for record in found] if STRICT_RECORDS else list(found)

    def keys(self, collection: str) -> list[str]:
        """The keys of `collection`, in insertion order (nothing is copied)."""
        return self._tx.keys(self.vendor, collection)

    def put(self, collection: str, key: str | int, record: Record) -> None:
        self._tx.put(self.vendor, collection, str(key), record)

    def delete(self, collection: str, key: str | int) -> None:
        self._tx.delete(self.vendor, collection, str(key))

    def emit(self, kind: str, payload: dict[str, Any]) -> None:
        """Record a notification (mail, webhook, ics) in the session's outbox instead of sending it."""
        self._tx.emit(self.vendor, kind, payload)


class Store(Protocol):
    """All mock state. Implementations: `MemoryStore` (one process), `SqliteStore` (processes)."""

    def transact(self, session: str, fn: Callable[[Transaction], T]) -> T: ...
    def reset(self, session: str | None = None) -> None: ...
    def sessions(self) -> list[str]: ...
    def snapshot(self, session: str, vendor: str | None = None) -> StateTree: ...
    def outbox(self, session: str) -> list[OutboxEntry]: ...
    def clear_outbox(self, session: str) -> None: ...
    def frozen_at(self, session: str) -> datetime | None: ...
    def freeze(self, session: str, instant: datetime | None) -> None: ...
    def add_records(self, session: str, tree: StateTree) -> None: ...
    def seed(self, tree_for: Seeder) -> None: ...


class Matches:
    """The predicate of `find_by`: the record's `field` is one of the texts `values`."""

    __slots__ = ("field", "values")

    def __init__(self, field: str, values: frozenset[str]) -> None:
        self.field = field
        self.values = values

    def __call__(self, record: Mapping[str, Any]) -> bool:
        value = record.get(self.field)
        return type(value) is str and value in self.values


class Lookup:
    """A collection ready for `find_by`: every key's place in insertion order, and per field looked
    up so far, the keys of each text value. Made with one pass over the collection; kept up to date
    in place by `change` (`MemoryStore`: one per session and collection), or `derived` for a new
    version of the collection without changing this one (`SqliteStore`: one per parsed collection
    a process keeps, which are never changed once kept). A derived lookup shares the key sets no
    change touched with the one it came from, and copies one before it changes it (`owned`)."""

    __slots__ = ("fields", "next", "owned", "places")

    def __init__(self, records: Mapping[str, Record]) -> None:
        self.places = {key: place for place, key in enumerate(records)}
        self.next = len(self.places)
        self.fields: dict[str, dict[str, dict[str, None]]] = {}
        self.owned: set[tuple[str, str]] | None = None  # (field, value) key sets of its own; None: all

    def index(self, records: Mapping[str, Record], field: str) -> dict[str, dict[str, None]]:
        """text value -> the keys of `records` whose `field` has it (made on first use)."""
        by_value = self.fields.get(field)
        if by_value is None:
            by_value = {}
            for key, record in records.items():
                value = record.get(field)
                if type(value) is str:
                    by_value.setdefault(value, {})[key] = None
            if self.owned is not None:
                self.owned.update((field, value) for value in by_value)
            self.fields[field] = by_value  # complete before another thread may see it
        return by_value

    def matching(self, records: Mapping[str, Record], field: str, values: frozenset[str]) -> list[str]:
        """The keys of the records whose `field` is one of `values`, in insertion order."""
        by_value = self.index(records, field)
        if len(values) == 1:
            [value] = values
            found = by_value.get(value)
            return [] if found is None else sorted(found, key=self.places.__getitem__)
        keys: set[str] = set()
        for value in values:
            keys.update(by_value.get(value, ()))
        return sorted(keys, key=self.places.__getitem__)

    def derived(self, records: Mapping[str, Record], changes: Iterable[tuple[str, Record | None]]) -> Lookup:
        """The lookup of `records` after `changes` ((key, new record or None), in order, as a dict
        takes them: a replaced key keeps its place, a new one comes last), leaving this one as it
        is. What no change touches is shared between the two."""
        derived = Lookup.__new__(Lookup)
        derived.places = dict(self.places)
        derived.next = self.next
        derived.fields = {name: dict(by_value) for name, by_value in list(self.fields.items())}
        derived.owned = set()
        now: dict[str, Record | None] = {}
        for key, new in changes:
            derived.change(key, now[key] if key in now else records.get(key), new)
            now[key] = new
        return derived

    def change(self, key: str, old: Record | None, new: Record | None) -> None:
        """`key` goes from `old` to `new` (None: absent), as a commit writes it."""
        owned = self.owned
        if new is None:
            self.places.pop(key, None)
        elif key not in self.places:  # a new key (or one deleted before) comes last
            self.places[key] = self.next
            self.next += 1
        for name, by_value in self.fields.items():
            before = None if old is None else old.get(name)
            after = None if new is None else new.get(name)
            if type(before) is str and before == after:
                continue
            if type(before) is str and (holders := by_value.get(before)) is not None and key in holders:
                if owned is not None and (name, before) not in owned:
                    holders = by_value[before] = dict(holders)
                    owned.add((name, before))
                del holders[key]
                if not holders:
                    del by_value[before]
            if type(after) is str:
                holders = by_value.get(after)
                if holders is None:
                    holders = by_value[after] = {}
                    if owned is not None:
                        owned.add((name, after))
                elif owned is not None and (name, after) not in owned:
                    holders = by_value[after] = dict(holders)
                    owned.add((name, after))
                holders[key] = None


@dataclass
class _Session:
    tree: SeedTree  # the seeder's, shared: a vendor's records are taken from it on its first use
    state: StateTree = field(default_factory=dict)  # the vendors used so far, in containers of our own
    frozen: datetime | None = None
    outbox: list[OutboxEntry] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # (vendor, collection) -> what `find_by` looks records up with (made on its first use)
    lookups: dict[tuple[str, str], Lookup] = field(default_factory=dict)
    # (vendor, collection) changed since the session was seeded: no longer the tree's
    touched: set[tuple[str, str]] = field(default_factory=set)

    def seeded(self, vendor: str, collection: str) -> Mapping[str, Record] | None:
        """The tree's records of `collection` while the session's are still a copy of them."""
        if (vendor, collection) in self.touched or vendor not in self.tree:
            return None
        return self.tree[vendor].get(collection)

    def vendor(self, name: str) -> dict[str, dict[str, Record]] | None:
        """The vendor's collections (None: the vendor has no records). Its records are taken from
        the seeder's tree on first use, in containers of our own; the records themselves are
        shared, not copied (the store never changes a record in place: commits replace records,
        reads copy them)."""
        owned = self.state.get(name)
        if owned is None and name in self.tree:
            owned = self.state[name] = {
                collection: dict(records) for collection, records in self.tree[name].items()
            }
        return owned

    def writable(self, name: str) -> dict[str, dict[str, Record]]:
        """The vendor's collections, made (empty) for a vendor that has no records yet."""
        owned = self.vendor(name)
        if owned is None:
            owned = self.state[name] = {}
        return owned

    def whole(self) -> StateTree:
        """Every vendor's collections: the seeder's vendors in its order, then any added later."""
        for name in self.tree:
            self.vendor(name)
        order = {name: None for name in [*self.tree, *self.state]}
        return {name: self.state[name] for name in order if name in self.state}


class _SharedLookups:
    """The lookups of the seeder's trees' collections, shared by the sessions seeded from them: a
    session derives its own (a copy) instead of a pass over every record (`Lookup`)."""

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._kept: dict[int, tuple[Mapping[str, Record], Lookup]] = {}
        self._guard = threading.Lock()

    def of(self, records: Mapping[str, Record], field: str) -> Lookup:
        """A lookup of the tree's `records` of its own, with `field` looked up already."""
        with self._guard:
            found = self._kept.get(id(records))
        if found is None or found[0] is not records:
            found = (records, Lookup(records))
            with self._guard:
                self._kept[id(records)] = found  # (records kept too: its id stays its own)
                while len(self._kept) > self._size:
                    del self._kept[next(iter(self._kept))]
        found[1].index(records, field)  # made once per tree and field
        return found[1].derived(records, ())


class _MemoryTransaction:
    def __init__(self, session: _Session, now: datetime, shared: _SharedLookups) -> None:
        self._session = session
        self._shared = shared
        self.now = now
        self.frozen = session.frozen
        self._writes: dict[tuple[str, str, str], Record | None] = {}
        self._emitted: list[OutboxEntry] = []
        self._stamp: str | None = None  # `now` as outbox entries show it, made on the first emit
        self.handed = Handover()

    def _live(self, vendor: str, collection: str) -> dict[str, Record]:
        return (self._session.vendor(vendor) or {}).get(collection, {})

    def _view(self, vendor: str, collection: str) -> Iterable[tuple[str, Record]]:
        """(key, record) of the collection as this transaction sees it, in insertion order; the
        records are the live (or staged) ones, not copies."""
        live = self._live(vendor, collection)
        staged = {k: r for (v, c, k), r in self._writes.items() if v == vendor and c == collection}
        if not staged:
            return live.items()
        merged = [(key, staged.get(key, record)) for key, record in live.items()]
        merged += [(key, record) for key, record in staged.items() if key not in live]
        return [(key, record) for key, record in merged if record is not None]

    def get(self, vendor: str, collection: str, key: str) -> Record | None:
        if self._writes:
            staged = (vendor, collection, key)
            if staged in self._writes:
                record = self._writes[staged]
                return None if record is None else copy_record(record)
        found = self._live(vendor, collection).get(key)
        return None if found is None else copy_record(found)

    def read(self, vendor: str, collection: str, key: str) -> Record | None:
        if self._writes:
            staged = (vendor, collection, key)
            if staged in self._writes:
                return self._writes[staged]
        return self._live(vendor, collection).get(key)

    def all(self, vendor: str, collection: str) -> list[Record]:
        return [copy_record(record) for _key, record in self._view(vendor, collection)]

    def find(self, vendor: str, collection: str, predicate: Predicate) -> list[Record]:
        return [record for _key, record in self._view(vendor, collection) if predicate(record)]

    def find_by(self, vendor: str, collection: str, field: str, values: frozenset[str]) -> list[Record]:
        """From the session's `Lookup` of the collection (unless this transaction staged writes
        there: then `find`, whose view merges them)."""
        if any(v == vendor and c == collection for v, c, _k in self._writes):
            return self.find(vendor, collection, Matches(field, values))
        live = self._live(vendor, collection)
        lookup = self._session.lookups.get((vendor, collection))
        if lookup is None:
            seeded = self._session.seeded(vendor, collection)
            lookup = Lookup(live) if seeded is None else self._shared.of(seeded, field)
            self._session.lookups[(vendor, collection)] = lookup
        return [live[key] for key in lookup.matching(live, field, values)]

    def keys(self, vendor: str, collection: str) -> list[str]:
        return [key for key, _record in self._view(vendor, collection)]

    def put(self, vendor: str, collection: str, key: str, record: Record) -> None:
        self._writes[(vendor, collection, key)] = record  # not copied: the caller hands it over
        self.handed.note(record, f"the record put at {vendor}/{collection}/{key}")

    def delete(self, vendor: str, collection: str, key: str) -> None:
        self._writes[(vendor, collection, key)] = None

    def emit(self, vendor: str, kind: str, payload: dict[str, Any]) -> None:
        if self._stamp is None:
            self._stamp = format_instant(self.now)
        self._emitted.append(OutboxEntry(self._stamp, vendor, kind, payload))
        self.handed.note(payload, f"the {vendor} {kind} payload emitted")

    def commit(self) -> None:
        self.handed.check()
        lookups = self._session.lookups
        touched = self._session.touched
        for (vendor, collection, key), record in self._writes.items():
            touched.add((vendor, collection))
            records = self._session.writable(vendor).setdefault(collection, {})
            if lookups and (lookup := lookups.get((vendor, collection))) is not None:
                lookup.change(key, records.get(key), record)
            if record is None:
                records.pop(key, None)
            else:
                records[key] = record
        self._session.outbox.extend(self._emitted)


class MemoryStore:
    """In-process store: one lock per session, copy-on-write transactions."""

    def __init__(self, seeder: Seeder | None = None) -> None:
        self._seeder: Seeder = seeder or (lambda _now: {})
        self._sessions: dict[str, _Session] = {}
        self._guard = threading.Lock()
        self._shared = _SharedLookups()

    def seed(self, tree_for: Seeder) -> None:
        with self._guard:
            self._seeder = tree_for
            self._sessions.clear()

    def _session(self, name: str) -> _Session:
        with self._guard:
            found = self._sessions.get(name)
            if found is None:
                found = self._sessions[name] = _Session(self._seeder(utcnow()))
            return found

    def _now(self, session: _Session) -> datetime:
        return session.frozen or utcnow()

    def transact(self, session: str, fn: Callable[[Transaction], T]) -> T:
        current = self._session(session)
        with current.lock:
            tx = _MemoryTransaction(current, self._now(current), self._shared)
            result = fn(tx)
            tx.commit()
            return result

    def reset(self, session: str | None = None) -> None:
        with self._guard:
            if session is None:
                self._sessions.clear()
            else:
                self._sessions.pop(session, None)

    def sessions(self) -> list[str]:
        with self._guard:
            return sorted(self._sessions)

    def snapshot(self, session: str, vendor: str | None = None) -> StateTree:
        current = self._session(session)
        with current.lock:
            tree = current.whole() if vendor is None else {vendor: current.vendor(vendor) or {}}
            return copy_record(tree)

    def outbox(self, session: str) -> list[OutboxEntry]:
        current = self._session(session)
        with current.lock:  # copies: a payload may share parts with stored records
            return [OutboxEntry(e.time, e.vendor, e.kind, copy_record(e.payload)) for e in current.outbox]

    def clear_outbox(self, session: str) -> None:
        current = self._session(session)
        with current.lock:
            current.outbox.clear()

    def frozen_at(self, session: str) -> datetime | None:
        return self._session(session).frozen

    def freeze(self, session: str, instant: datetime | None) -> None:
        current = self._session(session)
        with current.lock:
            current.frozen = instant

    def add_records(self, session: str, tree: StateTree) -> None:
        current = self._session(session)
        with current.lock:
            for vendor, collections in tree.items():
                owned = current.writable(vendor)
                for collection, records in collections.items():
                    owned.setdefault(collection, {}).update(copy_record(records))
                    current.touched.add((vendor, collection))
            current.lookups.clear()  # made again on the next `find_by`


def iter_records(tree: Mapping[str, Mapping[str, Mapping[str, Record]]]) -> Iterator[tuple[str, str, Record]]:
    for vendor, collections in tree.items():
        for collection, records in collections.items():
            for record in records.values():
                yield vendor, collection, record
