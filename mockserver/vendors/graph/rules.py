"""Graph's cancel rules on plain event records: no store, no HTTP.

Documented: only the organizer may cancel (an attendee gets 400 with the documented message); the
organizer's event moves to Deleted Items; an occurrence id cancels that occurrence only.
Inferred (Exchange behaviour): attendee copies get `isCancelled: true` and the subject prefix
"Canceled: "; a series master's cancel takes its occurrences and exceptions with it; a meeting
without attendees is cancelled without a message.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from mockserver.core.clock import format_instant
from mockserver.core.randomness import random_hex
from mockserver.core.store import Record
from mockserver.vendors.graph import errors

CANCELED_PREFIX = "Canceled: "  # inferred: the prefix Exchange puts on attendees' cancelled meetings
PARAMETER = "comment"  # the action's only parameter, matched case-insensitively
SERIES_TYPES = ("occurrence", "exception")


def comment_of(body: Any, at: errors.Trace) -> str | None:
    """The comment of a cancel body (`comment`, `Comment`, any casing), or None.

    An unknown parameter or the parameter twice is refused as OData does (inferred).
    """
    if body is None or body == "":
        return None
    if not isinstance(body, dict):
        raise errors.unexpected_node("StartArray" if isinstance(body, list) else "PrimitiveValue", at)
    comment: Any = None
    seen = False
    for name, value in body.items():
        if str(name).lower() != PARAMETER:
            raise errors.unknown_parameter(str(name), at)
        if seen:
            raise errors.duplicate_parameter("Comment", at)
        seen, comment = True, value
    if comment is not None and not isinstance(comment, str):
        raise errors.wrong_type("Edm.String", at)
    return comment


def check_cancel(event: Mapping[str, Any], at: errors.Trace) -> None:
    """Refuse a cancel of this mailbox's copy of the event, or return."""
    failure = event.get("x-mock-error")
    if isinstance(failure, str) and failure:
        raise errors.mock_error(failure, at, _text(event.get("x-mock-retry-after")))
    if event.get("isOrganizer") is not True:
        raise errors.not_organizer(at)
    if event.get("isCancelled") is True:
        # An organizer's cancelled event is in Deleted Items, never in the calendar (inferred).
        raise errors.item_not_found(at)


def _touched(event: Mapping[str, Any], now: datetime) -> Record:
    changed = dict(event)
    changed["lastModifiedDateTime"] = format_instant(now)
    changed["changeKey"] = new_change_key()
    return changed


def deleted(event: Mapping[str, Any], now: datetime) -> Record:
    """The organizer's event as it lies in Deleted Items after the cancel."""
    moved = _touched(event, now)
    moved["isCancelled"] = True
    moved["x-mock-deleted-at"] = format_instant(now)
    moved["x-mock-deleted-by"] = "cancel"
    return moved


def cancelled_copy(event: Mapping[str, Any], now: datetime) -> Record:
    """An attendee's copy of a meeting its organizer cancelled (inferred: Exchange's update)."""
    copy = _touched(event, now)
    copy["isCancelled"] = True
    subject = str(event.get("subject") or "")
    if not subject.startswith(CANCELED_PREFIX):
        copy["subject"] = CANCELED_PREFIX + subject
    return copy


def is_part_of(event: Mapping[str, Any], master_ids: set[str]) -> bool:
    return event.get("type") in SERIES_TYPES and event.get("seriesMasterId") in master_ids


def recipients(event: Mapping[str, Any]) -> list[dict[str, str]]:
    found = []
    for attendee in event.get("attendees") or []:
        address = (attendee.get("emailAddress") or {}) if isinstance(attendee, dict) else {}
        if address.get("address"):
            found.append({"address": str(address["address"]), "name": str(address.get("name") or "")})
    return found


def cancellation_mail(event: Mapping[str, Any], comment: str | None) -> dict[str, Any]:
    """The cancellation message sent to every attendee (what the outbox records)."""
    organizer = (event.get("organizer") or {}).get("emailAddress") or {}
    return {
        "eventId": event["id"],
        "iCalUId": event.get("iCalUId"),
        "type": event.get("type", "singleInstance"),
        "from": {"address": organizer.get("address"), "name": organizer.get("name")},
        "to": recipients(event),
        "subject": CANCELED_PREFIX + str(event.get("subject") or ""),
        "comment": comment,
        "start": event.get("start"),
        "end": event.get("end"),
    }


def new_change_key() -> str:
    return random_hex(22)


def _text(value: object) -> str | None:
    return None if value is None else str(value)
