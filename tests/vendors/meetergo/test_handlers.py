from __future__ import annotations

import threading
from typing import Any

import pytest
import yaml
from openapi_schema_validator import OAS30Validator

from cancel_contracts import specs
from mockserver.vendors.meetergo import ics
from tests.vendors.meetergo.conftest import ADMIN, API_KEY, GROUP, HOST, SERIES, SINGLE, Client

SPEC = specs.load("meetergo")
APPOINTMENT = OAS30Validator({"$ref": "#/components/schemas/Appointment", "components": SPEC["components"]})
ERROR = OAS30Validator({"$ref": "#/components/schemas/Error", "components": SPEC["components"]})
USER_HEADER = "x-meetergo-api-user-id"


def lines(text: str) -> list[str]:
    return ics.unfold(text)


def assert_valid(reply_body: Any, status: int) -> None:
    validator = APPOINTMENT if status == 200 else ERROR
    problems = [error.message for error in validator.iter_errors(reply_body)]
    assert problems == []
    assert not any(key.startswith("x-mock-") for key in reply_body)


def test_cancel_returns_the_cancelled_appointment_with_an_ics_cancellation(client: Client) -> None:
    reply = client.cancel(SINGLE, {"reason": "Schedule conflict"})
    assert reply.status == 200
    assert_valid(reply.body, 200)
    assert reply.body["isCancelled"] is True
    assert reply.body["cancel"] == {
        "actionSource": "host",
        "actionAt": "2030-05-06T07:08:09Z",
        "actionBy": HOST,
        "reason": "Schedule conflict",
    }
    calendar = lines(reply.body["ics"])
    assert reply.body["ics"].endswith("\r\n")
    for expected in (
        "METHOD:CANCEL",
        "STATUS:CANCELLED",
        f"UID:{SINGLE}@meetergo.com",
        "SEQUENCE:1",
        "DTSTART:20300507T070809Z",
        "DTEND:20300507T073809Z",
        "ORGANIZER;CN=Hanna Host:mailto:hanna.host@example.com",
        "ATTENDEE;CN=Alex Attendee;ROLE=REQ-PARTICIPANT:mailto:alex.attendee@example.com",
        "COMMENT:Schedule conflict",
    ):
        assert expected in calendar


def test_cancel_is_stored_and_get_shows_it(client: Client) -> None:
    client.cancel(SINGLE, {"reason": "Double booked"})
    record = client.record(SINGLE)
    assert record["isCancelled"] is True and record["x-mock-sequence"] == 1
    reply = client.get(SINGLE)
    assert reply.status == 200
    assert_valid(reply.body, 200)
    assert reply.body["cancel"]["reason"] == "Double booked"
    assert "METHOD:CANCEL" in lines(reply.body["ics"])


def test_get_of_an_active_appointment_is_an_ics_request(client: Client) -> None:
    reply = client.get(SINGLE)
    assert reply.status == 200
    assert_valid(reply.body, 200)
    assert {"METHOD:REQUEST", "STATUS:CONFIRMED", "SEQUENCE:0"} <= set(lines(reply.body["ics"]))


def test_cancel_notifies_attendees_and_hosts_and_fires_the_webhook(client: Client) -> None:
    reply = client.cancel(SINGLE, {"reason": "Sick"})
    mail, webhook = client.outbox()
    assert mail.kind == "mail.cancellation"
    assert mail.payload["recipients"] == ["alex.attendee@example.com", "hanna.host@example.com"]
    assert mail.payload["reason"] == "Sick"
    assert mail.payload["ics"] == reply.body["ics"]
    assert webhook.kind == "webhook.booking_cancelled"
    assert webhook.payload["event"] == "booking_cancelled"
    assert webhook.payload["appointment"]["id"] == SINGLE
    assert not any(key.startswith("x-mock-") for key in webhook.payload["appointment"])


def test_a_second_cancel_is_refused_and_changes_nothing(client: Client) -> None:
    assert client.cancel(SINGLE, {"reason": "first"}).status == 200
    before = client.record(SINGLE)
    reply = client.cancel(SINGLE, {"reason": "second"})
    assert reply.status == 400
    assert reply.body == {
        "statusCode": 400,
        "message": "Appointment is already cancelled",
        "error": "Bad Request",
    }
    assert client.record(SINGLE) == before
    assert len(client.outbox()) == 2


def test_a_group_booking_needs_a_target(client: Client) -> None:
    reply = client.cancel(GROUP, {"reason": "x"})
    assert reply.status == 400
    assert_valid(reply.body, 400)
    assert client.record(GROUP)["isCancelled"] is False
    assert client.outbox() == []


