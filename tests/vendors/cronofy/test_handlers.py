"""Cronofy operations end to end below HTTP: what each answer does to the state and the outbox."""

from __future__ import annotations

import re
from datetime import timedelta

from mockserver.core.clock import parse_instant, utcnow
from tests.vendors.cronofy.conftest import CALENDAR, Cronofy

SCHEDULED_KEY = "your-identifier-for-this-unique-meeting"
SCHEDULED_SUB = "agt_692702a100ccd07000000000"
REMOVE_EVENT, REMOVE_SUB = "your-event-id", "agt_000000000000000000000003"
DELETE_EVENT, DELETE_SUB = "qTtZdczOccgaPncGJaCiLg", "agt_000000000000000000000004"
JOINED_EVENT, JOINED_SUB = "event-agent-joined", "agt_000000000000000000000005"


def test_cancel_a_scheduled_agent(cronofy: Cronofy) -> None:
    reply = cronofy.call("cancelMeetingAgent", {"scheduling_key": SCHEDULED_KEY})
    assert (reply.status, reply.body, reply.content_type) == (202, None, None)
    agent = cronofy.agent(SCHEDULED_SUB)
    assert agent["state"] == "cancelled" and "cancelled_at" in agent
    [entry] = cronofy.outbox()
    assert entry["kind"] == "meeting_agent.cancelled"
    assert entry["payload"]["sub"] == SCHEDULED_SUB
    assert entry["payload"]["scheduling_key"] == SCHEDULED_KEY
    assert entry["payload"]["reason"] == "cancelled"


def test_an_agent_that_has_begun_joining_stays_active(cronofy: Cronofy) -> None:
    reply = cronofy.call("cancelMeetingAgent", {"scheduling_key": "agent-already-joining"})
    assert reply.status == 202
    assert cronofy.agent("agt_000000000000000000000001")["state"] == "joining"
    assert cronofy.outbox() == []


def test_an_agent_whose_join_time_has_come_counts_as_joining(cronofy: Cronofy) -> None:
    cronofy.freeze(utcnow() + timedelta(days=2))
    assert cronofy.call("cancelMeetingAgent", {"scheduling_key": SCHEDULED_KEY}).status == 202
    assert cronofy.agent(SCHEDULED_SUB)["state"] == "joining"
    assert cronofy.outbox() == []


def test_cancel_twice_changes_nothing_the_second_time(cronofy: Cronofy) -> None:
    first = cronofy.call("cancelMeetingAgent", {"scheduling_key": SCHEDULED_KEY})
    after_first = cronofy.agent(SCHEDULED_SUB)
    second = cronofy.call("cancelMeetingAgent", {"scheduling_key": SCHEDULED_KEY})
    assert (first.status, second.status) == (202, 202)
    assert cronofy.agent(SCHEDULED_SUB) == after_first
    assert len(cronofy.outbox()) == 1


def test_an_unknown_scheduling_key_changes_nothing(cronofy: Cronofy) -> None:
    before = cronofy.records("meeting_agents")
    assert cronofy.call("cancelMeetingAgent", {"scheduling_key": "nobody"}).status == 202
    assert cronofy.records("meeting_agents") == before
    assert cronofy.outbox() == []


def test_a_server_error_leaves_the_agent_untouched(cronofy: Cronofy) -> None:
    before = cronofy.agent("agt_000000000000000000000006")
    reply = cronofy.call("cancelMeetingAgent", {"scheduling_key": "agent-server-error"})
    assert (reply.status, reply.body) == (500, None)
    assert cronofy.agent("agt_000000000000000000000006") == before


def test_refused_credentials_change_nothing(cronofy: Cronofy) -> None:
    before = cronofy.records("meeting_agents")
    statuses = [
        cronofy.call("cancelMeetingAgent", {"scheduling_key": SCHEDULED_KEY}, token=token).status
        for token in (
            "",
            "nope",
            "cronofy-api-key-no-agents",
            "cronofy-api-key-starter",
            "cronofy-api-key-rate-limited",
        )
    ]
    assert statuses == [401, 401, 403, 402, 429]
    assert cronofy.records("meeting_agents") == before


