from __future__ import annotations

import pytest
from openapi_schema_validator import OAS30Validator

from cancel_contracts import specs
from mockserver.core.errors import VendorError
from mockserver.core.store import Records
from mockserver.vendors.meetbit import auth
from tests.vendors.meetbit.conftest import Mock, make_call

NOT_FOUND = "Resource object does not exist."


def test_cancel_stores_the_note_and_the_canceller(mock: Mock) -> None:
    reply = mock.send(make_call(body={"cancel_note": "Moved to Friday."}))
    assert reply.status == 200
    assert reply.content_type == "application/json"
    assert reply.body["message"] == "Event canceled successfully."
    data = reply.body["data"]
    assert data["id"] == 2001 and data["calendar_id"] == 1001
    assert data["cancel_note"] == "Moved to Friday."
    assert data["canceled_by_id"] == 501
    assert data["canceled_by_type"] == "App\\Models\\Tenant\\User"
    assert data["deleted_at"] == data["updated_at"] == "2030-05-06T07:08:09Z"
    assert data["online_conference"]["id"] == 5001
    assert data["attendees"][1]["email"] == "jsmith@example.com"
    assert reply.headers == {"RateLimit-Limit": "60", "RateLimit-Remaining": "59", "RateLimit-Reset": "60"}
    assert mock.event(2001)["cancel_note"] == "Moved to Friday."


def test_cancel_records_the_webhook_and_the_mail(mock: Mock) -> None:
    mock.send(make_call(body={"cancel_note": "Moved."}))
    outbox = [(entry.kind, entry.payload) for entry in mock.store.outbox("s")]
    assert outbox == [
        ("webhook.events.deleted", {"id": 2001, "calendar_id": 1001}),
        (
            "mail.cancellation",
            {
                "to": ["jsmith@example.com"],
                "event_id": 2001,
                "calendar_id": 1001,
                "title": "Product demo with Acme",
                "start": "2030-05-08T07:08:09Z",
                "cancel_note": "Moved.",
            },
        ),
    ]


def test_mock_fields_are_never_shown(mock: Mock) -> None:
    with pytest.raises(VendorError):
        mock.send(make_call(event_id="2004", body={"cancel_note": "x"}))
    reply = mock.send(make_call("getEvent", event_id="2004"))
    assert reply.status == 200
    assert not [key for key in reply.body["data"] if key.startswith("x-mock-")]


def test_after_cancel_get_and_cancel_are_not_found(mock: Mock) -> None:
    assert mock.send(make_call("getEvent")).status == 200
    mock.send(make_call(body={"cancel_note": "first"}))
    for call in (make_call("getEvent"), make_call(body={"cancel_note": "second"})):
        with pytest.raises(VendorError) as caught:
            mock.send(call)
        assert (caught.value.reply.status, caught.value.reply.body) == (404, NOT_FOUND)
        assert caught.value.reply.headers["RateLimit-Limit"] == "60"
    assert mock.event(2001)["cancel_note"] == "first"


@pytest.mark.parametrize(
    ("calendar_id", "event_id"),
    [
        ("1001", "999999"),
        ("999999", "2001"),
        ("1002", "2001"),
        ("1001", "2003"),
        ("1001", "2002"),
        ("1001", "x"),
    ],
)
def test_not_found(mock: Mock, calendar_id: str, event_id: str) -> None:
    with pytest.raises(VendorError) as caught:
        mock.send(make_call(calendar_id=calendar_id, event_id=event_id, body={"cancel_note": "x"}))
    reply = caught.value.reply
    assert (reply.status, reply.body, reply.content_type) == (404, NOT_FOUND, "text/plain; charset=UTF-8")


def test_a_failed_cancel_changes_nothing(mock: Mock) -> None:
    before = mock.store.snapshot("s")
    with pytest.raises(VendorError) as caught:
        mock.send(make_call(event_id="2004", body={"cancel_note": "x"}))
    assert (caught.value.reply.status, caught.value.reply.body) == (500, "Server Error.")
    assert mock.store.snapshot("s") == before
    assert mock.store.outbox("s") == []


def test_rate_limited_event(mock: Mock) -> None:
    with pytest.raises(VendorError) as caught:
        mock.send(make_call(event_id="2005", body={"cancel_note": "x"}))
    reply = caught.value.reply
    assert (reply.status, reply.body) == (429, "Too many requests.")
    assert reply.headers == {
        "RateLimit-Limit": "60",
        "RateLimit-Remaining": "0",
        "RateLimit-Reset": "60",
        "Retry-After": "60",
    }


@pytest.mark.parametrize(
    ("headers", "status", "text"),
    [
        ({}, 401, "Invalid or missing access key."),
        ({"x-access-key-id": "mbk_default"}, 401, "Invalid or missing access key."),
        (
            {"x-access-key-id": "mbk_default", "x-access-key-secret": "wrong"},
            401,
            "Invalid or missing access key.",
        ),
        (
            {"x-access-key-id": "nope", "x-access-key-secret": "mbs_default_secret"},
            401,
            "Invalid or missing access key.",
        ),
        (
            {"x-access-key-id": "mbk_read_only", "x-access-key-secret": "mbs_read_only_secret"},
            401,
            "Access Denied.",
        ),
        (
            {"x-access-key-id": "mbk_rate_limited", "x-access-key-secret": "mbs_rate_limited_secret"},
            429,
            "Too many requests.",
        ),
    ],
)
def test_authentication_refusals(mock: Mock, headers: dict[str, str], status: int, text: str) -> None:
    call = make_call(headers=headers, body={"cancel_note": "x"})
    with pytest.raises(VendorError) as caught:
        mock.run(lambda records: auth.authenticate(call, records))
    assert (caught.value.reply.status, caught.value.reply.body) == (status, text)


def test_read_only_key_may_read(mock: Mock) -> None:
    headers = {"x-access-key-id": "mbk_read_only", "x-access-key-secret": "mbs_read_only_secret"}
    assert mock.send(make_call("getEvent", headers=headers)).status == 200


def test_events_wildcard_key_cancels_as_its_user(mock: Mock) -> None:
    headers = {"x-access-key-id": "mbk_events_all", "x-access-key-secret": "mbs_events_all_secret"}
    reply = mock.send(make_call(headers=headers, body={"cancel_note": "x"}))
    assert reply.body["data"]["canceled_by_id"] == 502


def test_unrouted_requests_are_not_authenticated(mock: Mock) -> None:
    call = make_call(operation_id="", headers={})

    def authenticate(records: Records) -> object:
        return auth.authenticate(call, records)

    assert mock.run(authenticate) is None


def test_replies_match_the_spec_schema(mock: Mock) -> None:
    spec = specs.load("meetbit")
    schema = spec["paths"]["/api/public/v2.0/calendars/{calendar_id}/events/{event_id}/cancel"]["post"]
    assert schema["responses"]["200"] == {"$ref": "#/components/responses/EventResponse"}
    response = spec["components"]["responses"]["EventResponse"]["content"]["application/json"]["schema"]
    validator = OAS30Validator({**response, "components": spec["components"]})
    for call in (make_call("getEvent"), make_call(body={"cancel_note": "x"})):
        reply = mock.send(call)
        assert reply.status == 200
        assert [error.message for error in validator.iter_errors(reply.body)] == []
