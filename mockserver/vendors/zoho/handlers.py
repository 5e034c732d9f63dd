"""operationId → handler: unpack the call, apply the rules, store, reply."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mockserver.core.exchange import Call, Reply
from mockserver.core.store import Records
from mockserver.vendors.plugin import Handler
from mockserver.vendors.zoho import errors, rules
from mockserver.vendors.zoho.auth import Principal

SUCCESS_MESSAGE = "The event is successfully cancelled"  # inferred: third-party page, see the spec
CREATED_MESSAGE = "record added"
CREATE_DETAILS = ("Modified_Time", "Modified_By", "Created_Time", "id", "Created_By")


def _user(call: Call, records: Records) -> Mapping[str, Any]:
    """The acting user as stored now (the mail quota may have changed since authentication)."""
    principal = call.principal
    if not isinstance(principal, Principal):
        raise errors.invalid_token()
    return records.read("users", principal.user_id) or principal.user


def _event(call: Call, records: Records) -> Mapping[str, Any]:
    event_id = str(call.path_params.get("event_id", ""))
    found = records.read("events", event_id) if rules.is_event_id(event_id) else None
    if found is None:
        raise errors.invalid_id(event_id)
    return found


def cancel_meeting(call: Call, records: Records) -> Reply:
    user = _user(call, records)
    event = _event(call, records)
    send_mail = bool(call.body["data"][0]["send_cancelling_mail"])
    result = rules.cancel(event, user, send_mail, call.now)
    records.put("events", result.event["id"], result.event)
    if result.user is not None:
        records.put("users", result.user["id"], result.user)
    if result.mail is not None:
        records.emit("mail.cancellation", result.mail)
    success = {"code": "SUCCESS", "details": {"id": str(event["id"])}, "message": SUCCESS_MESSAGE}
    return Reply(200, {"data": [{**success, "status": "success"}]})


def get_meeting(call: Call, records: Records) -> Reply:
    rules.require_permission(_user(call, records), rules.VIEW)
    return Reply(200, {"data": [rules.shown(_event(call, records))]})


def create_meeting(call: Call, records: Records) -> Reply:
    user = _user(call, records)
    rules.require_permission(user, rules.CREATE)
    results = []
    for fields in call.body["data"]:
        event_id = rules.next_id(records.keys("events"))  # an event's key is its id
        event = rules.new_event(fields, event_id, user, call.now)
        records.put("events", event_id, event)
        invitees = rules.recipients(event) if fields.get("$send_notification") else []
        if invitees:
            invitation = {"event_id": event_id, "from": user.get("email", ""), "to": invitees}
            records.emit("mail.invitation", invitation)
        details = {key: event[key] for key in CREATE_DETAILS}
        results.append(
            {"code": "SUCCESS", "details": details, "message": CREATED_MESSAGE, "status": "success"}
        )
    return Reply(201, {"data": results})


OPERATIONS: Mapping[str, Handler] = {
    "cancelMeeting": cancel_meeting,
    "getMeeting": get_meeting,
    "createMeeting": create_meeting,
}
