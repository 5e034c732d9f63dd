"""Cronofy's Meeting Agent rules, on plain records. No I/O: handlers load, call, store.

Documented: a scheduled Meeting Agent is cancelled by its `scheduling_key`; "If the
previously-scheduled Meeting Agent has already begun joining the meeting, then it will remain
active"; an Integrated Meeting Agent is removed by upserting its event with
`meeting_agent.profile_id: "none"` or by deleting the event, "which will also cancel the
associated Meeting Agent".

Inferred (each marked where it is applied): the state names other than `created`; an agent whose
`join_time` has passed has begun joining; cancelling what is already cancelled, finished or
unknown changes nothing and is still accepted.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from mockserver.core.clock import format_instant, parse_instant
from mockserver.core.store import Record
from mockserver.vendors.cronofy import errors
from mockserver.vendors.cronofy.auth import Principal

CREATED = "created"  # documented (immediate dispatch)
SCHEDULED = "scheduled"  # inferred names from here on
JOINING = "joining"
JOINED = "joined"
COMPLETE = "complete"
FAILED = "failed"
CANCELLED = "cancelled"

# Not yet joining: cancelling stops them.
CANCELLABLE = frozenset({SCHEDULED, CREATED})
# Begun joining or in the meeting: "it will remain active" (documented).
ACTIVE = frozenset({JOINING, JOINED})
# Nothing left to cancel (inferred).
FINISHED = frozenset({COMPLETE, FAILED, CANCELLED})

# Why an agent was cancelled (the outbox payload's `reason`; inferred names).
BY_SCHEDULING_KEY = "cancelled"
BY_REMOVAL = "removed_from_event"
BY_EVENT_DELETION = "event_deleted"


def _instant(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return parse_instant(value)
    except ValueError:
        return None


def effective_state(agent: Mapping[str, Any], now: datetime) -> str:
    """The agent's state at `now`: a scheduled agent whose `join_time` has come has begun joining
    (inferred — the mock's lifecycle does not otherwise advance with the clock)."""
    state = str(agent.get("state", SCHEDULED))
    join_time = _instant(agent.get("join_time"))
    if state == SCHEDULED and join_time is not None and join_time <= now:
        return JOINING
    return state


def cancel(agent: Mapping[str, Any], now: datetime) -> Record:
    """The agent after a cancel request. Compare with the input to see whether anything changed.

    scheduled/created → cancelled (with `cancelled_at`); joining/joined stay active (documented);
    complete/failed/cancelled stay as they are (inferred: nothing to cancel).
    """
    refusal = errors.mock_error(agent.get("x-mock-error"))
    if refusal is not None:
        raise refusal
    state = effective_state(agent, now)
    updated = dict(agent)
    if state in CANCELLABLE:
        updated["state"] = CANCELLED
        updated["cancelled_at"] = format_instant(now)
    else:
        updated["state"] = state
    return updated


def cancellation_notice(agent: Mapping[str, Any], reason: str) -> dict[str, Any]:
    """Payload of the outbox entry `meeting_agent.cancelled` (inferred naming)."""
    notice: dict[str, Any] = {"sub": agent["sub"], "state": agent.get("state"), "reason": reason}
    for name in ("scheduling_key", "calendar_id", "event_id", "join_url", "cancelled_at"):
        if agent.get(name) is not None:
            notice[name] = agent[name]
    return notice


def dashboard(sub: str) -> list[dict[str, str]]:
    """The `resources` of a new agent; the documentation elides the URL ("https://...") — inferred."""
    return [
        {"category": "cronofy", "type": "dashboard", "url": f"https://app.cronofy.com/meeting_agents/{sub}"}
    ]


# --- Schedule Meeting Agent ------------------------------------------------------------------


def is_future_schedule(body: Mapping[str, Any]) -> bool:
    """Future scheduling gives `scheduling_key` and `join_time` together; one without the other is
    422 `errors.required` on the missing one (inferred)."""
    has_key, has_time = "scheduling_key" in body, "join_time" in body
    if has_key != has_time:
        raise errors.required("join_time" if has_key else "scheduling_key")
    return has_key


def immediate_agent(body: Mapping[str, Any], sub: str, now: datetime) -> Record:
    return {
        "sub": sub,
        "state": CREATED,
        "resources": dashboard(sub),
        "join_url": body["join_url"],
        "created_at": format_instant(now),
    }


def scheduled_agent(body: Mapping[str, Any], existing: Mapping[str, Any] | None, sub: str) -> Record:
    """A future-scheduled agent. `existing`: the still-scheduled agent with the same scheduling_key,
    which is updated rather than duplicated (inferred: the key identifies one unique meeting)."""
    join_time = _instant(body["join_time"])
    if join_time is None:
        raise errors.unprocessable("join_time", errors.INVALID)
    # A join_time that has already passed is accepted; the agent then begins joining at once
    # (`effective_state`), as an immediately dispatched one does (inferred).
    base = dict(existing) if existing is not None else {"sub": sub, "resources": dashboard(sub)}
    base.update(
        state=SCHEDULED,
        scheduling_key=body["scheduling_key"],
        join_time=format_instant(join_time),
        join_url=body["join_url"],
    )
    if "on_behalf_of_attendee" in body:
        base["on_behalf_of_attendee"] = body["on_behalf_of_attendee"]
    return base


def still_scheduled(
    agents: list[Mapping[str, Any]], scheduling_key: str, now: datetime
) -> Mapping[str, Any] | None:
    for agent in agents:
        if agent.get("scheduling_key") == scheduling_key and effective_state(agent, now) == SCHEDULED:
            return agent
    return None


# --- Calendars and events (Integrated Meeting Agents) -----------------------------------------


def check_calendar(calendar: Mapping[str, Any] | None, principal: Principal) -> Mapping[str, Any]:
    """The calendar the access token may change, or the documented refusal.

    404: the calendar is unknown, deleted, or belongs to another account (`x-mock-account` on the
    calendar vs `account_id` on the token — mock-only facts). 423: its profile is disconnected
    (`profile_connected: false`), "we do not have credentials available for the underlying
    provider". `x-mock-error` on the calendar: LOCKED, RATE_LIMITED or INTERNAL_ERROR.
    """
    if calendar is None or calendar.get("calendar_deleted"):
        raise errors.calendar_not_found()
    owner = calendar.get("x-mock-account")
    if owner is not None and principal.account_id is not None and owner != principal.account_id:
        raise errors.calendar_not_found()
    refusal = errors.mock_error(calendar.get("x-mock-error"))
    if refusal is not None:
        raise refusal
    if calendar.get("profile_connected") is False:
        raise errors.locked()
    return calendar


_EVENT_FIELDS = ("summary", "description", "start", "end", "tzid")
_NEW_EVENT_REQUIRED = ("summary", "start", "end")


def upsert_event(existing: Record | None, calendar_id: str, body: Mapping[str, Any], now: datetime) -> Record:
    """The event after an upsert (without its Meeting Agent, see `provision` / `cancel`).

    A new (or previously deleted) event needs `summary`, `start` and `end` → 422 errors.required
    naming each missing one (inferred). An existing event takes the fields given and keeps the
    rest (documented by the remove-agent example, which sends only `event_id` and
    `meeting_agent`). An `event_id` found in another calendar is moved to this one (inferred).
    """
    if existing is not None:
        refusal = errors.mock_error(existing.get("x-mock-error"))
        if refusal is not None:
            raise refusal
    fresh = existing is None or bool(existing.get("deleted"))
    if fresh:
        missing = [name for name in _NEW_EVENT_REQUIRED if name not in body]
        if missing:
            raise errors.required(*missing)
    start, end = _instant(body.get("start")), _instant(body.get("end"))
    if start is not None and end is not None and end < start:
        raise errors.unprocessable("end", errors.INVALID)
    event: Record = {} if fresh or existing is None else dict(existing)
    event.update(calendar_id=calendar_id, event_id=body["event_id"], deleted=False)
    if fresh and existing is not None and "meeting_agent" in existing:
        event["meeting_agent"] = existing["meeting_agent"]
    for name in _EVENT_FIELDS:
        if name in body:
            event[name] = body[name]
    event["updated"] = format_instant(now)
    event.setdefault("created", format_instant(now))
    return event


def provision(event: Record, current: Record | None, sub: str) -> Record:
    """The Meeting Agent for `meeting_agent.profile_id: "cronofy"`: the event's current agent
    while it is still live (its join time follows the event's start), else a new scheduled one
    joining at the event's start (inferred)."""
    if current is not None and current.get("state") not in FINISHED:
        live = dict(current)
        if live.get("state") == SCHEDULED and event.get("start"):
            live["join_time"] = event["start"]
        return live
    agent: Record = {"sub": sub, "state": SCHEDULED, "resources": dashboard(sub)}
    agent.update(calendar_id=event["calendar_id"], event_id=event["event_id"])
    if event.get("start"):
        agent["join_time"] = event["start"]
    return agent


def linked_sub(event: Mapping[str, Any] | None) -> str | None:
    link = event.get("meeting_agent") if event else None
    sub = link.get("sub") if isinstance(link, Mapping) else None
    return str(sub) if sub else None


def delete_event(event: Record, now: datetime) -> Record:
    """The event after deletion: kept with `deleted: true` so no record is lost."""
    refusal = errors.mock_error(event.get("x-mock-error"))
    if refusal is not None:
        raise refusal
    return {**event, "deleted": True, "deleted_at": format_instant(now)}