def test_schedule_for_later_then_cancel(cronofy: Cronofy) -> None:
    body = {
        "scheduling_key": "later",
        "join_time": "2099-01-25T15:30:00Z",
        "join_url": "https://meet.example/x",
    }
    reply = cronofy.call("scheduleMeetingAgent", body)
    assert (reply.status, reply.body) == (202, None)
    [agent] = cronofy.agents_with_key("later")
    assert agent["state"] == "scheduled" and agent["join_time"] == "2099-01-25T15:30:00Z"
    assert re.fullmatch(r"agt_[0-9a-f]{24}", agent["sub"])
    assert cronofy.call("cancelMeetingAgent", {"scheduling_key": "later"}).status == 202
    assert cronofy.agent(agent["sub"])["state"] == "cancelled"
    assert [entry["kind"] for entry in cronofy.outbox()] == [
        "meeting_agent.scheduled",
        "meeting_agent.cancelled",
    ]


def test_scheduling_the_same_key_again_updates_the_scheduled_agent(cronofy: Cronofy) -> None:
    body = {
        "scheduling_key": SCHEDULED_KEY,
        "join_time": "2099-02-01T10:00:00Z",
        "join_url": "https://meet.example/y",
    }
    assert cronofy.call("scheduleMeetingAgent", body).status == 202
    [agent] = cronofy.agents_with_key(SCHEDULED_KEY)
    assert agent["sub"] == SCHEDULED_SUB
    assert (agent["join_time"], agent["join_url"]) == ("2099-02-01T10:00:00Z", "https://meet.example/y")


def test_scheduling_again_after_cancelling_makes_a_new_agent(cronofy: Cronofy) -> None:
    cronofy.call("cancelMeetingAgent", {"scheduling_key": SCHEDULED_KEY})
    body = {
        "scheduling_key": SCHEDULED_KEY,
        "join_time": "2099-02-01T10:00:00Z",
        "join_url": "https://meet.example/y",
    }
    assert cronofy.call("scheduleMeetingAgent", body).status == 202
    states = sorted(agent["state"] for agent in cronofy.agents_with_key(SCHEDULED_KEY))
    assert states == ["cancelled", "scheduled"]


def test_immediate_dispatch_answers_the_created_agent(cronofy: Cronofy) -> None:
    reply = cronofy.call("scheduleMeetingAgent", {"join_url": "https://meet.example/now"})
    assert reply.status == 200 and reply.content_type == "application/json"
    assert set(reply.body) == {"sub", "state", "resources"}
    assert reply.body["state"] == "created"
    assert reply.body["resources"][0]["type"] == "dashboard"
    assert cronofy.agent(reply.body["sub"])["join_url"] == "https://meet.example/now"


def test_a_past_join_time_is_accepted_and_the_agent_begins_joining(cronofy: Cronofy) -> None:
    body = {
        "scheduling_key": "past",
        "join_time": "2001-01-01T00:00:00Z",
        "join_url": "https://meet.example/x",
    }
    assert cronofy.call("scheduleMeetingAgent", body).status == 202
    [agent] = cronofy.agents_with_key("past")
    assert cronofy.call("cancelMeetingAgent", {"scheduling_key": "past"}).status == 202
    assert cronofy.agent(agent["sub"])["state"] == "joining"


def test_upsert_with_profile_none_removes_the_agent(cronofy: Cronofy) -> None:
    before = cronofy.event(REMOVE_EVENT)
    reply = cronofy.call("upsertEvent", {"event_id": REMOVE_EVENT, "meeting_agent": {"profile_id": "none"}})
    assert (reply.status, reply.body) == (202, None)
    event = cronofy.event(REMOVE_EVENT)
    assert event["meeting_agent"] == {"profile_id": "none", "sub": REMOVE_SUB}
    assert (event["summary"], event["start"], event["end"]) == (
        before["summary"],
        before["start"],
        before["end"],
    )
    assert cronofy.agent(REMOVE_SUB)["state"] == "cancelled"
    [entry] = cronofy.outbox()
    assert entry["payload"] | {"reason": "removed_from_event", "event_id": REMOVE_EVENT} == entry["payload"]


