from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from mockserver.core.errors import VendorError
from mockserver.vendors.meetergo import rules

NOW = datetime(2030, 5, 6, 7, 8, 9, tzinfo=UTC)
ATTENDEE = "b0000000-0000-4000-8000-000000000101"


def appointment(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "a1",
        "isCancelled": False,
        "cancel": {},
        "meetingInfo": {"groupBooking": False},
        "attendees": [{"id": ATTENDEE, "email": "a@example.com"}],
        "attendeeIds": [ATTENDEE],
        "hostIds": ["host"],
        "companyId": "c1",
        "start": "2030-05-07T10:00:00Z",
        "end": "2030-05-07T10:30:00Z",
        "updatedAt": "2030-05-01T00:00:00Z",
    }
    return {**base, **overrides}


def group(**overrides: Any) -> dict[str, Any]:
    attendees = [{"id": f"b{n}", "email": f"g{n}@example.com"} for n in (1, 2, 3)]
    defaults: dict[str, Any] = {"attendees": attendees, "attendeeIds": [a["id"] for a in attendees]}
    return appointment(meetingInfo={"groupBooking": True}, **{**defaults, **overrides})


def refusal(error: pytest.ExceptionInfo[VendorError]) -> tuple[int, Any]:
    return error.value.reply.status, error.value.reply.body


# --- parse_command ---------------------------------------------------------------------------------


@pytest.mark.parametrize("body", [None, {}])
def test_an_absent_or_empty_body_is_a_plain_cancel(body: Any) -> None:
    assert rules.parse_command(body) == rules.CancelCommand()


def test_the_documented_example_body_parses() -> None:
    command = rules.parse_command(
        {
            "reason": "Schedule conflict",
            "attendeeId": "3c90c3cc-0d44-4b50-8888-8dd25736052a",
            "cancelAll": False,
            "cancelEntireSeries": True,
        }
    )
    assert command == rules.CancelCommand(
        "Schedule conflict", "3c90c3cc-0d44-4b50-8888-8dd25736052a", False, True
    )


def test_a_reason_of_500_characters_is_accepted_and_501_refused() -> None:
    assert rules.parse_command({"reason": "r" * 500}).reason == "r" * 500
    with pytest.raises(VendorError) as refused:
        rules.parse_command({"reason": "r" * 501})
    assert refusal(refused) == (
        400,
        {
            "statusCode": 400,
            "message": "Validation failed",
            "error": "Bad Request",
            "errors": [
                {"field": "reason", "message": "reason must be shorter than or equal to 500 characters"}
            ],
        },
    )


def test_every_invalid_field_is_reported_at_once() -> None:
    with pytest.raises(VendorError) as refused:
        rules.parse_command({"reason": 5, "attendeeId": "nope", "cancelAll": "yes", "cancelEntireSeries": 1})
    _status, body = refusal(refused)
    assert body["errors"] == [
        {"field": "reason", "message": "reason must be a string"},
        {"field": "attendeeId", "message": "attendeeId must be a UUID"},
        {"field": "cancelAll", "message": "cancelAll must be a boolean value"},
        {"field": "cancelEntireSeries", "message": "cancelEntireSeries must be a boolean value"},
    ]


@pytest.mark.parametrize("body", [[], "text", 3])
def test_a_body_that_is_not_an_object_fails_validation(body: Any) -> None:
    with pytest.raises(VendorError) as refused:
        rules.parse_command(body)
    assert refusal(refused)[1]["message"] == "Validation failed"


# --- cancel ----------------------------------------------------------------------------------------


def test_a_one_to_one_appointment_is_cancelled_with_the_details() -> None:
    outcome = rules.cancel(appointment(), rules.CancelCommand(reason="Sick"), "host", NOW)
    record = outcome.appointment
    assert outcome.cancelled and outcome.removed is None
    assert record["cancel"] == {
        "actionSource": "host",
        "actionAt": "2030-05-06T07:08:09Z",
        "actionBy": "host",
        "reason": "Sick",
    }
    assert record["updatedAt"] == "2030-05-06T07:08:09Z"
    assert record[rules.SEQUENCE] == 1
    assert record["attendeeIds"] == [ATTENDEE]


def test_without_a_reason_the_cancel_details_carry_none() -> None:
    record = rules.cancel(appointment(), rules.CancelCommand(), "host", NOW).appointment
    assert "reason" not in record["cancel"]


def test_cancel_all_and_attendee_id_are_ignored_for_non_group_bookings() -> None:
    command = rules.CancelCommand(attendee_id="3c90c3cc-0d44-4b50-8888-8dd25736052a", cancel_all=False)
    outcome = rules.cancel(appointment(), command, "host", NOW)
    assert outcome.cancelled and outcome.removed is None


def test_an_already_cancelled_appointment_is_refused() -> None:
    with pytest.raises(VendorError) as refused:
        rules.cancel(appointment(isCancelled=True), rules.CancelCommand(), "host", NOW)
    assert refusal(refused) == (
        400,
        {"statusCode": 400, "message": "Appointment is already cancelled", "error": "Bad Request"},
    )


