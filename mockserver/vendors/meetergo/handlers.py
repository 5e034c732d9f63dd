"""meetergo operations: unpack the call, apply `rules`, store, notify, reply.

Every reply carries `ics` rendered from the stored state (`METHOD:REQUEST` while active,
`METHOD:CANCEL` + `STATUS:CANCELLED` once cancelled); the cancel reply for an attendee removal
carries the CANCEL sent to that attendee. Notifications go to the outbox: `mail.cancellation`
(recipients, reason, ics) and `webhook.booking_cancelled`.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from mockserver.core.clock import parse_instant
from mockserver.core.exchange import Call, Reply
from mockserver.core.store import Record, Records
from mockserver.vendors.meetergo import errors, ics, rules
from mockserver.vendors.meetergo.auth import Principal
from mockserver.vendors.plugin import Handler, public

APPOINTMENTS = "appointments"
USERS = "users"
NOREPLY = "noreply@meetergo.com"
JSON = "application/json; charset=utf-8"
_JSON_RANGES = ("*/*", "application/*", "application/json")


def check_accept(call: Call) -> None:
    """406 when the Accept header rules out JSON (inferred trigger for the documented 406)."""
    accept = call.header("accept")
    if not accept or not accept.strip():
        return
    ranges = [part.split(";", 1)[0].strip().lower() for part in accept.split(",")]
    if not any(media in _JSON_RANGES or media.endswith("+json") for media in ranges):
        raise errors.not_acceptable()


def body_of(call: Call) -> Any:
    """The JSON body. Without a Content-Type the framework hands over raw bytes (e.g. the spec's
    default `{}` for an absent body): decode them here rather than refuse a valid request."""
    body = call.body
    if isinstance(body, bytes | bytearray):
        body = body.decode("utf-8", errors="replace")
    if isinstance(body, str):
        if not body.strip():
            return None
        try:
            return json.loads(body)
        except ValueError:
            raise errors.validation_failed([("body", errors.field_message("", "type"))]) from None
    return body


def _principal(call: Call) -> Principal:
    if not isinstance(call.principal, Principal):
        raise errors.missing_authorization()
    return call.principal


def _person(user: Mapping[str, Any] | None, fallback: str) -> ics.Person:
    if user is None:
        return ics.Person(fallback)
    name = " ".join(str(part) for part in (user.get("firstname"), user.get("lastname")) if part)
    return ics.Person(str(user.get("email") or fallback), name)


def _attendee_people(attendee: Record) -> list[ics.Person]:
    people: list[ics.Person] = []
    email = attendee.get("email")
    if email:
        name = attendee.get("fullname") or " ".join(
            str(part) for part in (attendee.get("firstname"), attendee.get("lastname")) if part
        )
        people.append(ics.Person(str(email), str(name)))
    people.extend(ics.Person(str(extra)) for extra in attendee.get("bringalongEmails") or [] if extra)
    return people


def _host(appointment: Mapping[str, Any], records: Records) -> Mapping[str, Any] | None:
    """The user record of the appointment's organizer (its main host, else its first host)."""
    hosting = appointment.get("hostingInfo") or {}
    host_ids = appointment.get("hostIds") or []
    host = hosting.get("mainHost") or (host_ids[0] if host_ids else None)
    return records.read(USERS, str(host)) if host else None


def _event(
    appointment: Mapping[str, Any], host: Mapping[str, Any] | None, now: datetime, attendees: list[Record]
) -> ics.Event:
    """The appointment as an iCalendar event, organized by its `host` (`_host`)."""
    info = appointment.get("meetingInfo") or {}
    hosting = appointment.get("hostingInfo") or {}
    cancel = appointment.get("cancel") or {}
    return ics.Event(
        uid=f"{appointment['id']}@meetergo.com",
        sequence=int(appointment.get(rules.SEQUENCE, 0)),
        start=parse_instant(str(appointment["start"])),
        end=parse_instant(str(appointment["end"])),
        stamp=now,
        summary=str(info.get("name") or "Appointment"),
        organizer=_person(host, NOREPLY),
        attendees=[person for attendee in attendees for person in _attendee_people(attendee)],
        description=str(info.get("description") or ""),
        location=str(appointment.get("location") or hosting.get("meetingLink") or ""),
        comment=str(cancel.get("reason") or "") if appointment.get("isCancelled") else "",
    )


def calendar(appointment: Mapping[str, Any], records: Records, now: datetime) -> str:
    """The appointment's current iCalendar text."""
    return ics.stamped(_calendar_parts(appointment, _host(appointment, records), now), now)


def _calendar_parts(
    appointment: Mapping[str, Any], host: Mapping[str, Any] | None, now: datetime
) -> tuple[str, str]:
    """The appointment's iCalendar text but for DTSTAMP (`ics.parts`). What it is rendered from —
    the appointment and its organizer's user record — is never changed in place (the store
    contract), so while the store hands out the very same two objects, the parts are the ones kept
    for them."""
    kept = _CALENDARS.get(id(appointment))
    if kept is not None and kept[0] is appointment and kept[1] is host:
        return kept[2]
    event = _event(appointment, host, now, list(appointment.get("attendees") or []))
    if appointment.get("isCancelled"):
        parts = ics.parts(event, "CANCEL", "CANCELLED")
    else:
        parts = ics.parts(event, "REQUEST", "CONFIRMED")
    _keep(appointment, host, parts)
    return parts