def test_removing_one_attendee_keeps_the_appointment_for_the_others(client: Client) -> None:
    removed = "b0000000-0000-4000-8000-000000000101"
    reply = client.cancel(GROUP, {"attendeeId": removed, "reason": "Cannot attend"})
    assert reply.status == 200
    assert_valid(reply.body, 200)
    assert reply.body["isCancelled"] is False
    assert removed not in reply.body["attendeeIds"]
    assert [a["id"] for a in reply.body["attendees"]] == [
        "b0000000-0000-4000-8000-000000000102",
        "b0000000-0000-4000-8000-000000000103",
    ]
    calendar = lines(reply.body["ics"])
    assert "METHOD:CANCEL" in calendar
    assert not any(line.startswith("STATUS") for line in calendar)  # RFC 5546: uninvite has no STATUS
    attendees = [line for line in calendar if line.startswith("ATTENDEE")]
    assert [line.rsplit(":", 1)[1] for line in attendees] == [
        "gina.group@example.com",
        "gina.colleague@example.com",
    ]
    mail = client.outbox()[0]
    assert mail.payload["recipients"] == ["gina.group@example.com", "gina.colleague@example.com"]
    assert mail.payload["reason"] == "Cannot attend"
    after = client.get(GROUP).body
    assert after["isCancelled"] is False and len(after["attendees"]) == 2
    get_calendar = lines(after["ics"])
    assert "METHOD:REQUEST" in get_calendar and "SEQUENCE:1" in get_calendar


def test_cancel_all_cancels_the_group_booking_for_everyone(client: Client) -> None:
    reply = client.cancel("a0000000-0000-4000-8000-000000000011", {"cancelAll": True})
    assert reply.status == 200 and reply.body["isCancelled"] is True
    assert len(client.outbox()[0].payload["recipients"]) == 5  # 3 attendees, 1 bring-along, 1 host


def test_cancel_entire_series_cancels_this_and_later_occurrences(client: Client) -> None:
    _earlier, this, later, last = SERIES
    reply = client.cancel(this, {"cancelEntireSeries": True, "reason": "Series ended"})
    assert reply.status == 200 and reply.body["id"] == this
    assert [client.record(i)["isCancelled"] for i in SERIES] == [False, True, True, True]
    assert client.record(last)["cancel"]["reason"] == "Series ended"
    cancelled = [
        entry.payload["appointmentId"] for entry in client.outbox() if entry.kind == "mail.cancellation"
    ]
    assert cancelled == [this, later, last]


def test_without_cancel_entire_series_only_this_occurrence_is_cancelled(client: Client) -> None:
    client.cancel(SERIES[1], {"cancelEntireSeries": False})
    assert [client.record(i)["isCancelled"] for i in SERIES] == [False, True, False, False]


@pytest.mark.parametrize(
    ("appointment_id", "status"),
    [
        ("a0000000-0000-4000-8000-000000000040", 500),
        ("a0000000-0000-4000-8000-000000000041", 502),
        ("a0000000-0000-4000-8000-000000000042", 503),
        ("a0000000-0000-4000-8000-000000000043", 429),
        ("a0000000-0000-4000-8000-000000000050", 403),
        ("a0000000-0000-4000-8000-000000000060", 404),
        ("a0000000-0000-4000-8000-00000000ffff", 404),
        ("a0000000-0000-4000-8000-000000000030", 400),
    ],
)
def test_fixture_records_provoke_each_error(client: Client, appointment_id: str, status: int) -> None:
    reply = client.cancel(appointment_id, {})
    assert reply.status == status
    assert_valid(reply.body, status)
    assert client.outbox() == []
    if status == 429:
        assert reply.headers["Retry-After"] == "60"


def test_a_member_who_is_not_a_host_is_forbidden_but_an_admin_may(client: Client) -> None:
    assert client.cancel(SINGLE, {}, {"authorization": "Bearer pat_mock_max_member"}).status == 403
    reply = client.cancel(SINGLE, {}, {"authorization": f"Bearer {API_KEY}", USER_HEADER: ADMIN})
    assert reply.status == 200 and reply.body["cancel"]["actionBy"] == ADMIN


def test_company_two_cancels_its_own_appointment(client: Client) -> None:
    headers = {
        "authorization": "Bearer ak_live:00000000-0000-4000-8000-000000000004:othercompany",
        USER_HEADER: "0a000000-0000-4000-8000-000000000004",
    }
    assert client.cancel("a0000000-0000-4000-8000-000000000050", {}, headers).status == 200


def test_an_accept_header_without_json_is_not_acceptable(client: Client) -> None:
    headers = {"authorization": f"Bearer {API_KEY}", USER_HEADER: HOST, "accept": "text/html"}
    reply = client.cancel(SINGLE, {}, headers)
    assert reply.status == 406 and reply.body["error"] == "Not Acceptable"
    ok = {"authorization": f"Bearer {API_KEY}", USER_HEADER: HOST, "accept": "application/json, text/plain"}
    assert client.get(SINGLE, ok).status == 200


@pytest.mark.parametrize("raw", [b"", b"{}", "{}"])
def test_raw_json_bodies_are_decoded(client: Client, raw: Any) -> None:
    assert client.cancel(SINGLE, raw).status == 200


def test_concurrent_cancels_succeed_exactly_once(client: Client) -> None:
    statuses: list[int] = []
    lock = threading.Lock()

    def cancel() -> None:
        status = client.cancel(SINGLE, {"reason": "race"}).status
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=cancel) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] + [400] * 49
    assert len(client.outbox()) == 2


def test_every_default_fixture_record_is_a_valid_appointment() -> None:
    from mockserver.vendors.meetergo import VENDOR

    document = yaml.safe_load(VENDOR.fixtures.read_text(encoding="utf-8"))
    records = document["meetergo"]["appointments"]
    assert len({record["id"] for record in records}) == len(records)
    for record in records:
        visible = {k: v for k, v in record.items() if not k.startswith("x-mock-")}
        assert [error.message for error in APPOINTMENT.iter_errors(visible)] == []
