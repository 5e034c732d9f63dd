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

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from mockserver.core.clock import format_instant, relative
from mockserver.core.store import Record, StateTree

# (vendor, collection, record) -> list of (json path inside the record, message)
Checker = Callable[[str, str, Record], list[tuple[str, str]]]
KeyOf = Callable[[str, str, Record], str]


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

    def resolve(self, now: datetime) -> StateTree:
        """A fresh state tree with every relative time (`+2h`, `now-1d`) made absolute."""
        return {
            vendor: {
                collection: {key: _resolve(record, now) for key, record in records.items()}
                for collection, records in collections.items()
            }
            for vendor, collections in self.records.items()
        }


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
