"""iCalendar (RFC 5545) text for meetergo's `ics` field, with iTIP (RFC 5546) methods.

A cancellation is `METHOD:CANCEL`; cancelling the whole event adds `STATUS:CANCELLED`, uninviting
single attendees must not (RFC 5546 §3.2.5). Lines end in CRLF and are folded at 75 octets.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from mockserver.core.clock import format_instant
from mockserver.core.values import fast_init

PRODID = "-//meetergo//meetergo Platform API v4 (cancel-contracts mock)//EN"
LINE_OCTETS = 75


@fast_init
@dataclass(frozen=True, slots=True)
class Person:
    email: str
    name: str = ""


@fast_init
@dataclass(frozen=True, slots=True)
class Event:
    uid: str
    sequence: int
    start: datetime
    end: datetime
    stamp: datetime
    summary: str
    organizer: Person
    attendees: Sequence[Person] = field(default_factory=tuple)
    description: str = ""
    location: str = ""
    comment: str = ""


def utc(value: datetime) -> str:
    """`20250101T100000Z`: a DATE-TIME in UTC form (`format_instant`'s text, which keeps the last
    second's, without its separators: every answer has a DTSTAMP of now)."""
    return format_instant(value).replace("-", "").replace(":", "")


def escape(text: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def param(value: str) -> str:
    """A parameter value, quoted when it holds `:`, `;` or `,` (DQUOTE itself is not allowed)."""
    clean = value.replace('"', "'").replace("\r", " ").replace("\n", " ")
    return f'"{clean}"' if any(char in clean for char in ":;,") else clean


def fold(line: str) -> list[str]:
    """Split one content line into pieces of at most 75 octets, never inside a UTF-8 character."""
    if line.isascii():  # one octet per character: cut by position
        if len(line) <= LINE_OCTETS:
            return [line]
        rest = LINE_OCTETS - 1
        return [
            line[:LINE_OCTETS],
            *(" " + line[at : at + rest] for at in range(LINE_OCTETS, len(line), rest)),
        ]
    if len(line.encode("utf-8")) <= LINE_OCTETS:
        return [line]
    pieces: list[str] = []
    current = ""
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = LINE_OCTETS if not pieces else LINE_OCTETS - 1  # continuations start with a space
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return [pieces[0], *(" " + piece for piece in pieces[1:])]


def _person(prop: str, person: Person, extra: str = "") -> str:
    name = f";CN={param(person.name)}" if person.name else ""
    return f"{prop}{name}{extra}:mailto:{person.email}"


# (the event without its stamp, method, status) -> the text before and after the DTSTAMP line
_RENDERED: OrderedDict[tuple[object, ...], tuple[str, str]] = OrderedDict()
_RENDERED_LIMIT = 4096


def render(event: Event, method: str, status: str | None) -> str:
    """A VCALENDAR with one VEVENT. `status` None leaves STATUS out (uninviting attendees)."""
    return stamped(parts(event, method, status), event.stamp)


def parts(event: Event, method: str, status: str | None) -> tuple[str, str]:
    """`render`'s text before the DTSTAMP line and after it. Only DTSTAMP changes from one
    rendering of an unchanged appointment to the next, so the rest is rendered once and kept (a
    bounded cache that drops its oldest entry when full)."""
    key = (
        event.uid,
        event.sequence,
        event.start,
        event.end,
        event.summary,
        event.organizer,
        tuple(event.attendees),
        event.description,
        event.location,
        event.comment,
        method,
        status,
    )
    found = _RENDERED.get(key)
    if found is None:
        if len(_RENDERED) >= _RENDERED_LIMIT:
            _RENDERED.popitem(last=False)  # the oldest, one at a time: no pause to empty it all
        found = _RENDERED[key] = _parts(event, method, status)
    return found


def stamped(text: tuple[str, str], stamp: datetime) -> str:
    """`render`'s text from its two `parts` and the DTSTAMP."""
    return f"{text[0]}DTSTAMP:{utc(stamp)}\r\n{text[1]}"


def _parts(event: Event, method: str, status: str | None) -> tuple[str, str]:
    """The folded text before the DTSTAMP line and after it (DTSTAMP is never folded: 24 octets)."""
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
    ]
    lines = [
        f"SEQUENCE:{event.sequence}",
        f"DTSTART:{utc(event.start)}",
        f"DTEND:{utc(event.end)}",
        f"SUMMARY:{escape(event.summary)}",
    ]
    if status:
        lines.append(f"STATUS:{status}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape(event.description)}")
    if event.location:
        lines.append(f"LOCATION:{escape(event.location)}")
    if event.comment:
        lines.append(f"COMMENT:{escape(event.comment)}")
    lines.append(_person("ORGANIZER", event.organizer))
    partstat = "" if method == "CANCEL" else ";PARTSTAT=ACCEPTED"
    lines.extend(
        _person("ATTENDEE", person, f";ROLE=REQ-PARTICIPANT{partstat}") for person in event.attendees
    )
    lines += ["END:VEVENT", "END:VCALENDAR"]
    before = "".join(piece + "\r\n" for line in head for piece in fold(line))
    after = "".join(piece + "\r\n" for line in lines for piece in fold(line))
    return before, after


def unfold(text: str) -> list[str]:
    """The content lines of `text` (CRLF + space/tab continuations joined)."""
    return text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")[:-1]
