"""`handlers.calendar` keeps an appointment's text per stored record: with the store handing out
the very same records (records shared, as `serve` runs without STRICT_RECORDS), a kept text must
equal a fresh rendering but for DTSTAMP, and follow a new appointment or organizer record."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mockserver.core import store as store_module
from mockserver.core.store import Records
from mockserver.vendors.meetergo import handlers, ics
from tests.vendors.meetergo.conftest import GROUP, HOST, NOW, SESSION, SINGLE, Client, seeded_store


def fresh(appointment: dict[str, object], records: Records) -> str:
    """The text as rendered without any kept part."""
    event = handlers._event(
        appointment, handlers._host(appointment, records), NOW, list(appointment.get("attendees") or [])
    )  # type: ignore[arg-type]
    cancelled = appointment.get("isCancelled")
    return ics._parts(event, "CANCEL" if cancelled else "REQUEST", "CANCELLED" if cancelled else "CONFIRMED")[
        0
    ]


def test_a_kept_calendar_is_the_fresh_one_and_follows_new_records(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "STRICT_RECORDS", False)  # records handed out as stored
    store = seeded_store()
    handlers._CALENDARS.clear()

    def texts(tx: store_module.Transaction) -> list[str]:
        records = Records(tx, "meetergo")
        appointment = records.read(handlers.APPOINTMENTS, SINGLE)
        assert appointment is not None
        first = handlers.calendar(appointment, records, NOW)
        assert id(appointment) in handlers._CALENDARS  # kept for the very same record
        later = handlers.calendar(appointment, records, NOW + timedelta(hours=1))
        assert later == first.replace(ics.utc(NOW), ics.utc(NOW + timedelta(hours=1)))
        assert first.startswith(fresh(dict(appointment), records))
        return [first, later]

    first, _later = store.transact(SESSION, texts)
    # A new organizer record (a renamed host) and a new appointment record render anew.
    host = store.transact(SESSION, lambda tx: tx.read("meetergo", handlers.USERS, HOST))
    assert host is not None
    store.transact(
        SESSION, lambda tx: tx.put("meetergo", handlers.USERS, HOST, {**host, "firstname": "Renamed"})
    )
    renamed = store.transact(
        SESSION,
        lambda tx: handlers.calendar(
            tx.read("meetergo", handlers.APPOINTMENTS, SINGLE) or {}, Records(tx, "meetergo"), NOW
        ),
    )
    assert "Renamed" in renamed and "Renamed" not in first
    appointment = store.transact(SESSION, lambda tx: tx.read("meetergo", handlers.APPOINTMENTS, SINGLE))
    assert appointment is not None
    store.transact(
        SESSION,
        lambda tx: tx.put("meetergo", handlers.APPOINTMENTS, SINGLE, {**appointment, "isCancelled": True}),
    )
    cancelled = store.transact(
        SESSION,
        lambda tx: handlers.calendar(
            tx.read("meetergo", handlers.APPOINTMENTS, SINGLE) or {}, Records(tx, "meetergo"), NOW
        ),
    )
    assert "METHOD:CANCEL\r\n" in cancelled and "METHOD:CANCEL\r\n" not in renamed


@pytest.mark.parametrize(
    ("appointment_id", "body", "method", "status"),
    [
        (SINGLE, {"reason": "bye"}, "CANCEL", "CANCELLED"),  # a cancellation
        (  # removing one attendee: the appointment stays, with its new calendar
            GROUP,
            {"attendeeId": "b0000000-0000-4000-8000-000000000101", "reason": "bye"},
            "REQUEST",
            "CONFIRMED",
        ),
    ],
    ids=["cancellation", "attendee-removal"],
)
def test_the_read_back_renders_from_the_parts_kept_for_the_stored_record(
    monkeypatch: pytest.MonkeyPatch, appointment_id: str, body: dict[str, str], method: str, status: str
) -> None:
    """A cancellation (or an attendee's removal) keeps its parts for the record it stores, so the
    read that follows finds them; that text must be the one a fresh rendering of the stored record
    gives."""
    monkeypatch.setattr(store_module, "STRICT_RECORDS", False)
    client = Client(seeded_store())
    handlers._CALENDARS.clear()
    assert client.cancel(appointment_id, body).status == 200
    stored = client.store.transact(
        SESSION, lambda tx: tx.read("meetergo", handlers.APPOINTMENTS, appointment_id)
    )
    assert stored is not None and id(stored) in handlers._CALENDARS  # kept when it was stored
    read_back = client.get(appointment_id)
    assert read_back.status == 200 and isinstance(read_back.body, dict)
    text = read_back.body["ics"]
    assert f"METHOD:{method}\r\n" in text and f"STATUS:{status}\r\n" in text
    assert text.startswith(
        client.store.transact(SESSION, lambda tx: fresh(dict(stored), Records(tx, "meetergo")))
    )
    assert text == stored["ics"]  # the client's clock stands still: the stored text itself


def test_the_kept_calendars_are_bounded_and_the_oldest_go_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """Full, the cache drops its oldest entry for each one kept, not everything at once."""
    monkeypatch.setattr(handlers, "_CALENDARS", type(handlers._CALENDARS)())
    monkeypatch.setattr(handlers, "_CALENDARS_LIMIT", 2)
    appointments = [{"id": str(n)} for n in range(3)]
    for appointment in appointments:
        handlers._keep(appointment, None, ("head", "tail"))
    assert list(handlers._CALENDARS) == [id(appointments[1]), id(appointments[2])]
    assert all(handlers._CALENDARS[id(a)][0] is a for a in appointments[1:])
