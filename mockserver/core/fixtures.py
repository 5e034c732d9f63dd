"""Fixture files: YAML (or JSON) records per vendor and collection, relative times, validation.

    zoho:                       # vendor
      events:                   # collection
        - id: "4876876000001081142"
          Start_DateTime: +2h   # relative to the session's "now" when it is seeded
          End_DateTime: +3h

A later file adds records or replaces records with the same key. Every problem is reported with
its file, record and field, so a bad file fails start-up with a message a person can act on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, TypeAlias

import yaml

from mockserver.core.clock import format_instant, is_relative, relative
from mockserver.core.store import Record, StateTree

# (vendor, collection, record) -> list of (json path inside the record, message)
Checker = Callable[[str, str, Record], list[tuple[str, str]]]
KeyOf = Callable[[str, str, Record], str]
# Where a raw value holds relative times: the text itself at a leaf, else key/index -> inner patch.
Patch: TypeAlias = "str | dict[Any, Patch]"


class FixtureError(ValueError):
    """One or more fixture problems; `str()` lists each as `file: vendor.collection[i] (id) field: msg`."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class FixtureSet:
    """Raw records (relative times unresolved), with the file each came from."""

    records: dict[str, dict[str, dict[str, Record]]] = field(default_factory=dict)
    origin: dict[tuple[str, str, str], str] = field(default_factory=dict)

    # vendor -> id(raw record) -> where it holds relative times, and how it resolved last: see `resolve`.
    _times: dict[str, dict[int, _Times]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def resolve(self, now: datetime) -> StateTree:
        """A fresh state tree with every relative time (`+2h`, `now-1d`) made absolute.

        The vendor and collection mappings are new; the records are shared, not copied: a record
        without relative times is the fixture record itself, one with them is resolved once per
        second of `now` (the resolved texts have whole seconds) and shared by every tree of that
        second. Nothing may change them in place; the stores never do (they copy what they keep or
        hand out). Equal to `_resolve` on every record, at a fraction of its cost.
        """
        return {vendor: self.resolve_vendor(vendor, now) for vendor in self.records}

    def resolve_vendor(self, vendor: str, now: datetime) -> dict[str, dict[str, Record]]:
        """One vendor's part of `resolve(now)` (empty for a vendor without fixtures)."""
        second = _second(now)
        known = self._times.get(vendor, {})
        times: dict[int, _Times] = {}
        stamps: dict[str, str] = {}
        resolved: dict[str, dict[str, Record]] = {}
        for collection, records in self.records.get(vendor, {}).items():
            out = resolved[collection] = {}
            for key, record in records.items():
                found = known.get(id(record))
                if found is None or found.record is not record:
                    found = _Times(record, _patch(record))
                times[id(record)] = found
                out[key] = found.at(second, now, stamps)
        self._times[vendor] = times  # only records still in the set are remembered
        return resolved


class LazyTree(Mapping[str, Mapping[str, Mapping[str, Record]]]):
    """`FixtureSet.resolve(now)` vendor by vendor: each vendor's records are resolved the first
    time the tree is asked for that vendor, then kept. A session typically uses one vendor (a
    test, a benchmark pass), and both stores take a vendor from the seeder's tree when a session
    first uses it, so a new second resolves only the vendors in use (a pass over every fixture
    record of every vendor was a pause of about 2 ms a second under load, with the benchmark's
    435 records)."""

    def __init__(self, fixtures: FixtureSet, now: datetime) -> None:
        self._fixtures = fixtures
        self._now = now
        self._vendors = tuple(fixtures.records)
        self._resolved: dict[str, dict[str, dict[str, Record]]] = {}
        self._guard = threading.Lock()

    def __getitem__(self, vendor: str) -> dict[str, dict[str, Record]]:
        found = self._resolved.get(vendor)
        if found is None:
            if vendor not in self._vendors:
                raise KeyError(vendor)
            with self._guard:  # resolved once per tree: every session of the second shares its records
                found = self._resolved.get(vendor)
                if found is None:
                    found = self._resolved[vendor] = self._fixtures.resolve_vendor(vendor, self._now)
        return found

    def __contains__(self, vendor: object) -> bool:  # without resolving it
        return vendor in self._vendors

    def __iter__(self) -> Iterator[str]:
        return iter(self._vendors)

    def __len__(self) -> int:
        return len(self._vendors)


Second = tuple[datetime, tzinfo | None, int]


def per_second(fixtures: FixtureSet) -> Callable[[datetime], LazyTree]:
    """A seeder of `fixtures` (whose set no longer changes): its `LazyTree` for the last second of
    `now`, so every session seeded in that second gets the same tree, which the stores only copy
    the mappings of (they never change what a seeder returns). A new session then costs a few dict
    copies instead of a pass over every fixture record, and a new second a pass over the records
    of the vendors in use."""
    last: tuple[Second, LazyTree] | None = None

    def seeder(now: datetime) -> LazyTree:
        nonlocal last
        second = _second(now)
        kept = last
        if kept is not None and kept[0] == second:
            return kept[1]
        tree = LazyTree(fixtures, now)
        last = (second, tree)
        return tree

    return seeder


def _second(now: datetime) -> Second:
    """`now` without its microseconds, with its zone and fold. Relative times are whole seconds and
    `format_instant` drops microseconds, so two instants with the same `_second` resolve every
    relative time to the same text (wall-clock arithmetic in the same zone, as `relative` does)."""
    return now.replace(microsecond=0, tzinfo=None), now.tzinfo, now.fold


class _Times:
    """Where one fixture record holds relative times, and the record resolved for the last second."""

    def __init__(self, record: Any, patch: Patch | None) -> None:
        self.record = record
        self.patch = patch
        self.last: tuple[Second, Any] | None = None  # (second, resolved record): replaced in one step

    def at(self, second: Second, now: datetime, stamps: dict[str, str]) -> Any:
        """The record resolved at `now` (`second` is `_second(now)`)."""
        if self.patch is None:
            return self.record
        last = self.last
        if last is not None and last[0] == second:
            return last[1]
        resolved = _patched(self.record, self.patch, now, stamps)
        self.last = (second, resolved)
        return resolved


def _patch(value: Any) -> Patch | None:
    """Where `value` holds relative times (the strings `_resolve` would change), or None."""
    if isinstance(value, str):
        return value if is_relative(value) else None
    found: dict[Any, Patch] = {}
    if isinstance(value, dict):
        items: Iterable[tuple[Any, Any]] = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        inner = _patch(item)
        if inner is not None:
            found[key] = inner
    return found or None


def _patched(value: Any, patch: Patch, now: datetime, stamps: dict[str, str]) -> Any:
    """`value` with the relative times `patch` names made absolute (`stamps` caches each text)."""
    if isinstance(patch, str):
        stamp = stamps.get(patch)
        if stamp is None:
            instant = relative(patch, now)  # never None: `_patch` names relative times only
            stamp = stamps[patch] = patch if instant is None else format_instant(instant)
        return stamp
    changed: Any = dict(value) if isinstance(value, dict) else list(value)
    for key, inner in patch.items():
        changed[key] = _patched(value[key], inner, now, stamps)
    return changed


def _resolve(value: Any, now: datetime) -> Any:
    if isinstance(value, str):
        instant = relative(value, now)
        return format_instant(instant) if instant is not None else value
    if isinstance(value, dict):
        return {key: _resolve(item, now) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolve(item, now) for item in value]
    return value


def parse(text: str, source: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise FixtureError([f"{source}: not valid YAML or JSON: {error}"]) from error


def merge(
    into: FixtureSet,
    document: Any,
    source: str,
    *,
    collections: Mapping[str, Iterable[str]],
    key_of: KeyOf,
    check: Checker,
    now: datetime,
) -> FixtureSet:
    """Validate `document` (vendor → collection → [records]) and merge it into `into`.

    `collections` lists the known collections of each known vendor. Records are validated with
    their relative times resolved against `now`; all problems are collected before raising.
    """
    problems: list[str] = []
    if document is None:
        return into
    if not isinstance(document, dict):
        raise FixtureError([f"{source}: top level must be a mapping of vendor names to collections"])
    staged: list[tuple[str, str, str, Record]] = []
    for vendor, vendor_doc in document.items():
        if vendor not in collections:
            problems.append(f"{source}: unknown vendor {vendor!r} (known: {', '.join(collections)})")
            continue
        if not isinstance(vendor_doc, dict):
            problems.append(f"{source}: {vendor}: must be a mapping of collection names to lists")
            continue
        known = list(collections[vendor])
        for collection, records in vendor_doc.items():
            where = f"{source}: {vendor}.{collection}"
            if collection not in known:
                problems.append(f"{where}: unknown collection (known: {', '.join(known)})")
                continue
            if not isinstance(records, list):
                problems.append(f"{where}: must be a list of records")
                continue
            for index, record in enumerate(records):
                label = f"{where}[{index}]"
                if not isinstance(record, dict):
                    problems.append(f"{label}: a record must be a mapping")
                    continue
                try:
                    key = key_of(vendor, collection, record)
                except KeyError as missing:
                    problems.append(f"{label}: missing key field {missing}")
                    continue
                for path, message in check(vendor, collection, _resolve(record, now)):
                    problems.append(f"{label} (key {key}) field {path or '/'}: {message}")
                staged.append((vendor, collection, key, record))
    if problems:
        raise FixtureError(problems)
    for vendor, collection, key, record in staged:
        into.records.setdefault(vendor, {}).setdefault(collection, {})[key] = record
        into.origin[(vendor, collection, key)] = source
    return into


def read(path: Path) -> tuple[Any, str]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise FixtureError([f"{path}: cannot read fixture file: {error.strerror or error}"]) from error
    except UnicodeDecodeError as error:
        raise FixtureError([f"{path}: not UTF-8 text"]) from error
    return parse(text, str(path)), str(path)
