"""Graph operations end to end below HTTP: what each answer does to the mailboxes and the outbox."""

from __future__ import annotations

import pytest

from tests.vendors.graph.conftest import (
    ADELE,
    ADELE_TOKEN,
    ALEX,
    ALEX_TOKEN,
    APP_TOKEN,
    GROUP,
    Graph,
    error_of,
)

NOT_ORGANIZER = "Your request can't be completed. You need to be an organizer to cancel a meeting."
NOT_FOUND = (404, "ErrorItemNotFound", "The specified object was not found in the store.")
SYNC, ALEX_SYNC, MEGAN_SYNC = "AAMkAdeleSync=", "AAMkAlexSync=", "AAMkMeganSync="


def test_the_organizer_cancels_a_meeting(graph: Graph) -> None:
    reply = graph.call("me.events.cancel", {"comment": "Cancelling for this week"}, event_id=SYNC)
    assert (reply.status, reply.body, reply.content_type) == (202, None, None)
    assert reply.headers["request-id"] == reply.headers["client-request-id"]
    assert SYNC not in graph.records("events")
    moved = graph.records("deleted_items")[SYNC]
    assert moved["isCancelled"] is True and moved["x-mock-deleted-by"] == "cancel"
    assert error_of(graph.call("me.events.get", event_id=SYNC)) == NOT_FOUND


def test_attendee_copies_are_cancelled_and_the_mail_carries_the_comment(graph: Graph) -> None:
    assert graph.call("me.events.cancel", {"Comment": "All hands instead"}, event_id=SYNC).status == 202
    for copy_id in (ALEX_SYNC, MEGAN_SYNC):
        copy = graph.event(copy_id)
        assert copy["isCancelled"] is True
        assert copy["subject"] == "Canceled: Quarterly sync"
        assert copy["isOrganizer"] is False
    [mail] = graph.outbox()
    assert mail["kind"] == "mail.cancellation"
    payload = mail["payload"]
    assert payload["comment"] == "All hands instead"
    assert payload["eventId"] == SYNC
    assert payload["from"]["address"] == "AdeleV@contoso.com"
    assert [to["address"] for to in payload["to"]] == ["AlexW@contoso.com", "MeganB@contoso.com"]
    seen = graph.call("me.events.get", token=ALEX_TOKEN, event_id=ALEX_SYNC)
    assert seen.status == 200 and seen.body["isCancelled"] is True
    assert seen.body["@odata.context"].endswith(f"users('{ALEX}')/events/$entity")


@pytest.mark.parametrize("body", [None, {}, {"comment": None}, {"COMMENT": "any casing below HTTP"}])
def test_the_comment_is_optional_and_case_insensitive(graph: Graph, body: object) -> None:
    assert graph.call("me.events.cancel", body, event_id=SYNC).status == 202
    expected = body.get("COMMENT") if isinstance(body, dict) else None
    assert graph.outbox()[0]["payload"]["comment"] == expected


def test_an_attendee_cannot_cancel(graph: Graph) -> None:
    reply = graph.call("me.events.cancel", {}, token=ALEX_TOKEN, event_id=ALEX_SYNC)
    assert error_of(reply) == (400, "ErrorInvalidRequest", NOT_ORGANIZER)
    assert graph.event(ALEX_SYNC)["isCancelled"] is False
    assert graph.event(SYNC)["isCancelled"] is False
    assert graph.outbox() == []


def test_a_second_cancel_is_not_found_and_changes_nothing(graph: Graph) -> None:
    assert graph.call("me.events.cancel", {}, event_id=SYNC).status == 202
    before = graph.records("deleted_items")[SYNC]
    assert error_of(graph.call("me.events.cancel", {}, event_id=SYNC)) == NOT_FOUND
    assert graph.records("deleted_items")[SYNC] == before
    assert len(graph.outbox()) == 1


def test_cancelling_an_occurrence_keeps_the_series(graph: Graph) -> None:
    assert graph.call("me.events.cancel", {}, event_id="AAMkAdeleWeekly-1=").status == 202
    assert "AAMkAdeleWeekly-1=" in graph.records("deleted_items")
    assert graph.event("AAMkAdeleWeekly=")["isCancelled"] is False
    assert graph.event("AAMkAdeleWeekly-2=")["isCancelled"] is False
    assert graph.event("AAMkAlexWeekly-1=")["isCancelled"] is True
    assert graph.event("AAMkAlexWeekly=")["isCancelled"] is False
    assert graph.event("AAMkAlexWeekly-2=")["isCancelled"] is False
    [mail] = graph.outbox()
    assert mail["payload"]["type"] == "occurrence"


