"""The cancel rules on plain records."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from mockserver.core.errors import VendorError
from mockserver.core.store import Record
from mockserver.vendors.zoho import errors, rules
from tests.vendors.zoho.conftest import NOW

ADMIN: Record = {"id": "1", "name": "Admin", "email": "admin@zylker.com", "mails_left_today": 10}
TED = {"type": "email", "participant": "ted@zylker.com", "Email": "ted@zylker.com", "invited": True}
KRIS = {"type": "contact", "participant": "77", "Email": "kris@example.com", "invited": True}


def event(**changes: Any) -> Record:
    base: Record = {
        "id": "4876876000000000001",
        "Event_Title": "Review",
        "Start_DateTime": "2030-05-07T07:00:00Z",
        "End_DateTime": "2030-05-07T08:00:00Z",
        "Owner": {"id": "1", "name": "Admin"},
        "Participants": [TED, KRIS],
        "$event_cancelled": False,
        "$editable": True,
    }
    return {**base, **changes}


def refusal(record: Record, user: Record = ADMIN, send_mail: bool = False, now: Any = NOW) -> dict[str, Any]:
    with pytest.raises(VendorError) as caught:
        rules.cancel(record, user, send_mail, now)
    body = caught.value.reply.body
    assert isinstance(body, dict)
    return body["data"][0] if "data" in body else body


def test_cancel_marks_the_event_and_stamps_the_modifier() -> None:
    result = rules.cancel(event(), ADMIN, False, NOW)
    assert result.event["$event_cancelled"] is True
    assert result.event["Modified_By"] == {"name": "Admin", "id": "1"}
    assert result.event["Modified_Time"] == "2030-05-06T07:08:09+00:00"
    assert result.mail is None and result.user is None  # no mail: the user is unchanged


def test_cancel_with_mail_writes_to_every_participant_and_uses_the_quota() -> None:
    result = rules.cancel(event(), ADMIN, True, NOW)
    assert result.mail is not None
    assert result.mail["to"] == ["ted@zylker.com", "kris@example.com"]
    assert result.mail["event_id"] == "4876876000000000001"
    assert result.user is not None and result.user["mails_left_today"] == 8


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (event(**{"$event_cancelled": True}), errors.ALREADY_CANCELLED),
        (event(Participants=[]), errors.NO_PARTICIPANTS),
        (event(Participants=[{**TED, "invited": False}]), errors.NO_PARTICIPANTS),
        (event(End_DateTime="2030-05-06T07:08:08Z"), errors.AFTER_END),
    ],
)
def test_state_rules_answer_not_allowed(record: Record, message: str) -> None:
    found = refusal(record)
    assert (found["code"], found["message"], found["status"]) == ("NOT_ALLOWED", message, "error")
    assert found["details"] == {"id": "4876876000000000001"}


def test_a_meeting_may_be_cancelled_up_to_its_end_time() -> None:
    assert rules.cancel(event(End_DateTime="2030-05-06T07:08:09Z"), ADMIN, False, NOW).event[
        "$event_cancelled"
    ]
    assert refusal(event(End_DateTime="2030-05-06T07:08:09Z"), now=NOW + timedelta(seconds=1))["message"] == (
        errors.AFTER_END
    )


def test_end_times_with_offsets_are_compared_as_instants() -> None:
    # 12:38:08+05:30 is 07:08:08Z, one second before NOW.
    assert refusal(event(End_DateTime="2030-05-06T12:38:08+05:30"))["message"] == errors.AFTER_END


def test_the_documented_order_of_state_rules() -> None:
    everything_wrong = event(
        **{"$event_cancelled": True}, Participants=[], End_DateTime="2000-01-01T00:00:00Z"
    )
    assert refusal(everything_wrong)["message"] == errors.ALREADY_CANCELLED
    assert (
        refusal(event(Participants=[], End_DateTime="2000-01-01T00:00:00Z"))["message"]
        == errors.NO_PARTICIPANTS
    )


def test_permission_and_access_come_before_state() -> None:
    cancelled = event(**{"$event_cancelled": True})
    assert refusal(cancelled, {**ADMIN, "permissions": [rules.VIEW]})["code"] == "NO_PERMISSION"
    assert refusal({**cancelled, "$editable": False})["code"] == "CANNOT_PERFORM_ACTION"


def test_no_permission_names_the_missing_permission() -> None:
    found = refusal(event(), {**ADMIN, "permissions": [rules.VIEW, rules.CREATE]})
    assert found == {
        "code": "NO_PERMISSION",
        "details": {"permissions": [rules.CANCEL]},
        "message": errors.NO_PERMISSION,
        "status": "error",
    }


def test_users_with_private_sharing_act_only_on_their_own_records() -> None:
    own_only = {**ADMIN, "id": "2", "record_access": "own"}
    assert refusal(event(), own_only)["code"] == "CANNOT_PERFORM_ACTION"
    mine = event(Owner={"id": "2", "name": "Other"})
    assert rules.cancel(mine, own_only, False, NOW).event["$event_cancelled"] is True


def test_daily_limit_only_when_a_mail_is_sent() -> None:
    spent = {**ADMIN, "mails_left_today": 0}
    found = refusal(event(), spent, send_mail=True)
    assert (found["code"], found["message"]) == ("DAILY_LIMIT_EXCEEDED", errors.DAILY_LIMIT_EXCEEDED)
    assert rules.cancel(event(), spent, False, NOW).event["$event_cancelled"] is True


def test_daily_limit_counts_recipients() -> None:
    assert (
        refusal(event(), {**ADMIN, "mails_left_today": 1}, send_mail=True)["code"] == "DAILY_LIMIT_EXCEEDED"
    )


def test_mock_error_field_forces_that_error() -> None:
    with pytest.raises(VendorError) as caught:
        rules.cancel(event(**{"x-mock-error": "INTERNAL_ERROR"}), ADMIN, False, NOW)
    assert caught.value.reply.status == 500
    assert caught.value.reply.body == {
        "code": "INTERNAL_ERROR",
        "details": {},
        "message": "Internal Server Error",
        "status": "error",
    }
    assert refusal(event(**{"x-mock-error": "daily_limit_exceeded"}))["code"] == "DAILY_LIMIT_EXCEEDED"
    with pytest.raises(VendorError) as unknown:
        rules.cancel(event(**{"x-mock-error": "SOMETHING"}), ADMIN, False, NOW)
    assert unknown.value.reply.status == 500


def test_new_event_invites_only_with_send_notification() -> None:
    fields = {
        "Event_Title": "New",
        "Start_DateTime": "2030-06-01T10:00:00+05:30",
        "End_DateTime": "2030-06-01T11:00:00+05:30",
        "Participants": [{"type": "email", "participant": "a@b.c"}, {"type": "lead", "participant": "9"}],
        "$send_notification": True,
        "id": "ignored",
    }
    made = rules.new_event(fields, "4876876000002000000", ADMIN, NOW)
    assert made["id"] == "4876876000002000000"
    assert [p["invited"] for p in made["Participants"]] == [True, True]
    assert [p["Email"] for p in made["Participants"]] == ["a@b.c", None]
    assert made["$event_cancelled"] is False and "$send_notification" not in made
    assert made["Owner"] == {"name": "Admin", "id": "1", "email": "admin@zylker.com"}
    quiet = rules.new_event({**fields, "$send_notification": False}, "2", ADMIN, NOW)
    assert not rules.invited(quiet)


def test_next_id_is_above_every_numeric_id() -> None:
    assert rules.next_id([]) == str(rules.FIRST_NEW_ID)
    assert rules.next_id(["4876876000002000005", "abc", "12"]) == "4876876000002000006"


def test_shown_hides_mock_fields_and_writes_zoho_times() -> None:
    view = rules.shown(event(**{"x-mock-error": "INTERNAL_ERROR"}))
    assert "x-mock-error" not in view
    assert view["Start_DateTime"] == "2030-05-07T07:00:00+00:00"
    assert rules.shown(event(Start_DateTime="2030-05-07T07:00:00+05:30"))["Start_DateTime"].endswith("+05:30")


def test_event_ids_are_numeric() -> None:
    assert rules.is_event_id("4876876000001081142")
    assert not rules.is_event_id("48768760000010811420")
    assert not rules.is_event_id("abc")
    assert not rules.is_event_id("")
