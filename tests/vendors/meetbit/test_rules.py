from __future__ import annotations

import pytest

from mockserver.core.errors import VendorError
from mockserver.vendors.meetbit import rules
from tests.vendors.meetbit.conftest import NOW


@pytest.mark.parametrize(
    ("granted", "needed", "allowed"),
    [
        (["events.delete.*"], "events.delete.*", True),
        (["events.*"], "events.delete.*", True),
        (["*"], "events.delete.*", True),
        (["events.read.*"], "events.delete.*", False),
        (["events.delete.12"], "events.delete.*", False),
        (["calendars.*"], "events.delete.*", False),
        ([], "events.delete.*", False),
    ],
)
def test_permitted(granted: list[str], needed: str, allowed: bool) -> None:
    assert rules.permitted(granted, needed) is allowed


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", 12), (" 7 ", 7), ("-5", None), ("1.5", None), ("abc", None), ("", None), ("١٢", None)],
)
def test_integer_id(text: str, expected: int | None) -> None:
    assert rules.integer_id(text) == expected


def _validation_message(value: object) -> str:
    with pytest.raises(VendorError) as caught:
        rules.note(value)
    reply = caught.value.reply
    assert reply.status == 400
    assert reply.content_type == "application/json"
    assert reply.body["errors"]["cancel_note"] == [reply.body["message"]]
    return str(reply.body["message"])


def test_note_rules() -> None:
    assert rules.note("  Moved to Friday.  ") == "Moved to Friday."
    assert rules.note("x" * 255) == "x" * 255
    assert _validation_message(None) == "The cancel_note field is required."
    assert _validation_message(" \t ") == "The cancel_note field is required."
    assert _validation_message(5) == "The cancel_note field must be a string."
    assert _validation_message("x" * 256) == "The cancel_note field must not be greater than 255 characters."


def test_cancel_stores_note_canceller_and_soft_deletes() -> None:
    event = {
        "id": 1,
        "calendar_id": 2,
        "title": "t",
        "deleted_at": None,
        "updated_at": "2020-01-01T00:00:00Z",
    }
    cancelled = rules.cancel(event, "note", 501, NOW)
    assert cancelled == {
        **event,
        "cancel_note": "note",
        "canceled_by_id": 501,
        "canceled_by_type": "App\\Models\\Tenant\\User",
        "deleted_at": "2030-05-06T07:08:09Z",
        "updated_at": "2030-05-06T07:08:09Z",
    }
    assert event["deleted_at"] is None  # the input is not mutated


def test_cancel_of_a_cancelled_event_is_not_found() -> None:
    with pytest.raises(VendorError) as caught:
        rules.cancel({"id": 1, "deleted_at": "2020-01-01T00:00:00Z"}, "n", 1, NOW)
    assert caught.value.reply.status == 404
    assert caught.value.reply.body == "Resource object does not exist."


@pytest.mark.parametrize(
    ("calendar", "event"),
    [
        (None, {"id": 1, "calendar_id": 10}),
        ({"id": 10}, None),
        ({"id": 10}, {"id": 1, "calendar_id": 11}),
        ({"id": 10}, {"id": 1, "calendar_id": 10, "deleted_at": "2020-01-01T00:00:00Z"}),
    ],
)
def test_locate_refuses_missing_foreign_and_deleted(calendar: dict | None, event: dict | None) -> None:  # type: ignore[type-arg]
    with pytest.raises(VendorError) as caught:
        rules.locate(calendar, event, 10)
    assert caught.value.reply.status == 404


def test_locate_finds_a_live_event_in_its_calendar() -> None:
    event = {"id": 1, "calendar_id": 10, "deleted_at": None}
    assert rules.locate({"id": 10}, event, 10) is event


def test_recipients_are_the_non_organizer_attendees() -> None:
    event = {
        "attendees": [
            {"email": "boss@example.com", "is_organizer": True},
            {"email": "a@example.com", "is_organizer": False},
            {"email": "b@example.com"},
        ]
    }
    assert rules.recipients(event) == ["a@example.com", "b@example.com"]
    assert rules.recipients({"attendees": None}) == []


@pytest.mark.parametrize(("marker", "status"), [("INTERNAL_ERROR", 500), ("RATE_LIMITED", 429)])
def test_mock_error(marker: str, status: int) -> None:
    with pytest.raises(VendorError) as caught:
        rules.mock_error({"x-mock-error": marker})
    assert caught.value.reply.status == status
    rules.mock_error({})  # no marker: no error


def test_note_is_trimmed_like_php_not_like_python() -> None:
    # Found by the conformance fuzzer: U+0085 passes the spec's `pattern: \S`, so it is a note.
    from mockserver.vendors.meetbit import rules

    assert rules.note("\u0085") == "\u0085"
    assert rules.note("  keep me \t\n") == "keep me"
