"""Cronofy operations: unpack the call, apply `rules`, store, answer. One handler per operationId."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from mockserver.core.exchange import Call, Reply
from mockserver.core.randomness import random_hex
from mockserver.core.store import Record, Records
from mockserver.vendors.cronofy import errors, rules
from mockserver.vendors.cronofy.auth import Principal
from mockserver.vendors.plugin import public

AGENTS = "meeting_agents"
CALENDARS = "calendars"
EVENTS = "events"
CANCELLED_KIND = "meeting_agent.cancelled"  # outbox kind (inferred naming)
SCHEDULED_KIND = "meeting_agent.scheduled"  # outbox kind (inferred naming)


def new_sub() -> str:
    """A Meeting Agent id in Cronofy's form `agt_` + 24 hex digits."""
    return "agt_" + random_hex(24)


def _body(call: Call) -> dict[str, Any]:
    return call.body if isinstance(call.body, dict) else {}


def _principal(call: Call) -> Principal:
    if not isinstance(call.principal, Principal):  # the HTTP layer always authenticates first
        raise errors.unauthorized()
    return call.principal


def _cancel(records: Records, agent: Mapping[str, Any], call: Call, reason: str) -> Record:
    """Cancel one agent: store the change (if any) and record the notification."""
    updated = rules.cancel(agent, call.now)
    if updated != agent:
        records.put(AGENTS, updated["sub"], updated)
    if updated["state"] == rules.CANCELLED and agent.get("state") != rules.CANCELLED:
        records.emit(CANCELLED_KIND, rules.cancellation_notice(updated, reason))
    return updated


def cancel_meeting_agent(call: Call, records: Records) -> Reply:
    """DELETE /v1/meeting_agents → 202 whatever the agent's state (joining agents stay active)."""
    _principal(call)
    key = _body(call)["scheduling_key"]
    for agent in records.find_by(AGENTS, "scheduling_key", key):
        _cancel(records, agent, call, rules.BY_SCHEDULING_KEY)
    return Reply.empty(202)


def schedule_meeting_agent(call: Call, records: Records) -> Reply:
    """POST /v1/meeting_agents → 200 with the created agent, or 202 when scheduled for later."""
    _principal(call)
    body = _body(call)
    if not rules.is_future_schedule(body):
        agent = rules.immediate_agent(body, new_sub(), call.now)
        records.put(AGENTS, agent["sub"], agent)
        shown = public(agent)
        return Reply(200, {name: shown[name] for name in ("sub", "state", "resources")})
    key = body["scheduling_key"]
    same_key = records.find_by(AGENTS, "scheduling_key", key)
    existing = rules.still_scheduled(same_key, key, call.now)
    agent = rules.scheduled_agent(body, existing, new_sub())
    records.put(AGENTS, agent["sub"], agent)
    records.emit(
        SCHEDULED_KIND, {key: agent[key] for key in ("sub", "scheduling_key", "join_time", "join_url")}
    )
    return Reply.empty(202)


def _calendar(call: Call, records: Records) -> str:
    calendar_id = call.path_params["calendar_id"]
    rules.check_calendar(records.read(CALENDARS, calendar_id), _principal(call))
    return calendar_id


def upsert_event(call: Call, records: Records) -> Reply:
    """POST /v1/calendars/{calendar_id}/events → 202; `meeting_agent.profile_id` provisions
    (`cronofy`) or removes (`none`) the event's Meeting Agent."""
    calendar_id = _calendar(call, records)
    body = _body(call)
    request = body.get("meeting_agent")
    if request is not None and not _principal(call).has_meeting_agents_plan:
        raise errors.payment_required()
    existing = records.get(EVENTS, body["event_id"])
    event = rules.upsert_event(existing, calendar_id, body, call.now)
    sub = rules.linked_sub(existing)
    current = records.get(AGENTS, sub) if sub else None
    if request is not None and request["profile_id"] == "none":
        if current is not None:
            _cancel(records, current, call, rules.BY_REMOVAL)
        event["meeting_agent"] = {"profile_id": "none", **({"sub": sub} if sub else {})}
    elif request is not None:
        agent = rules.provision(event, current, new_sub())
        records.put(AGENTS, agent["sub"], agent)
        event["meeting_agent"] = {"profile_id": "cronofy", "sub": agent["sub"]}
    elif current is not None and current.get("state") == rules.SCHEDULED and "start" in body:
        # Omitted meeting_agent leaves the agent untouched (documented); it still joins at the start.
        records.put(AGENTS, current["sub"], {**current, "join_time": event["start"]})
    records.put(EVENTS, event["event_id"], event)
    return Reply.empty(202)


def delete_event(call: Call, records: Records) -> Reply:
    """DELETE /v1/calendars/{calendar_id}/events → 202; the event's Meeting Agent is cancelled.
    An unknown, already deleted or other calendar's event_id changes nothing (inferred)."""
    calendar_id = _calendar(call, records)
    event = records.get(EVENTS, _body(call)["event_id"])
    if event is None or event.get("deleted") or event.get("calendar_id") != calendar_id:
        return Reply.empty(202)
    records.put(EVENTS, event["event_id"], rules.delete_event(event, call.now))
    sub = rules.linked_sub(event)
    agent = records.get(AGENTS, sub) if sub else None
    if agent is not None:
        _cancel(records, agent, call, rules.BY_EVENT_DELETION)
    return Reply.empty(202)


OPERATIONS: dict[str, Callable[[Call, Records], Reply]] = {
    "scheduleMeetingAgent": schedule_meeting_agent,
    "cancelMeetingAgent": cancel_meeting_agent,
    "upsertEvent": upsert_event,
    "deleteEvent": delete_event,
}
