"""Zoho CRM meeting rules on plain records: who may cancel, when, and what a cancellation changes.

Records:
    event  the Events record (spec schema `Event`), plus optional `x-mock-error`
    user   {"id", "name", "email", "permissions"?, "record_access"?, "mails_left_today"?}

Check order for a cancel (undocumented, inferred): `x-mock-error` → the user's permission
(NO_PERMISSION) → access to the record (CANNOT_PERFORM_ACTION) → the state rules in the order the
vendor document lists them (already cancelled, no invited participants, after the end time) → the
daily mail limit (only when a mail is to be sent).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from mockserver.core.clock import format_instant, parse_instant
from mockserver.core.store import Record
from mockserver.core.values import fast_init
from mockserver.vendors.plugin import public
from mockserver.vendors.zoho import errors

# Profile permissions (names inferred, Zoho style). A user without a `permissions` list has them all.
CANCEL = "Crm_Implied_Cancel_Meetings"
VIEW = "Crm_Implied_View_Meetings"
CREATE = "Crm_Implied_Create_Meetings"

TIME_FIELDS = ("Start_DateTime", "End_DateTime", "Created_Time", "Modified_Time")
_EVENT_ID = re.compile(r"^[0-9]{1,19}$")
FIRST_NEW_ID = 4876876000002000000


@fast_init
@dataclass(frozen=True, slots=True)
class Cancellation:
    event: Record
    user: Record | None  # the user with the mails left today lowered, when a mail is sent
    mail: dict[str, Any] | None  # the cancellation mail, when one is sent


def zoho_time(instant: datetime) -> str:
    """Zoho's date-time format: ISO 8601 to the second with a numeric offset (UTC here). The text
    is `format_instant`'s with the offset for the Z (which keeps the last second's text)."""
    return format_instant(instant)[:-1] + "+00:00"


@lru_cache(maxsize=4096)
def _shown_time(text: str) -> str:
    """A stored instant (RFC 3339 with a Z) as Zoho shows it (`zoho_time`). A record shows four,
    and the stored texts repeat (fixture times of a second, the cancellations' stamps), so each is
    converted once while it is among the last 4096."""
    return zoho_time(parse_instant(text))


def user_ref(user: Mapping[str, Any], with_email: bool = False) -> dict[str, Any]:
    ref = {"name": user.get("name", ""), "id": str(user["id"])}
    if with_email and user.get("email"):
        ref["email"] = user["email"]
    return ref


def is_event_id(text: str) -> bool:
    return bool(_EVENT_ID.match(text))


def require_permission(user: Mapping[str, Any], permission: str) -> None:
    granted = user.get("permissions")
    if granted is not None and permission not in granted:
        raise errors.no_permission(permission)


def can_act_on(user: Mapping[str, Any], event: Mapping[str, Any]) -> bool:
    """`$editable: false`, or a record of another owner for a user who sees only their own (inferred)."""
    if event.get("$editable") is False:
        return False
    owner = str((event.get("Owner") or {}).get("id", ""))
    return user.get("record_access", "all") != "own" or owner == str(user["id"])


def email_of(person: dict[str, Any]) -> str | None:
    """A participant's address: `Email`, or the participant itself for type `email`."""
    address = person.get("Email") or (person.get("participant") if person.get("type") == "email" else None)
    return str(address) if address else None


def recipients(event: Mapping[str, Any]) -> list[str]:
    """The participants' email addresses, each once."""
    found: list[str] = []
    for person in event.get("Participants") or []:
        address = email_of(person)
        if address and address not in found:
            found.append(address)
    return found


def invited(event: Mapping[str, Any]) -> bool:
    return any(person.get("invited") for person in event.get("Participants") or [])


def cancel(event: Mapping[str, Any], user: Mapping[str, Any], send_mail: bool, now: datetime) -> Cancellation:
    """Cancel `event` as `user`, or raise the VendorError Zoho would answer."""
    event_id = str(event["id"])
    if event.get("x-mock-error"):
        raise errors.forced(str(event["x-mock-error"]), event_id)
    require_permission(user, CANCEL)
    if not can_act_on(user, event):
        raise errors.cannot_perform_action(event_id)
    if event.get("$event_cancelled"):
        raise errors.already_cancelled(event_id)
    if not invited(event):
        raise errors.no_participants(event_id)
    if now > parse_instant(str(event["End_DateTime"])):
        raise errors.after_end(event_id)
    to = recipients(event) if send_mail else []
    # Inferred: the daily limit counts one mail per recipient.
    left = int(user.get("mails_left_today", 1000))
    if to and left < len(to):
        raise errors.daily_limit()
    stamp = zoho_time(now)
    changed = {**event, "$event_cancelled": True, "Modified_Time": stamp, "Modified_By": user_ref(user)}
    mail = None
    new_user = None
    if to:
        new_user = {**user, "mails_left_today": left - len(to)}
        times = shown(event)
        mail = {
            "event_id": event_id,
            "from": user.get("email", ""),
            "to": to,
            "subject": f"Meeting cancelled: {event.get('Event_Title', '')}",
            "Event_Title": event.get("Event_Title", ""),
            "Start_DateTime": times.get("Start_DateTime"),
            "End_DateTime": times.get("End_DateTime"),
        }
    return Cancellation(event=changed, user=new_user, mail=mail)


def next_id(existing: list[str]) -> str:
    """A new 19-digit record id, above every numeric id in use."""
    numbers = [int(key) for key in existing if key.isdigit()]
    return str(max([FIRST_NEW_ID - 1, *numbers]) + 1)


def new_event(fields: dict[str, Any], event_id: str, user: Mapping[str, Any], now: datetime) -> Record:
    """An Events record from one Insert Records input; `$send_notification` invites the participants."""
    notify = bool(fields.get("$send_notification", False))
    participants = []
    for person in fields.get("Participants") or []:
        participants.append(
            {
                "type": person["type"],
                "participant": person["participant"],
                "Email": email_of(person),
                "name": person.get("name"),
                "invited": notify,
                "status": "not_known",
            }
        )
    stamp = zoho_time(now)
    record: Record = {
        key: value for key, value in fields.items() if not key.startswith("$") and key not in ("id", "Owner")
    }
    record.update(
        {
            "id": event_id,
            "Owner": user_ref(user, with_email=True),
            "Participants": participants,
            "$event_cancelled": False,
            "$editable": True,
            "Created_Time": stamp,
            "Modified_Time": stamp,
            "Created_By": user_ref(user),
            "Modified_By": user_ref(user),
        }
    )
    return record


def shown(event: Mapping[str, Any]) -> Record:
    """The record as Zoho shows it: no mock-only fields, UTC times with a numeric offset."""
    view = public(event)
    for key in TIME_FIELDS:
        value = view.get(key)
        if isinstance(value, str) and value.endswith("Z"):
            view[key] = _shown_time(value)
    return view