def _keep(appointment: Mapping[str, Any], host: Mapping[str, Any] | None, parts: tuple[str, str]) -> None:
    if len(_CALENDARS) >= _CALENDARS_LIMIT:
        # The oldest entry goes, one per entry kept: emptying the whole cache at once freed 4096
        # entries' records in one request (1.4-1.8 ms, once a second under load).
        _CALENDARS.popitem(last=False)
    _CALENDARS[id(appointment)] = (appointment, host, parts)  # both kept: their ids stay theirs


# id(appointment) -> (that appointment record, its organizer's user record, `ics.parts`), oldest first
_CALENDARS: OrderedDict[int, tuple[Mapping[str, Any], Mapping[str, Any] | None, tuple[str, str]]] = (
    OrderedDict()
)
_CALENDARS_LIMIT = 4096


def shown(appointment: Mapping[str, Any], ics_text: str) -> dict[str, Any]:
    view = public(appointment)  # a new dict: the appointment's copy without mock fields
    view["ics"] = ics_text  # where the stored record has it, else last, as `{**view, "ics": ...}`
    return view


def _recipients(appointment: Record, records: Records, attendees: list[Record]) -> list[str]:
    emails = [person.email for attendee in attendees for person in _attendee_people(attendee)]
    for host_id in appointment.get("hostIds") or []:
        host = records.read(USERS, str(host_id))
        if host is not None and host.get("email"):
            emails.append(str(host["email"]))
    return list(dict.fromkeys(emails))


def _notify(
    records: Records, appointment: Record, ics_text: str, recipients: list[str], **extra: Any
) -> None:
    info = appointment.get("meetingInfo") or {}
    reason = (appointment.get("cancel") or {}).get("reason")
    records.emit(
        "mail.cancellation",
        {
            "appointmentId": appointment["id"],
            "recipients": recipients,
            "subject": f"Cancelled: {info.get('name') or 'Appointment'}",
            "reason": extra.get("reason", reason),
            "ics": ics_text,
            **({"attendeeId": extra["attendeeId"]} if "attendeeId" in extra else {}),
        },
    )
    payload: dict[str, Any] = {"event": "booking_cancelled", "appointment": shown(appointment, ics_text)}
    if "attendeeId" in extra:
        payload["attendeeId"] = extra["attendeeId"]  # inferred: a removal is reported with the attendee
    records.emit("webhook.booking_cancelled", payload)


def _store(records: Records, appointment: Record, host: Mapping[str, Any] | None, now: datetime) -> str:
    """Put `appointment` with its current calendar (organized by `host`); returns that text."""
    parts = _calendar_parts(appointment, host, now)
    text = ics.stamped(parts, now)
    stored = {**appointment, "ics": text}
    records.put(APPOINTMENTS, appointment["id"], stored)
    # A read of the stored record renders the same parts ("ics" is not rendered): the read-back
    # that usually follows a cancellation finds them kept.
    _keep(stored, host, parts)
    return text


def _store_cancelled(
    records: Records, appointment: Record, now: datetime, removed: Record | None = None
) -> str:
    text = _store(records, appointment, _host(appointment, records), now)
    attendees = list(appointment.get("attendees") or []) + ([removed] if removed else [])
    _notify(records, appointment, text, _recipients(appointment, records, attendees))
    return text


def cancel_appointment(call: Call, records: Records) -> Reply:
    check_accept(call)
    command = rules.parse_command(body_of(call))
    principal = _principal(call)
    appointment = rules.visible(records.read(APPOINTMENTS, call.path_params.get("id", "")))
    rules.check_access(appointment, principal.user_id, principal.company_id, principal.role)
    rules.check_mock_error(appointment)
    outcome = rules.cancel(appointment, command, principal.user_id, call.now)
    changed = outcome.appointment
    if outcome.removed is not None and not outcome.cancelled:
        host = _host(changed, records)
        event = _event(changed, host, call.now, [outcome.removed])
        text = ics.render(event, "CANCEL", None)  # RFC 5546: uninviting attendees carries no STATUS
        _store(records, changed, host, call.now)
        recipients = [person.email for person in _attendee_people(outcome.removed)]
        _notify(records, changed, text, recipients, reason=command.reason, attendeeId=outcome.removed["id"])
        return Reply(200, shown(changed, text), JSON)
    text = _store_cancelled(records, changed, call.now, outcome.removed)
    if command.cancel_entire_series and outcome.removed is None:
        series = changed.get(rules.SERIES)
        if not series:
            same_series = []
        elif isinstance(series, str):  # the usual: looked up through an index
            same_series = records.find_by(APPOINTMENTS, rules.SERIES, series)
        else:  # a fixture may name a series otherwise (x-mock-* fields are the mock's own)
            same_series = records.find(APPOINTMENTS, lambda other: other.get(rules.SERIES) == series)
        for other in rules.future_occurrences(changed, same_series):
            _store_cancelled(
                records, rules.cancelled(other, command.reason, principal.user_id, call.now), call.now
            )
    return Reply(200, shown(changed, text), JSON)


def get_appointment(call: Call, records: Records) -> Reply:
    check_accept(call)
    principal = _principal(call)
    appointment = rules.visible(records.read(APPOINTMENTS, call.path_params.get("id", "")))
    rules.check_access(appointment, principal.user_id, principal.company_id, principal.role)
    return Reply(200, shown(appointment, calendar(appointment, records, call.now)), JSON)


OPERATIONS: Mapping[str, Handler] = {
    "cancelAppointment": cancel_appointment,
    "getAppointment": get_appointment,
}
