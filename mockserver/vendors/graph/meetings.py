"""Meetings across mailboxes: what a cancel or a new event changes in every copy.

The organizer's event and each attendee's copy are distinct records sharing an `iCalUId`
(occurrences have their own `iCalUId`, as in Graph). No record is ever lost: a cancelled organizer
event moves from `events` to `deleted_items` (Graph's Deleted Items folder).
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from mockserver.core.clock import format_instant
from mockserver.core.store import Record, Records
from mockserver.vendors.graph import rules
from mockserver.vendors.graph.mailboxes import Mailbox, default_calendar, find_user_by_address

ICAL_PREFIX = "040000008200E00074C5B7101A82E008"  # the Outlook global object id prefix
# The writable properties a new event takes from the request (`eventCreate` in the spec).
WRITABLE = (
    "subject",
    "body",
    "start",
    "end",
    "location",
    "isAllDay",
    "isOnlineMeeting",
    "showAs",
    "importance",
    "sensitivity",
    "categories",
    "responseRequested",
    "transactionId",
)


def new_event_id() -> str:
    return "AAMkAG" + base64.urlsafe_b64encode(uuid.uuid4().bytes + uuid.uuid4().bytes).decode("ascii")


def new_ical_uid() -> str:
    return ICAL_PREFIX + "00000000000000000000000000000000" + uuid.uuid4().hex.upper()


def cancel(records: Records, event: Mapping[str, Any], comment: str | None, now: datetime) -> list[str]:
    """Cancel the organizer's `event` (already checked by `rules.check_cancel`).

    The event (and, for a series master, its occurrences and exceptions) moves to Deleted Items;
    every attendee copy with the same `iCalUId` (and the occurrences of a cancelled attendee series)
    is marked cancelled; one cancellation message goes to the attendees. Returns the ids changed.
    """
    mailbox = event.get("x-mock-mailbox")
    targets = [event]
    if event.get("type") == "seriesMaster":
        master = {str(event["id"])}
        targets += [
            e
            for e in records.find_by("events", "seriesMasterId", *master)
            if e.get("x-mock-mailbox") == mailbox and rules.is_part_of(e, master)
        ]
    target_ids = {str(target["id"]) for target in targets}
    uids = {uid for target in targets if isinstance(uid := target.get("iCalUId"), str) and uid}
    # Every lookup runs before the first write, on the same view.
    copies = [
        e
        for e in records.find_by("events", "iCalUId", *uids)
        if e.get("x-mock-mailbox") != mailbox and str(e["id"]) not in target_ids
    ]
    copy_masters = {str(c["id"]) for c in copies if c.get("type") == "seriesMaster"}
    copy_ids = {str(c["id"]) for c in copies}
    if copy_masters:
        copies += [
            e
            for e in records.find_by("events", "seriesMasterId", *copy_masters)
            if str(e["id"]) not in copy_ids and rules.is_part_of(e, copy_masters)
        ]
    for target in targets:
        records.put("deleted_items", target["id"], rules.deleted(target, now))
        records.delete("events", target["id"])
    for copy in copies:
        records.put("events", copy["id"], rules.cancelled_copy(copy, now))
    if rules.recipients(event):
        records.emit("mail.cancellation", rules.cancellation_mail(event, comment))
    return sorted(target_ids | {str(c["id"]) for c in copies})


def _attendees(given: list[Any]) -> list[Record]:
    shown = []
    for attendee in given:
        entry = dict(attendee)
        entry.setdefault("type", "required")
        entry["status"] = {"response": "none", "time": "0001-01-01T00:00:00Z"}
        shown.append(entry)
    return shown


def create(records: Records, mailbox: Mailbox, body: dict[str, Any], now: datetime) -> Record:
    """A new meeting organised by `mailbox`: its event, one copy per attendee mailbox, invitations."""
    stamp = format_instant(now)
    ical_uid = new_ical_uid()
    fields = {key: body[key] for key in WRITABLE if key in body}
    base: Record = {
        "createdDateTime": stamp,
        "lastModifiedDateTime": stamp,
        "iCalUId": ical_uid,
        "subject": body.get("subject") or "",
        "importance": "normal",
        "sensitivity": "normal",
        "showAs": "busy",
        "isAllDay": False,
        "isCancelled": False,
        "isOnlineMeeting": False,
        "responseRequested": True,
        "seriesMasterId": None,
        "type": "singleInstance",
        "categories": [],
        **fields,
        "attendees": _attendees(list(body.get("attendees") or [])),
        "organizer": mailbox.recipient(),
    }
    organizer_event: Record = {
        "id": new_event_id(),
        "changeKey": rules.new_change_key(),
        **base,
        "isOrganizer": True,
        "responseStatus": {"response": "organizer", "time": "0001-01-01T00:00:00Z"},
        "x-mock-mailbox": mailbox.id,
    }
    calendar = default_calendar(records, mailbox)
    if calendar:
        organizer_event["x-mock-calendar"] = calendar
    records.put("events", organizer_event["id"], organizer_event)
    for attendee in organizer_event["attendees"]:
        address = str((attendee.get("emailAddress") or {}).get("address") or "")
        user = find_user_by_address(records, address) if address else None
        if user is None or user["id"] == mailbox.id:
            continue
        copy: Record = {
            "id": new_event_id(),
            "changeKey": rules.new_change_key(),
            **base,
            "isOrganizer": False,
            "responseStatus": {"response": "notResponded", "time": "0001-01-01T00:00:00Z"},
            "x-mock-mailbox": str(user["id"]),
        }
        records.put("events", copy["id"], copy)
    if organizer_event["attendees"]:
        records.emit(
            "mail.invitation",
            {
                "eventId": organizer_event["id"],
                "iCalUId": ical_uid,
                "from": mailbox.recipient()["emailAddress"],
                "to": rules.recipients(organizer_event),
                "subject": organizer_event["subject"],
                "start": organizer_event.get("start"),
                "end": organizer_event.get("end"),
            },
        )
    return organizer_event
