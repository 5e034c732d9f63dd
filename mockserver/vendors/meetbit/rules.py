"""Meetbit's business rules on plain records; each returns a new record or raises a `VendorError`.

Documented: the note is required and at most 255 characters; cancelling stores the note and who
cancelled (`canceled_by_id`, `canceled_by_type`) and sets `deleted_at`; the key needs the
endpoint's permission (`events.delete.*` for cancel). Inferred: a cancelled (soft-deleted) event is
not found afterwards; an event must belong to the calendar in the path (Laravel scoped bindings);
the note is trimmed (Laravel's TrimStrings) before the rules see it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from mockserver.core.clock import format_instant
from mockserver.core.store import Record
from mockserver.vendors.meetbit import errors

NOTE_MAX_LENGTH = 255
USER_TYPE = "App\\Models\\Tenant\\User"

# operationId -> the permission the key needs (cancel: documented; read: inferred by analogy).
PERMISSIONS = {
    "cancelEvent": "events.delete.*",
    "getEvent": "events.read.*",
}

# `x-mock-error` values on an event and the error they provoke on cancel.
MOCK_ERRORS = ("INTERNAL_ERROR", "RATE_LIMITED")


def permitted(granted: list[str], needed: str) -> bool:
    """Whether any granted permission covers `needed`: exact, `*`, or a `prefix.*` wildcard."""
    for permission in granted:
        if permission in ("*", needed):
            return True
        if permission.endswith(".*") and needed.startswith(permission[:-1]):
            return True
    return False


PHP_TRIM = " \t\n\r\0\x0b"


def integer_id(text: str) -> int | None:
    """A route id: digits only (Laravel's integer route constraint); anything else matches nothing."""
    stripped = text.strip()
    return int(stripped) if stripped.isdigit() and stripped.isascii() else None


def locate(
    calendar: Mapping[str, Any] | None, event: Mapping[str, Any] | None, calendar_id: int
) -> Mapping[str, Any]:
    """The event, if the calendar exists and the live (not soft-deleted) event is in it."""
    if calendar is None or event is None:
        raise errors.not_found()
    if event.get("calendar_id") != calendar_id or event.get("deleted_at"):
        raise errors.not_found()
    return event


def mock_error(event: Mapping[str, Any]) -> None:
    """Raise the error an event's `x-mock-error` asks for (mock-only fact)."""
    wanted = event.get("x-mock-error")
    if wanted == "INTERNAL_ERROR":
        raise errors.server_error()
    if wanted == "RATE_LIMITED":
        raise errors.rate_limited()


def note(value: Any) -> str:
    """The cancel note as Laravel's validator sees it: trimmed, required, a string, ≤ 255 characters."""
    if value is None:
        raise errors.validation({errors.NOTE: [errors.required(errors.NOTE)]})
    if not isinstance(value, str):
        raise errors.validation({errors.NOTE: [errors.not_string(errors.NOTE)]})
    # PHP's trim() set (inferred: Laravel's TrimStrings), not Python's Unicode-wide strip(): a note
    # of U+0085 or U+2003 is text to Laravel and to the spec's `pattern: \S`, not an empty note.
    trimmed = value.strip(PHP_TRIM)
    if not trimmed:
        raise errors.validation({errors.NOTE: [errors.required(errors.NOTE)]})
    if len(trimmed) > NOTE_MAX_LENGTH:
        raise errors.validation({errors.NOTE: [errors.too_long(errors.NOTE, NOTE_MAX_LENGTH)]})
    return trimmed


def cancel(event: Mapping[str, Any], cancel_note: str, user_id: int, now: datetime) -> Record:
    """The cancelled event: note stored, canceller recorded, soft-deleted now."""
    if event.get("deleted_at"):
        raise errors.not_found()
    stamp = format_instant(now)
    return {
        **event,
        "cancel_note": cancel_note,
        "canceled_by_id": user_id,
        "canceled_by_type": USER_TYPE,
        "deleted_at": stamp,
        "updated_at": stamp,
    }


def recipients(event: Mapping[str, Any]) -> list[str]:
    """Who is mailed the cancellation (inferred): every attendee except the organizer."""
    attendees = event.get("attendees") or []
    return [
        str(attendee["email"])
        for attendee in attendees
        if isinstance(attendee, dict) and attendee.get("email") and not attendee.get("is_organizer")
    ]