def test_upsert_without_meeting_agent_leaves_the_agent_alone(cronofy: Cronofy) -> None:
    reply = cronofy.call("upsertEvent", {"event_id": REMOVE_EVENT, "summary": "Renamed"})
    assert reply.status == 202
    assert cronofy.event(REMOVE_EVENT)["summary"] == "Renamed"
    assert cronofy.event(REMOVE_EVENT)["meeting_agent"]["profile_id"] == "cronofy"
    assert cronofy.agent(REMOVE_SUB)["state"] == "scheduled"


def test_moving_the_event_moves_its_scheduled_agent(cronofy: Cronofy) -> None:
    start = "2099-03-01T09:00:00Z"
    body = {"event_id": REMOVE_EVENT, "start": start, "end": "2099-03-01T10:00:00Z"}
    assert cronofy.call("upsertEvent", body).status == 202
    assert cronofy.agent(REMOVE_SUB)["join_time"] == start


def test_removing_an_agent_already_in_the_meeting_leaves_it_active(cronofy: Cronofy) -> None:
    reply = cronofy.call("upsertEvent", {"event_id": JOINED_EVENT, "meeting_agent": {"profile_id": "none"}})
    assert reply.status == 202
    assert cronofy.event(JOINED_EVENT)["meeting_agent"]["profile_id"] == "none"
    assert cronofy.agent(JOINED_SUB)["state"] == "joined"
    assert cronofy.outbox() == []


def test_provisioning_after_removal_makes_a_new_agent(cronofy: Cronofy) -> None:
    cronofy.call("upsertEvent", {"event_id": REMOVE_EVENT, "meeting_agent": {"profile_id": "none"}})
    assert (
        cronofy.call(
            "upsertEvent", {"event_id": REMOVE_EVENT, "meeting_agent": {"profile_id": "cronofy"}}
        ).status
        == 202
    )
    link = cronofy.event(REMOVE_EVENT)["meeting_agent"]
    assert link["profile_id"] == "cronofy" and link["sub"] != REMOVE_SUB
    agent = cronofy.agent(link["sub"])
    assert (agent["state"], agent["event_id"], agent["calendar_id"]) == ("scheduled", REMOVE_EVENT, CALENDAR)
    assert agent["join_time"] == cronofy.event(REMOVE_EVENT)["start"]
    assert cronofy.agent(REMOVE_SUB)["state"] == "cancelled"


def test_creating_an_event_with_an_agent(cronofy: Cronofy) -> None:
    body = {
        "event_id": "new-event",
        "summary": "Meeting agent enhanced",
        "start": "2099-04-09T15:30:00Z",
        "end": "2099-04-09T17:00:00Z",
        "meeting_agent": {"profile_id": "cronofy"},
    }
    assert cronofy.call("upsertEvent", body).status == 202
    event = cronofy.event("new-event")
    assert event["deleted"] is False and event["calendar_id"] == CALENDAR
    assert cronofy.agent(event["meeting_agent"]["sub"])["join_time"] == "2099-04-09T15:30:00Z"


def test_delete_event_keeps_it_as_deleted_and_cancels_its_agent(cronofy: Cronofy) -> None:
    reply = cronofy.call("deleteEvent", {"event_id": DELETE_EVENT})
    assert (reply.status, reply.body) == (202, None)
    event = cronofy.event(DELETE_EVENT)
    assert event["deleted"] is True and parse_instant(event["deleted_at"])
    assert event["summary"] == "Meeting agent enhanced (to be deleted)"
    assert cronofy.agent(DELETE_SUB)["state"] == "cancelled"
    [entry] = cronofy.outbox()
    assert (entry["kind"], entry["payload"]["reason"]) == ("meeting_agent.cancelled", "event_deleted")


