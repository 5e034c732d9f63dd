"""Handlers against a seeded store: state changes, outbox, atomicity."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from mockserver.vendors.zoho import errors
from tests.vendors.zoho.conftest import CANCELLABLE, SESSION, Client

NOT_ALLOWED_ENDED = "4876876000001081146"
MAIL_LIMIT_EVENT = "4876876000001081149"


def test_cancel_then_get_shows_the_cancellation(client: Client) -> None:
    reply = client.cancel(CANCELLABLE, send_mail=True)
    assert reply.status == 200
    assert reply.body == {
        "data": [
            {
                "code": "SUCCESS",
                "details": {"id": CANCELLABLE},
                "message": "The event is successfully cancelled",
                "status": "success",
            }
        ]
    }
    seen = client.get(CANCELLABLE)
    assert seen.status == 200
    record = seen.body["data"][0]
    assert record["$event_cancelled"] is True
    assert record["Modified_Time"] == "2030-05-06T07:08:09+00:00"
    assert record["Modified_By"] == {"name": "Patricia Boyle", "id": "4876876000000225013"}


def test_the_cancellation_mail_goes_to_the_outbox_and_uses_the_quota(client: Client) -> None:
    client.cancel(CANCELLABLE, send_mail=True)
    [entry] = client.store.outbox(SESSION)
    assert entry.kind == "mail.cancellation" and entry.vendor == "zoho"
    assert entry.payload["to"] == ["ted.watson@zylker.com", "kris.marrier@example.com"]
    assert entry.payload["from"] == "patricia.boyle@zylker.com"
    assert client.state("users")["4876876000000225013"]["mails_left_today"] == 498


def test_no_mail_no_outbox(client: Client) -> None:
    assert client.cancel(CANCELLABLE, send_mail=False).status == 200
    assert client.store.outbox(SESSION) == []
    assert client.state("users")["4876876000000225013"]["mails_left_today"] == 500


def test_a_refusal_changes_nothing(client: Client) -> None:
    before = client.state("events")
    reply = client.cancel(MAIL_LIMIT_EVENT, send_mail=True, token="1000.mock.zoho.mail_limit")
    assert reply.body["data"][0]["message"] == errors.DAILY_LIMIT_EXCEEDED
    assert client.state("events") == before
    assert client.store.outbox(SESSION) == []


def test_second_cancel_is_already_cancelled(client: Client) -> None:
    assert client.cancel(CANCELLABLE).status == 200
    again = client.cancel(CANCELLABLE)
    assert again.status == 400
    assert again.body["data"][0]["message"] == errors.ALREADY_CANCELLED


def test_ended_meeting(client: Client) -> None:
    assert client.cancel(NOT_ALLOWED_ENDED).body["data"][0]["message"] == errors.AFTER_END


def test_unknown_and_malformed_ids_are_invalid_data(client: Client) -> None:
    for event_id in ("4876876000009999999", "abc", "1" * 25):
        reply = client.cancel(event_id)
        assert reply.status == 400
        assert reply.body == {
            "data": [
                {
                    "code": "INVALID_DATA",
                    "details": {"id": event_id},
                    "message": "The id given seems to be invalid",
                    "status": "error",
                }
            ]
        }
    assert client.get("4876876000009999999").body["data"][0]["code"] == "INVALID_DATA"


def test_get_hides_mock_fields(client: Client) -> None:
    record = client.get("4876876000001081151").body["data"][0]
    assert "x-mock-error" not in record


def test_get_and_create_need_their_permissions(client: Client) -> None:
    user_id = "4876876000000225099"
    nobody: dict[str, Any] = {
        "id": user_id,
        "name": "No One",
        "email": "no.one@zylker.com",
        "permissions": [],
    }
    token: dict[str, Any] = {
        "token": "1000.test.nobody",
        "user_id": user_id,
        "scopes": ["ZohoCRM.Modules.ALL"],
    }
    client.store.add_records(
        SESSION, {"zoho": {"users": {user_id: nobody}, "tokens": {"1000.test.nobody": token}}}
    )
    seen = client.get(CANCELLABLE, token="1000.test.nobody")
    assert (seen.status, seen.body["data"][0]["details"]) == (
        400,
        {"permissions": ["Crm_Implied_View_Meetings"]},
    )
    body = {
        "data": [
            {
                "Event_Title": "x",
                "Start_DateTime": "2030-06-02T10:00:00Z",
                "End_DateTime": "2030-06-02T11:00:00Z",
            }
        ]
    }
    made = client.call("createMeeting", None, body, token="1000.test.nobody")
    assert made.body["data"][0]["details"] == {"permissions": ["Crm_Implied_Create_Meetings"]}
    assert client.cancel(CANCELLABLE, token="1000.test.nobody").body["data"][0]["code"] == "NO_PERMISSION"
    assert client.get(CANCELLABLE, token="1000.mock.zoho.no_permission").status == 200


def test_create_then_cancel(client: Client) -> None:
    body = {
        "data": [
            {
                "Event_Title": "Signing",
                "Start_DateTime": "2030-06-01T10:00:00+05:30",
                "End_DateTime": "2030-06-01T11:00:00+05:30",
                "Participants": [{"type": "email", "participant": "ted.watson@zylker.com"}],
                "$send_notification": True,
            },
            {
                "Event_Title": "Second",
                "Start_DateTime": "2030-06-02T10:00:00Z",
                "End_DateTime": "2030-06-02T11:00:00Z",
            },
        ]
    }
    created = client.call("createMeeting", None, body)
    assert created.status == 201
    first, second = created.body["data"]
    assert first["code"] == "SUCCESS" and first["message"] == "record added"
    assert set(first["details"]) == {"Modified_Time", "Modified_By", "Created_Time", "id", "Created_By"}
    assert int(second["details"]["id"]) == int(first["details"]["id"]) + 1
    assert client.cancel(first["details"]["id"]).status == 200
    assert client.cancel(second["details"]["id"]).body["data"][0]["message"] == errors.NO_PARTICIPANTS
    kinds = [entry.kind for entry in client.store.outbox(SESSION)]
    assert kinds == ["mail.invitation"]


def test_create_needs_the_create_permission(client: Client) -> None:
    body = {
        "data": [
            {
                "Event_Title": "x",
                "Start_DateTime": "2030-06-02T10:00:00Z",
                "End_DateTime": "2030-06-02T11:00:00Z",
            }
        ]
    }
    assert client.call("createMeeting", None, body, token="1000.mock.zoho.mail_limit").status == 201
    assert client.call("createMeeting", None, body, token="1000.mock.zoho.events_update").status == 401


def test_concurrent_cancels_succeed_once(client: Client) -> None:
    with ThreadPoolExecutor(max_workers=16) as pool:
        replies = list(pool.map(lambda _i: client.cancel(CANCELLABLE), range(100)))
    statuses = sorted(reply.status for reply in replies)
    assert statuses.count(200) == 1
    assert all(
        reply.body["data"][0]["message"] == errors.ALREADY_CANCELLED
        for reply in replies
        if reply.status == 400
    )