def test_cancelling_a_series_master_cancels_every_occurrence(graph: Graph) -> None:
    assert graph.call("me.events.cancel", {}, event_id="AAMkAdeleWeekly=").status == 202
    deleted = graph.records("deleted_items")
    assert {"AAMkAdeleWeekly=", "AAMkAdeleWeekly-1=", "AAMkAdeleWeekly-2="} <= set(deleted)
    for copy in ("AAMkAlexWeekly=", "AAMkAlexWeekly-1=", "AAMkAlexWeekly-2="):
        assert graph.event(copy)["isCancelled"] is True
    assert len(graph.outbox()) == 1


def test_a_meeting_without_attendees_sends_no_mail(graph: Graph) -> None:
    assert graph.call("me.events.cancel", {}, event_id="AAMkAdeleFocus=").status == 202
    assert "AAMkAdeleFocus=" in graph.records("deleted_items")
    assert graph.outbox() == []


@pytest.mark.parametrize(
    ("operation_id", "params"),
    [
        ("users.events.cancel", {"user_id": ADELE}),
        ("users.events.cancel", {"user_id": "adelev@contoso.com"}),
        ("me.calendar.events.cancel", {}),
        ("users.calendar.events.cancel", {"user_id": ADELE}),
    ],
)
def test_every_user_form_cancels_a_default_calendar_event(
    graph: Graph, operation_id: str, params: dict[str, str]
) -> None:
    assert graph.call(operation_id, {}, event_id=SYNC, **params).status == 202
    assert SYNC in graph.records("deleted_items")


@pytest.mark.parametrize(
    ("operation_id", "params"),
    [
        ("me.calendars.events.cancel", {}),
        ("users.calendars.events.cancel", {"user_id": ADELE}),
        ("me.calendarGroups.calendars.events.cancel", {"calendarGroup_id": "AAMkAdeleProjectsGroup="}),
        (
            "users.calendarGroups.calendars.events.cancel",
            {"user_id": ADELE, "calendarGroup_id": "AAMkAdeleProjectsGroup="},
        ),
    ],
)
def test_calendar_forms_cancel_an_event_of_that_calendar(
    graph: Graph, operation_id: str, params: dict[str, str]
) -> None:
    reply = graph.call(
        operation_id, {}, event_id="AAMkAdeleRoadmap=", calendar_id="AAMkAdeleProjectsCalendar=", **params
    )
    assert reply.status == 202
    assert graph.event("AAMkAlexRoadmap=")["isCancelled"] is True


def test_calendar_forms_refuse_an_event_of_another_calendar(graph: Graph) -> None:
    in_projects = graph.call("me.calendar.events.cancel", {}, event_id="AAMkAdeleRoadmap=")
    assert error_of(in_projects) == NOT_FOUND
    wrong_group = graph.call(
        "me.calendarGroups.calendars.events.cancel",
        {},
        event_id="AAMkAdeleRoadmap=",
        calendar_id="AAMkAdeleProjectsCalendar=",
        calendarGroup_id="AAMkAdeleMyCalendars=",
    )
    assert error_of(wrong_group) == NOT_FOUND
    unknown_calendar = graph.call(
        "me.calendars.events.cancel", {}, event_id="AAMkAdeleRoadmap=", calendar_id="AAMkNoCalendar="
    )
    assert error_of(unknown_calendar) == NOT_FOUND
    assert graph.event("AAMkAdeleRoadmap=")["isCancelled"] is False


@pytest.mark.parametrize("operation_id", ["groups.events.cancel", "groups.calendar.events.cancel"])
def test_group_members_cancel_group_events(graph: Graph, operation_id: str) -> None:
    assert graph.call(operation_id, {}, group_id=GROUP, event_id="AAMkHRAllHands=").status == 202
    [mail] = graph.outbox()
    assert mail["payload"]["from"]["address"] == "HRTaskforce@contoso.com"


