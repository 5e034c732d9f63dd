"""meetergo's cancellation rules on plain appointment dicts.

Documented (developer.meetergo.com, "Cancel an appointment"):
- a non-group appointment is cancelled; `cancelAll` is ignored for non-group bookings;
- a group booking (`meetingInfo.groupBooking`) needs `attendeeId` (that attendee is removed and the
  appointment continues for the others) or `cancelAll: true` (the whole appointment is cancelled);
  omitting both is a 400;
- `cancelEntireSeries: true` on a series member cancels all future occurrences too.

Inferred (not in the documents):
- cancelling a cancelled appointment is a 400 "Appointment is already cancelled";
- with both `attendeeId` and `cancelAll`, `attendeeId` wins (the less destructive reading);
- removing the last attendee of a group booking cancels the appointment;
- `attendeeId` on a non-group appointment is ignored, like `cancelAll`;
- `cancel.actionSource` is "host" for API callers (the document shows "attendee" as one value);
- "future occurrences" are the series members starting at or after this one (mock field
  `x-mock-series` names the series); an attendee removal applies to this occurrence only;
- only the company's admins and the appointment's hosts may cancel it (else NestJS's 403).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mockserver.core.clock import format_instant, parse_instant
from mockserver.core.store import Record
from mockserver.core.values import fast_init
from mockserver.vendors.meetergo import errors

SERIES = "x-mock-series"  # mock-only: the recurring series an appointment belongs to
SEQUENCE = "x-mock-sequence"  # mock-only: the iCalendar SEQUENCE of the appointment
ACTION_SOURCE = "host"  # inferred
MAX_REASON = 500
_UUID = re.compile(
    r"^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", re.IGNORECASE
)


@fast_init
@dataclass(frozen=True, slots=True)
class CancelCommand:
    reason: str | None = None
    attendee_id: str | None = None
    cancel_all: bool = False
    cancel_entire_series: bool = False


@fast_init
@dataclass(frozen=True, slots=True)
class Outcome:
    """What a cancel did: the new record, and the attendee removed (None = whole appointment)."""

    appointment: Record
    removed: Record | None = None

    @property
    def cancelled(self) -> bool:
        return bool(self.appointment.get("isCancelled"))


def is_uuid(value: str) -> bool:
    return bool(_UUID.match(value))


def parse_command(body: Any) -> CancelCommand:
    """The request body as a command, checked like meetergo's class-validator DTO (all problems)."""
    if body is None:
        return CancelCommand()
    if not isinstance(body, dict):
        raise errors.validation_failed([("body", errors.field_message("", "type"))])
    problems: list[errors.FieldProblem] = []
    reason = body.get("reason")
    if reason is not None:
        if not isinstance(reason, str):
            problems.append(("reason", errors.field_message("reason", "type")))
        elif len(reason) > MAX_REASON:
            problems.append(("reason", errors.field_message("reason", "maxLength")))
    attendee = body.get("attendeeId")
    if attendee is not None and not (isinstance(attendee, str) and is_uuid(attendee)):
        problems.append(("attendeeId", errors.field_message("attendeeId", "format")))
    flags: dict[str, bool] = {}
    for name in ("cancelAll", "cancelEntireSeries"):
        value = body.get(name, False)
        if value is None:
            value = False
        if not isinstance(value, bool):
            problems.append((name, errors.field_message(name, "type")))
        flags[name] = value is True
    if problems:
        raise errors.validation_failed(problems)
    return CancelCommand(
        reason=reason if isinstance(reason, str) else None,
        attendee_id=attendee if isinstance(attendee, str) else None,
        cancel_all=flags["cancelAll"],
        cancel_entire_series=flags["cancelEntireSeries"],
    )


