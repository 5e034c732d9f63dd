"""Cronofy's pure rules on plain records."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from mockserver.core.errors import VendorError
from mockserver.vendors.cronofy import rules
from mockserver.vendors.cronofy.auth import Principal

NOW = datetime(2030, 5, 6, 7, 8, 9, tzinfo=UTC)
LATER = "2030-05-07T07:08:09Z"
EARLIER = "2030-05-05T07:08:09Z"
PRINCIPAL = Principal("t", "access_token", frozenset(), "emerging", "acc_1")


def refusal(fn: Any, *args: Any) -> tuple[int, Any]:
    with pytest.raises(VendorError) as caught:
        fn(*args)
    return caught.value.reply.status, caught.value.reply.body


@pytest.mark.parametrize("state", ["scheduled", "created"])
def test_an_agent_not_yet_joining_is_cancelled(state: str) -> None:
    agent = {"sub": "agt_1", "state": state, "join_time": LATER}
    cancelled = rules.cancel(agent, NOW)
    assert cancelled["state"] == "cancelled"
    assert cancelled["cancelled_at"] == "2030-05-06T07:08:09Z"
    assert agent["state"] == state  # the input is not modified


@pytest.mark.parametrize("state", ["joining", "joined", "complete", "failed", "cancelled"])
def test_other_states_are_left_as_they_are(state: str) -> None:
    agent = {"sub": "agt_1", "state": state, "join_time": EARLIER}
    assert rules.cancel(agent, NOW) == agent


def test_a_scheduled_agent_past_its_join_time_has_begun_joining() -> None:
    agent = {"sub": "agt_1", "state": "scheduled", "join_time": EARLIER}
    assert rules.effective_state(agent, NOW) == "joining"
    assert rules.cancel(agent, NOW)["state"] == "joining"
    assert rules.effective_state({**agent, "join_time": LATER}, NOW) == "scheduled"


def test_x_mock_error_on_an_agent_refuses_the_cancel() -> None:
    agent = {"sub": "agt_1", "state": "scheduled", "x-mock-error": "INTERNAL_ERROR"}
    assert refusal(rules.cancel, agent, NOW) == (500, None)


def test_future_scheduling_needs_key_and_time_together() -> None:
    assert rules.is_future_schedule({"join_url": "u"}) is False
    assert rules.is_future_schedule({"join_url": "u", "scheduling_key": "k", "join_time": LATER}) is True
    required = {"key": "errors.required", "description": "required"}
    assert refusal(rules.is_future_schedule, {"scheduling_key": "k"}) == (
        422,
        {"errors": {"join_time": [required]}},
    )
    assert refusal(rules.is_future_schedule, {"join_time": LATER}) == (
        422,
        {"errors": {"scheduling_key": [required]}},
    )


def test_scheduled_agent_updates_an_existing_one() -> None:
    body = {"scheduling_key": "k", "join_time": "2030-05-07T07:08:09+00:00", "join_url": "u2"}
    existing = {
        "sub": "agt_old",
        "state": "scheduled",
        "scheduling_key": "k",
        "join_time": LATER,
        "join_url": "u",
    }
    updated = rules.scheduled_agent(body, existing, "agt_new")
    assert (updated["sub"], updated["join_url"], updated["join_time"]) == ("agt_old", "u2", LATER)
    fresh = rules.scheduled_agent(body, None, "agt_new")
    assert (fresh["sub"], fresh["state"]) == ("agt_new", "scheduled")
    past = rules.scheduled_agent({**body, "join_time": EARLIER}, None, "agt_x")
    assert rules.effective_state(past, NOW) == "joining"


def test_still_scheduled_ignores_finished_agents() -> None:
    agents = [
        {"sub": "a", "state": "cancelled", "scheduling_key": "k", "join_time": LATER},
        {"sub": "b", "state": "scheduled", "scheduling_key": "k", "join_time": LATER},
    ]
    assert rules.still_scheduled(agents, "k", NOW) == agents[1]
    assert rules.still_scheduled(agents[:1], "k", NOW) is None


def test_check_calendar() -> None:
    calendar = {"calendar_id": "c", "profile_connected": True, "x-mock-account": "acc_1"}
    assert rules.check_calendar(calendar, PRINCIPAL) == calendar
    assert refusal(rules.check_calendar, None, PRINCIPAL) == (404, None)
    assert refusal(rules.check_calendar, {**calendar, "calendar_deleted": True}, PRINCIPAL) == (404, None)
    assert refusal(rules.check_calendar, {**calendar, "x-mock-account": "acc_2"}, PRINCIPAL) == (404, None)
    assert refusal(rules.check_calendar, {**calendar, "profile_connected": False}, PRINCIPAL) == (423, None)
    assert refusal(rules.check_calendar, {**calendar, "x-mock-error": "RATE_LIMITED"}, PRINCIPAL) == (
        429,
        None,
    )


def test_a_new_event_needs_summary_start_and_end() -> None:
    status, body = refusal(rules.upsert_event, None, "c", {"event_id": "e", "summary": "s"}, NOW)
    assert (status, sorted(body["errors"])) == (422, ["end", "start"])
    event = rules.upsert_event(
        None, "c", {"event_id": "e", "summary": "s", "start": EARLIER, "end": LATER}, NOW
    )
    assert event | {"calendar_id": "c", "event_id": "e", "deleted": False, "summary": "s"} == event


def test_an_update_keeps_what_it_does_not_mention() -> None:
    existing = {"calendar_id": "c", "event_id": "e", "summary": "s", "start": EARLIER, "end": LATER, "x": 1}
    updated = rules.upsert_event(existing, "c", {"event_id": "e", "description": "d"}, NOW)
    assert updated | existing | {"description": "d"} == updated
    status, body = refusal(
        rules.upsert_event, existing, "c", {"event_id": "e", "start": LATER, "end": EARLIER}, NOW
    )
    assert (status, list(body["errors"])) == (422, ["end"])


def test_provision_reuses_a_live_agent_and_replaces_a_finished_one() -> None:
    event = {"calendar_id": "c", "event_id": "e", "start": LATER}
    live = {"sub": "agt_live", "state": "scheduled", "join_time": EARLIER}
    assert rules.provision(event, live, "agt_new") == {**live, "join_time": LATER}
    joined = {"sub": "agt_joined", "state": "joined"}
    assert rules.provision(event, joined, "agt_new") == joined
    fresh = rules.provision(event, {"sub": "agt_old", "state": "cancelled"}, "agt_new")
    assert fresh | {"sub": "agt_new", "state": "scheduled", "event_id": "e", "join_time": LATER} == fresh


def test_delete_event_keeps_the_record() -> None:
    event = {"calendar_id": "c", "event_id": "e", "summary": "s"}
    deleted = rules.delete_event(event, NOW)
    assert deleted == {**event, "deleted": True, "deleted_at": "2030-05-06T07:08:09Z"}