def test_a_group_booking_without_a_target_is_refused() -> None:
    with pytest.raises(VendorError) as refused:
        rules.cancel(group(), rules.CancelCommand(reason="x"), "host", NOW)
    status, body = refusal(refused)
    assert status == 400
    assert body["message"].startswith("For group bookings, provide attendeeId")


def test_attendee_id_removes_one_attendee_and_keeps_the_appointment() -> None:
    outcome = rules.cancel(group(), rules.CancelCommand(attendee_id="b2"), "host", NOW)
    assert not outcome.cancelled
    assert outcome.removed == {"id": "b2", "email": "g2@example.com"}
    assert outcome.appointment["attendeeIds"] == ["b1", "b3"]
    assert [a["id"] for a in outcome.appointment["attendees"]] == ["b1", "b3"]
    assert outcome.appointment["cancel"] == {}
    assert outcome.appointment[rules.SEQUENCE] == 1


def test_attendee_id_wins_over_cancel_all() -> None:
    outcome = rules.cancel(group(), rules.CancelCommand(attendee_id="b1", cancel_all=True), "host", NOW)
    assert not outcome.cancelled


def test_an_unknown_attendee_is_not_found() -> None:
    with pytest.raises(VendorError) as refused:
        rules.cancel(group(), rules.CancelCommand(attendee_id="b9"), "host", NOW)
    assert refusal(refused) == (
        404,
        {"statusCode": 404, "message": "Attendee not found", "error": "Not Found"},
    )


def test_removing_the_last_attendee_cancels_the_appointment() -> None:
    lonely = group(attendees=[{"id": "b1"}], attendeeIds=["b1"])
    outcome = rules.cancel(lonely, rules.CancelCommand(attendee_id="b1", reason="r"), "host", NOW)
    assert outcome.cancelled
    assert outcome.appointment["cancel"]["reason"] == "r"
    assert outcome.appointment[rules.SEQUENCE] == 1


def test_cancel_all_cancels_the_whole_group_booking() -> None:
    outcome = rules.cancel(group(), rules.CancelCommand(cancel_all=True), "host", NOW)
    assert outcome.cancelled
    assert outcome.appointment["attendeeIds"] == ["b1", "b2", "b3"]


# --- series ----------------------------------------------------------------------------------------


def test_future_occurrences_are_the_later_active_members_of_the_series() -> None:
    def member(ident: str, start: str, **extra: Any) -> dict[str, Any]:
        return appointment(id=ident, start=start, **{rules.SERIES: "s"}, **extra)

    this = member("this", "2030-05-10T10:00:00Z")
    others = [
        this,
        member("later2", "2030-05-24T10:00:00Z"),
        member("earlier", "2030-05-03T10:00:00Z"),
        member("later1", "2030-05-17T10:00:00Z"),
        member("cancelled", "2030-05-31T10:00:00Z", isCancelled=True),
        member("deleted", "2030-06-07T10:00:00Z", deletedAt="2030-05-01T00:00:00Z"),
        member("foreign", "2030-06-14T10:00:00Z", companyId="c2"),
        appointment(id="other-series", start="2030-06-21T10:00:00Z", **{rules.SERIES: "t"}),
        appointment(id="no-series", start="2030-06-28T10:00:00Z"),
    ]
    assert [o["id"] for o in rules.future_occurrences(this, others)] == ["later1", "later2"]


def test_an_appointment_outside_a_series_has_no_future_occurrences() -> None:
    assert rules.future_occurrences(appointment(), [appointment(id="x")]) == []


# --- access ----------------------------------------------------------------------------------------


def test_hosts_and_admins_may_cancel_others_may_not() -> None:
    rules.check_access(appointment(), "host", "c1", "member")
    rules.check_access(appointment(), "someone", "c1", "admin")
    for user, company, role in (("someone", "c1", "member"), ("host", "c2", "admin")):
        with pytest.raises(VendorError) as refused:
            rules.check_access(appointment(), user, company, role)
        assert refusal(refused) == (
            403,
            {"statusCode": 403, "message": "Forbidden resource", "error": "Forbidden"},
        )


def test_a_missing_or_deleted_appointment_is_not_found() -> None:
    for record in (None, appointment(deletedAt="2030-01-01T00:00:00Z")):
        with pytest.raises(VendorError) as refused:
            rules.visible(record)
        assert refusal(refused)[0] == 404
    assert rules.visible(appointment())["id"] == "a1"


@pytest.mark.parametrize(
    ("mock_error", "status"),
    [("INTERNAL_ERROR", 500), ("BAD_GATEWAY", 502), ("SERVICE_UNAVAILABLE", 503), ("RATE_LIMITED", 429)],
)
def test_x_mock_error_fails_the_cancel(mock_error: str, status: int) -> None:
    with pytest.raises(VendorError) as refused:
        rules.check_mock_error(appointment(**{"x-mock-error": mock_error}))
    assert refused.value.reply.status == status
