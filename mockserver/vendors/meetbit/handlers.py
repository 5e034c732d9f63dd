"""Meetbit operations: unpack the call → rules → records → Reply."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from mockserver.core.errors import VendorError
from mockserver.core.exchange import Call, Reply
from mockserver.core.store import Records
from mockserver.vendors.meetbit import errors, rules
from mockserver.vendors.meetbit.auth import Principal
from mockserver.vendors.plugin import Handler, public

# Inferred: the document shows the success message only as "<string>".
CANCELLED = "Event canceled successfully."
RETRIEVED = "Event retrieved successfully."


def rate_headers(call: Call) -> dict[str, str]:
    """The `RateLimit-*` headers of the calling key (none before authentication)."""
    principal = call.principal
    return principal.headers() if isinstance(principal, Principal) else {}


def with_rate_headers(call: Call, reply: Reply) -> Reply:
    """`reply` as an operation sends it: with the key's `RateLimit-*` headers (the reply's own win)."""
    return Reply(reply.status, reply.body, reply.content_type, {**rate_headers(call), **reply.headers})


def _event(call: Call, records: Records) -> tuple[int, Mapping[str, Any]]:
    """The live event named by the path, or 404."""
    calendar_id = rules.integer_id(call.path_params.get("calendar_id", ""))
    event_id = rules.integer_id(call.path_params.get("event_id", ""))
    if calendar_id is None or event_id is None:
        raise errors.not_found()
    calendar = records.read("calendars", calendar_id)
    event = records.read("events", event_id)
    return event_id, rules.locate(calendar, event, calendar_id)


def _guarded(handler: Callable[[Call, Records], Reply]) -> Handler:
    """Every answer to an authenticated key carries its `RateLimit-*` headers."""

    def run(call: Call, records: Records) -> Reply:
        try:
            reply = handler(call, records)
        except VendorError as error:
            raise VendorError(with_rate_headers(call, error.reply), error.name) from None
        return with_rate_headers(call, reply)

    run.__name__ = handler.__name__
    run.__doc__ = handler.__doc__
    return run


def _principal(call: Call) -> Principal:
    principal = call.principal
    if not isinstance(principal, Principal):
        raise errors.unauthorized()
    return principal


def cancel_event(call: Call, records: Records) -> Reply:
    """POST /api/public/v2.0/calendars/{calendar_id}/events/{event_id}/cancel"""
    principal = _principal(call)
    event_id, event = _event(call, records)
    rules.mock_error(event)
    body = call.body if isinstance(call.body, dict) else {}
    cancel_note = rules.note(body.get("cancel_note"))
    cancelled = rules.cancel(event, cancel_note, principal.user_id, call.now)
    records.put("events", event_id, cancelled)
    records.emit("webhook.events.deleted", {"id": cancelled["id"], "calendar_id": cancelled["calendar_id"]})
    to = rules.recipients(cancelled)
    if to:
        records.emit(
            "mail.cancellation",
            {
                "to": to,
                "event_id": cancelled["id"],
                "calendar_id": cancelled["calendar_id"],
                "title": cancelled.get("title"),
                "start": cancelled.get("start"),
                "cancel_note": cancel_note,
            },
        )
    return Reply(200, {"message": CANCELLED, "data": public(cancelled)})


def get_event(call: Call, records: Records) -> Reply:
    """GET /api/public/v2.0/calendars/{calendar_id}/events/{event_id}"""
    _principal(call)
    _event_id, event = _event(call, records)
    return Reply(200, {"message": RETRIEVED, "data": public(event)})


OPERATIONS: dict[str, Handler] = {
    "cancelEvent": _guarded(cancel_event),
    "getEvent": _guarded(get_event),
}
