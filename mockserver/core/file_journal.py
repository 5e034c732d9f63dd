"""`FileJournal`: the request journal of several worker processes, as append-only files.

`serve --workers N` (and `--state FILE`) keeps the journal in the directory FILE.requests next to
the state file, so `/__admin/requests` on any worker lists the requests every worker answered.
Each journal object (one per worker) appends one JSON line per request to a file of its own with
a single `write` (O_APPEND): no lock, no transaction, nothing shared on the request path, so the
workers never wait for each other to journal. An entry is in the file (the operating system's)
before `add` returns: any reader sees it from then on, and a killed worker loses nothing it
journaled.

Readers merge every file by the time each entry was added (nanoseconds), newest last. Bounded
like the in-memory journal: each writer starts a new file every `limit` entries and deletes its
file before the previous one, so the newest `limit` entries of all writers are always there; the
files of writers that are gone (a flock on its current file says a writer is alive) are deleted
once all their entries are older than the newest `limit`. `clear(session)` appends a mark to
`cleared.log`: entries of that session added before the mark are no longer listed.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
import uuid
from pathlib import Path

from mockserver.core.journal import Entry

_CLEARED = "cleared.log"
_SUFFIX = ".log"
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # one encoder, not one per line

if sys.platform != "win32":
    import fcntl

    def _hold(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _alive(path: Path) -> bool:
        """Whether a writer still holds `path` (its current file)."""
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        finally:
            os.close(fd)  # closing drops the probe's lock too
        return False

else:  # pragma: no cover - no flock: files of writers that are gone are never deleted

    def _hold(fd: int) -> None:
        return None

    def _alive(path: Path) -> bool:
        return True


def journal_directory(state: str | Path) -> Path:
    """Where the request journal of the state file `state` lives."""
    return Path(f"{state}.requests")


def _stamp(line: bytes) -> int:
    """The nanoseconds an entry line starts with (`[ns,"session",...`)."""
    return int(line[1 : line.index(b",")])


def _session_of(line: bytes) -> str:
    """The session of an entry line, without parsing all of it when it has no escapes."""
    start = line.index(b',"') + 2
    end = line.index(b'"', start)
    if b"\\" in line[start:end]:
        return str(json.loads(line)[1])
    return line[start:end].decode("utf-8")


def _segment(name: str) -> int:
    """The segment number of `<writer>.<segment>.log` (-1 for anything else)."""
    try:
        return int(name.rsplit(".", 2)[1])
    except (IndexError, ValueError):
        return -1


class FileJournal:
    """The `Journal` protocol in a directory of append-only files, one per writer."""

    def __init__(self, directory: str | Path, limit: int = 10_000) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._limit = limit
        self._writer = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
        self._segment = 0
        self._fd: int | None = None
        self._written = 0
        self._guard = threading.Lock()

    def _path(self, segment: int) -> Path:
        return self.directory / f"{self._writer}.{segment}{_SUFFIX}"

    def _open(self) -> int:
        """The current file, a new one every `limit` entries (the one before the previous goes)."""
        if self._fd is not None and self._written < self._limit:
            return self._fd
        if self._fd is not None:
            os.close(self._fd)
            self._path(self._segment - 1).unlink(missing_ok=True)
            self._segment += 1
        self._fd = os.open(self._path(self._segment), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        _hold(self._fd)  # a writer is alive while it holds its current file
        self._written = 0
        return self._fd

    def add(self, entry: Entry) -> None:
        line = _encode(
            [
                time.time_ns(),
                entry.session,
                entry.time,
                entry.vendor,
                entry.method,
                entry.path,
                entry.status,
                round(entry.duration_ms, 3),
            ]
        )
        data = (line + "\n").encode("utf-8")
        with self._guard:
            os.write(self._open(), data)  # one write: appended whole
            self._written += 1

    def _lines(self) -> tuple[list[tuple[int, int, bytes]], dict[str, list[int]]]:
        """Every complete entry line as (ns, order, line), and the stamps found in each file."""
        found: list[tuple[int, int, bytes]] = []
        stamps: dict[str, list[int]] = {}
        for path in sorted(self.directory.glob(f"*{_SUFFIX}")):
            if path.name == _CLEARED:
                continue
            try:
                data = path.read_bytes()
            except OSError:
                continue  # deleted meanwhile: its writer moved on, its entries are old
            lines = data.split(b"\n")[:-1]  # the last piece is empty, or a line being written
            mine = stamps[path.name] = []
            for line in lines:
                try:
                    ns = _stamp(line)
                except ValueError:
                    continue
                mine.append(ns)
                found.append((ns, len(found), line))
        return found, stamps

    def _cleared(self) -> dict[str, int]:
        try:
            data = (self.directory / _CLEARED).read_bytes()
        except OSError:
            return {}
        marks: dict[str, int] = {}
        for line in data.split(b"\n")[:-1]:
            try:
                ns, session = json.loads(line)
            except ValueError:
                continue
            marks[session] = max(marks.get(session, 0), int(ns))
        return marks

    def entries(self, session: str) -> list[Entry]:
        found, stamps = self._lines()
        found.sort()
        marks = self._cleared()
        if marks:  # cleared entries are gone: they do not count towards the newest `limit`
            found = [item for item in found if item[0] > marks.get(_session_of(item[2]), -1)]
        newest = found[-self._limit :] if self._limit > 0 else []
        self._prune(stamps, newest[0][0] if len(found) > self._limit and newest else None)
        entries: list[Entry] = []
        for _ns, _order, line in newest:
            if _session_of(line) != session:
                continue
            row = json.loads(line)
            entries.append(Entry(row[2], row[1], row[3], row[4], row[5], int(row[6]), float(row[7])))
        return entries

    def _prune(self, stamps: dict[str, list[int]], cutoff: int | None) -> None:
        """Delete the files of writers that are gone once all their entries are older than the
        newest `limit` (`cutoff`: the oldest of those; None: nothing is old yet)."""
        if cutoff is None:
            return
        mine = f"{self._writer}."
        for name, seen in stamps.items():
            # An empty file may be one a writer has just created and not locked yet: kept.
            if name.startswith(mine) or not seen or max(seen) >= cutoff or _segment(name) < 0:
                continue
            path = self.directory / name
            writer = name.rsplit(".", 2)[0]
            current = max(
                self.directory.glob(f"{writer}.*{_SUFFIX}"), key=lambda p: _segment(p.name), default=path
            )
            if not _alive(current):
                path.unlink(missing_ok=True)

    def clear(self, session: str) -> None:
        data = (json.dumps([time.time_ns(), session], ensure_ascii=False) + "\n").encode("utf-8")
        fd = os.open(self.directory / _CLEARED, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)

    def close(self) -> None:
        with self._guard:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