def test_group_calendars_refuse_outsiders_and_application_tokens(graph: Graph) -> None:
    megan = graph.call(
        "groups.events.cancel", {}, token="mock.megan.readwrite", group_id=GROUP, event_id="AAMkHRAllHands="
    )
    assert error_of(megan)[:2] == (403, "ErrorAccessDenied")
    app = graph.call("groups.events.cancel", {}, token=APP_TOKEN, group_id=GROUP, event_id="AAMkHRAllHands=")
    assert error_of(app)[:2] == (403, "ErrorAccessDenied")
    unknown = graph.call("groups.events.cancel", {}, group_id="nope", event_id="AAMkHRAllHands=")
    assert error_of(unknown)[:2] == (404, "Request_ResourceNotFound")


def test_application_tokens_reach_users_but_not_me(graph: Graph) -> None:
    me = graph.call("me.events.cancel", {}, token=APP_TOKEN, event_id=SYNC)
    assert error_of(me) == (
        400,
        "BadRequest",
        "/me request is only valid with delegated authentication flow.",
    )
    assert graph.call("users.events.cancel", {}, token=APP_TOKEN, user_id=ADELE, event_id=SYNC).status == 202


def test_a_delegated_token_cannot_reach_another_mailbox(graph: Graph) -> None:
    reply = graph.call("users.events.cancel", {}, token=ALEX_TOKEN, user_id=ADELE, event_id=SYNC)
    assert error_of(reply)[:2] == (403, "ErrorAccessDenied")
    unknown = graph.call(
        "users.events.cancel", {}, token=APP_TOKEN, user_id="nobody@contoso.com", event_id=SYNC
    )
    assert error_of(unknown) == (
        404,
        "ErrorInvalidUser",
        "The requested user 'nobody@contoso.com' is invalid.",
    )


def test_an_event_is_only_found_in_its_own_mailbox(graph: Graph) -> None:
    assert error_of(graph.call("me.events.cancel", {}, event_id=ALEX_SYNC)) == NOT_FOUND
    assert error_of(graph.call("me.events.get", event_id=ALEX_SYNC)) == NOT_FOUND


@pytest.mark.parametrize(
    ("event_id", "status", "code", "retry_after"),
    [
        ("AAMkAdeleThrottled=", 429, "ApplicationThrottled", "30"),
        ("AAMkAdeleBroken=", 500, "generalException", None),
        ("AAMkAdeleUnavailable=", 503, "ServiceNotAvailable", "120"),
    ],
)
def test_mock_errors_fail_the_cancel_and_change_nothing(
    graph: Graph, event_id: str, status: int, code: str, retry_after: str | None
) -> None:
    reply = graph.call("me.events.cancel", {}, event_id=event_id)
    assert error_of(reply)[:2] == (status, code)
    assert reply.headers.get("Retry-After") == retry_after
    assert graph.event(event_id)["isCancelled"] is False
    assert graph.outbox() == []


def test_error_bodies_echo_the_client_request_id(graph: Graph) -> None:
    reply = graph.call("me.events.cancel", {}, headers={"client-request-id": "abc-123"}, event_id="nope")
    inner = reply.body["error"]["innerError"]
    assert inner["client-request-id"] == "abc-123" == reply.headers["client-request-id"]
    assert inner["request-id"] != "abc-123" and inner["date"].endswith("Z")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"reason": "x"},
            "The parameter 'reason' in the request payload is not a valid parameter "
            "for the operation 'cancel'.",
        ),
        (
            {"comment": "a", "Comment": "b"},
            "Multiple parameters with the name 'Comment' were found in the request payload.",
        ),
        (
            {"COMMENT": 5},
            "Cannot convert a primitive value to the expected type 'Edm.String'. "
            "See the inner exception for more details.",
        ),
    ],
)
def test_bad_bodies_are_refused_before_anything_changes(graph: Graph, body: object, message: str) -> None:
    assert error_of(graph.call("me.events.cancel", body, event_id=SYNC)) == (400, "RequestBodyRead", message)
    assert graph.event(SYNC)["isCancelled"] is False