def test_delete_twice_or_unknown_changes_nothing(cronofy: Cronofy) -> None:
    cronofy.call("deleteEvent", {"event_id": DELETE_EVENT})
    events, agents = cronofy.records("events"), cronofy.records("meeting_agents")
    assert cronofy.call("deleteEvent", {"event_id": DELETE_EVENT}).status == 202
    assert cronofy.call("deleteEvent", {"event_id": "never-existed"}).status == 202
    assert (cronofy.records("events"), cronofy.records("meeting_agents")) == (events, agents)
    assert len(cronofy.outbox()) == 1


def test_delete_from_another_calendar_changes_nothing(cronofy: Cronofy) -> None:
    cronofy.service.add_fixtures(cronofy.session, "cronofy: {calendars: [{calendar_id: cal_second}]}")
    reply = cronofy.call("deleteEvent", {"event_id": DELETE_EVENT}, calendar_id="cal_second")
    assert reply.status == 202
    assert not cronofy.event(DELETE_EVENT).get("deleted")
    assert cronofy.agent(DELETE_SUB)["state"] == "scheduled"


def test_recreating_a_deleted_event_needs_its_fields(cronofy: Cronofy) -> None:
    cronofy.call("deleteEvent", {"event_id": DELETE_EVENT})
    reply = cronofy.call("upsertEvent", {"event_id": DELETE_EVENT, "summary": "Back"})
    assert reply.status == 422
    assert set(reply.body["errors"]) == {"start", "end"}
    assert cronofy.event(DELETE_EVENT)["deleted"] is True


def test_calendar_refusals(cronofy: Cronofy) -> None:
    remove = {"event_id": REMOVE_EVENT, "meeting_agent": {"profile_id": "none"}}
    cases = {
        "cal_unknown": ("cronofy-access-token", 404),
        "cal_disconnected_0000000001": ("cronofy-access-token", 423),
        "cal_server_error_0000000001": ("cronofy-access-token", 500),
        CALENDAR: ("cronofy-access-token-other-account", 404),
    }
    for calendar_id, (token, status) in cases.items():
        reply = cronofy.call("upsertEvent", remove, token=token, calendar_id=calendar_id)
        assert (reply.status, reply.body) == (status, None), calendar_id
    assert cronofy.call("upsertEvent", remove, token="cronofy-access-token-starter").status == 402
    assert cronofy.call("upsertEvent", remove, token="cronofy-access-token-read-only").status == 403
    assert (
        cronofy.call("deleteEvent", {"event_id": DELETE_EVENT}, token="cronofy-access-token-read-only").status
        == 403
    )
    assert cronofy.call("deleteEvent", {"event_id": DELETE_EVENT}, token="cronofy-api-key").status == 401
    assert cronofy.agent(REMOVE_SUB)["state"] == "scheduled"
    assert cronofy.outbox() == []


def test_a_plan_without_meeting_agents_may_still_edit_plain_events(cronofy: Cronofy) -> None:
    reply = cronofy.call(
        "upsertEvent", {"event_id": REMOVE_EVENT, "summary": "x"}, token="cronofy-access-token-starter"
    )
    assert reply.status == 202
    assert (
        cronofy.call("deleteEvent", {"event_id": DELETE_EVENT}, token="cronofy-access-token-starter").status
        == 202
    )


def test_a_failure_while_cancelling_the_agent_keeps_the_event(cronofy: Cronofy) -> None:
    agent = cronofy.agent(DELETE_SUB)
    cronofy.service.add_fixtures(
        cronofy.session,
        f"cronofy: {{meeting_agents: [{{sub: {DELETE_SUB}, state: scheduled, x-mock-error: INTERNAL_ERROR,"
        f" calendar_id: {CALENDAR}, event_id: {DELETE_EVENT}, join_time: '{agent['join_time']}'}}]}}",
    )
    assert cronofy.call("deleteEvent", {"event_id": DELETE_EVENT}).status == 500
    assert not cronofy.event(DELETE_EVENT).get("deleted")
    assert cronofy.agent(DELETE_SUB)["state"] == "scheduled"
