"""The request journal: what the mock was asked and what it answered, newest last, bounded.

`Journal` is the interface the HTTP layer writes to and the admin API reads. `MemoryJournal` keeps
it in the process (one worker); `mockserver.core.file_journal.FileJournal` keeps it in append-only
files next to the state file (`FILE.requests/`), so `/__admin/requests` shows the calls of every
worker.
"""

from __future__ import annotations

import threading
from collections import deque
from typing import Any, NamedTuple, Protocol


class Entry(NamedTuple):
    """One journal line (a named tuple: one is made per request, three times faster than a frozen
    dataclass). `duration_ms` is kept as measured and shown to the microsecond (`as_dict`):
    `round(x, 3)` costs a decimal conversion, 2 µs of a request in the server."""

    time: str
    session: str
    vendor: str
    method: str
    path: str
    status: int
    duration_ms: float

    def as_dict(self) -> dict[str, Any]:
        shown = self._asdict()
        shown["duration_ms"] = round(self.duration_ms, 3)
        return shown


class Journal(Protocol):
    def add(self, entry: Entry) -> None: ...
    def entries(self, session: str) -> list[Entry]: ...
    def clear(self, session: str) -> None: ...


class MemoryJournal:
    def __init__(self, limit: int = 10_000) -> None:
        self._entries: deque[Entry] = deque(maxlen=limit)
        self._lock = threading.Lock()

    def add(self, entry: Entry) -> None:
        with self._lock:
            self._entries.append(entry)

    def entries(self, session: str) -> list[Entry]:
        with self._lock:
            return [entry for entry in self._entries if entry.session == session]

    def clear(self, session: str) -> None:
        with self._lock:
            kept = [entry for entry in self._entries if entry.session != session]
            self._entries.clear()
            self._entries.extend(kept)