def test_list_shows_single_instances_and_series_masters_in_pages(graph: Graph) -> None:
    first = graph.call("me.events.list", query={"$top": "3"}, headers={"host": "127.0.0.1:8000"})
    assert first.status == 200
    body = first.body
    assert body["@odata.context"].endswith(f"users('{ADELE}')/events")
    assert len(body["value"]) == 3
    assert body["@odata.nextLink"].startswith("http://127.0.0.1:8000/graph/v1.0/me/events?")
    everything = graph.call("me.events.list", query={"$top": "100"}).body
    assert "@odata.nextLink" not in everything
    types = {event["type"] for event in everything["value"]}
    assert types == {"singleInstance", "seriesMaster"}
    assert all(not key.startswith("x-mock-") for event in everything["value"] for key in event)
    assert graph.call("me.events.cancel", {}, event_id=SYNC).status == 202
    after = graph.call("me.events.list", query={"$top": "100"}).body
    assert SYNC not in {event["id"] for event in after["value"]}


def test_get_shows_graph_date_times(graph: Graph) -> None:
    event = graph.call("users.events.get", token=APP_TOKEN, user_id=ADELE, event_id=SYNC).body
    assert event["start"]["timeZone"] == "UTC"
    assert event["start"]["dateTime"].endswith(".0000000") and "Z" not in event["start"]["dateTime"]
    assert event["@odata.etag"] == 'W/"0AdeleSync"'


def test_read_only_tokens_read_but_cannot_cancel(graph: Graph) -> None:
    assert graph.call("me.events.get", token="mock.adele.read", event_id=SYNC).status == 200
    reply = graph.call("me.events.cancel", {}, token="mock.adele.read", event_id=SYNC)
    assert error_of(reply) == (403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")


def test_a_created_meeting_can_be_cancelled_and_reaches_the_attendee(graph: Graph) -> None:
    body = {
        "subject": "Plan the offsite",
        "start": {"dateTime": "2030-01-15T10:00:00", "timeZone": "UTC"},
        "end": {"dateTime": "2030-01-15T11:00:00", "timeZone": "UTC"},
        "attendees": [{"type": "required", "emailAddress": {"address": "alexw@contoso.com", "name": "Alex"}}],
    }
    created = graph.call("me.events.create", body)
    assert created.status == 201
    event_id = created.body["id"]
    assert created.body["isOrganizer"] is True and created.body["type"] == "singleInstance"
    assert created.body["start"]["dateTime"] == "2030-01-15T10:00:00.0000000"
    copies = [
        e
        for e in graph.records("events").values()
        if e["iCalUId"] == created.body["iCalUId"] and e["id"] != event_id
    ]
    assert [copy["x-mock-mailbox"] for copy in copies] == [ALEX]
    assert graph.outbox()[0]["kind"] == "mail.invitation"
    attendee = graph.call("me.events.cancel", {}, token=ALEX_TOKEN, event_id=copies[0]["id"])
    assert error_of(attendee)[2] == NOT_ORGANIZER
    assert (
        graph.call("me.events.cancel", {"comment": "Off"}, token=ADELE_TOKEN, event_id=event_id).status == 202
    )
    assert graph.event(copies[0]["id"])["isCancelled"] is True
    assert graph.outbox()[-1]["payload"]["comment"] == "Off"


def test_cancelling_a_series_master_cancels_the_attendees_own_occurrences(graph: Graph) -> None:
    """An occurrence only the attendee's mailbox holds (its own iCalUId, no organizer counterpart)
    belongs to the attendee's copy of the series: cancelled with it."""
    alex_only = {
        **graph.event("AAMkAlexWeekly-2="),
        "id": "AAMkAlexWeekly-3=",
        "iCalUId": "040000008200E00074C5B7101A82E00800000000B1B2C3D4E5F6A7B8C9D0E1F2A3B4C503",
    }
    graph.service.store.add_records(graph.session, {"graph": {"events": {alex_only["id"]: alex_only}}})
    assert graph.call("me.events.cancel", {}, event_id="AAMkAdeleWeekly=").status == 202
    assert graph.event("AAMkAlexWeekly-3=")["isCancelled"] is True


def test_the_default_calendar_form_finds_an_event_that_names_the_default_calendar(graph: Graph) -> None:
    named = {
        **graph.event("AAMkAdeleFocus="),
        "id": "AAMkAdeleNamed=",
        "x-mock-calendar": "AAMkAdeleCalendar=",
    }
    graph.service.store.add_records(graph.session, {"graph": {"events": {named["id"]: named}}})
    assert graph.call("me.calendar.events.cancel", {}, event_id="AAMkAdeleNamed=").status == 202
    assert "AAMkAdeleNamed=" in graph.records("deleted_items")