def visible(appointment: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """The appointment, or 404 when it does not exist or is soft-deleted."""
    if appointment is None or appointment.get("deletedAt"):
        raise errors.appointment_not_found()
    return appointment


def check_access(appointment: Mapping[str, Any], user_id: str, company_id: str, role: str) -> None:
    if appointment.get("companyId") != company_id:
        raise errors.forbidden()
    if role != "admin" and user_id not in appointment.get("hostIds", []):
        raise errors.forbidden()


def check_mock_error(appointment: Mapping[str, Any]) -> None:
    """A fixture's `x-mock-error` makes every cancel of the record fail that way."""
    make = errors.MOCK_ERRORS.get(str(appointment.get("x-mock-error", "")))
    if make is not None:
        raise make()


def is_group(appointment: Mapping[str, Any]) -> bool:
    info = appointment.get("meetingInfo")
    return isinstance(info, dict) and info.get("groupBooking") is True


def _bumped(appointment: Mapping[str, Any], now: datetime) -> Record:
    changed = dict(appointment)
    changed[SEQUENCE] = int(appointment.get(SEQUENCE, 0)) + 1
    changed["updatedAt"] = format_instant(now)
    return changed


def cancelled(appointment: Mapping[str, Any], reason: str | None, actor: str, now: datetime) -> Record:
    """The appointment cancelled as a whole."""
    if appointment.get("isCancelled"):
        raise errors.already_cancelled()
    changed = _bumped(appointment, now)
    changed["isCancelled"] = True
    details: dict[str, Any] = {
        "actionSource": ACTION_SOURCE,
        "actionAt": format_instant(now),
        "actionBy": actor,
    }
    if reason is not None:
        details["reason"] = reason
    changed["cancel"] = details
    return changed


def without_attendee(
    appointment: Mapping[str, Any], attendee_id: str, now: datetime
) -> tuple[Record, Record]:
    """The group booking with one attendee removed, and that attendee."""
    attendees = [a for a in appointment.get("attendees", []) if isinstance(a, dict)]
    found = next((a for a in attendees if a.get("id") == attendee_id), None)
    if found is None and attendee_id not in appointment.get("attendeeIds", []):
        raise errors.attendee_not_found()
    changed = _bumped(appointment, now)
    changed["attendees"] = [a for a in attendees if a.get("id") != attendee_id]
    changed["attendeeIds"] = [i for i in appointment.get("attendeeIds", []) if i != attendee_id]
    return changed, found or {"id": attendee_id}


def cancel(appointment: Mapping[str, Any], command: CancelCommand, actor: str, now: datetime) -> Outcome:
    """Apply one cancel request to one appointment."""
    if appointment.get("isCancelled"):
        raise errors.already_cancelled()
    if not is_group(appointment):
        return Outcome(cancelled(appointment, command.reason, actor, now))
    if command.attendee_id is not None:
        changed, removed = without_attendee(appointment, command.attendee_id, now)
        if not changed["attendeeIds"] and not changed["attendees"]:
            changed = cancelled(changed, command.reason, actor, now)  # inferred: nobody is left
            changed[SEQUENCE] = int(appointment.get(SEQUENCE, 0)) + 1
        return Outcome(changed, removed)
    if command.cancel_all:
        return Outcome(cancelled(appointment, command.reason, actor, now))
    raise errors.group_needs_target()


def future_occurrences(
    appointment: Mapping[str, Any], others: list[Mapping[str, Any]]
) -> list[Mapping[str, Any]]:
    """Active members of this appointment's series that start at or after it (itself excluded)."""
    series = appointment.get(SERIES)
    if not series:
        return []
    start = parse_instant(str(appointment["start"]))
    found = [
        other
        for other in others
        if other.get(SERIES) == series
        and other.get("id") != appointment.get("id")
        and other.get("companyId") == appointment.get("companyId")
        and not other.get("isCancelled")
        and not other.get("deletedAt")
        and parse_instant(str(other["start"])) >= start
    ]
    return sorted(found, key=lambda other: parse_instant(str(other["start"])))
