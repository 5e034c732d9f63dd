"""`record`: one `Entry` per vendor request, its duration kept as measured and shown rounded."""

from __future__ import annotations

import time
from pathlib import Path

from mockserver.core.file_journal import FileJournal
from mockserver.core.journal import Entry, MemoryJournal
from mockserver.http.middleware import record

SCOPE = {"type": "http", "method": "POST", "path": "/zoho/crm/v8/Events/1/actions/cancel", "headers": []}


def test_record_adds_a_true_entry_with_every_field() -> None:
    journal = MemoryJournal()
    record(journal, SCOPE, "zoho", 200, time.perf_counter() - 0.0123456, "s1")
    (entry,) = journal.entries("s1")
    assert type(entry) is Entry and len(entry) == len(Entry._fields)
    assert (entry.session, entry.vendor, entry.method, entry.path, entry.status) == (
        "s1",
        "zoho",
        "POST",
        "/zoho/crm/v8/Events/1/actions/cancel",
        200,
    )
    assert entry.time.endswith("Z") and 12.3 <= entry.duration_ms < 1000


def test_the_duration_is_shown_to_the_microsecond() -> None:
    entry = Entry("2030-01-01T00:00:00Z", "s1", "zoho", "GET", "/zoho/x", 200, 1.23456789)
    assert entry.as_dict()["duration_ms"] == 1.235
    assert entry.as_dict() == {**entry._asdict(), "duration_ms": 1.235}


def test_a_file_journal_keeps_the_rounded_duration(tmp_path: Path) -> None:
    journal = FileJournal(tmp_path / "journal")
    journal.add(Entry("2030-01-01T00:00:00Z", "s1", "zoho", "GET", "/zoho/x", 200, 1.23456789))
    (entry,) = journal.entries("s1")
    assert entry.duration_ms == 1.235
