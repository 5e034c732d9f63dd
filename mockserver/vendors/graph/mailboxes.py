"""Which mailbox and calendar a Graph path names, and which events are in it.

Graph events live per mailbox: `me` is the token's user, `users/{id | userPrincipalName}` a user,
`groups/{id}` a Microsoft 365 group. An event record names its mailbox in `x-mock-mailbox` (a user or
group id) and its calendar in `x-mock-calendar` (absent: the mailbox's default calendar). Calendar
records name their mailbox in `x-mock-owner` and their calendar group in `x-mock-calendarGroup`.

Access (inferred, Exchange behaviour): an application token reaches every user mailbox but no group
calendar (group events support delegated permissions only); a delegated token reaches its own
mailbox and the groups listing its user in `x-mock-members`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from mockserver.core.exchange import Call
from mockserver.core.store import Records
from mockserver.core.values import fast_init
from mockserver.vendors.graph import errors
from mockserver.vendors.graph.auth import Principal

Owner = Literal["me", "users", "groups"]
Scope = Literal["mailbox", "default", "calendar", "calendarGroup"]


@fast_init
@dataclass(frozen=True, slots=True)
class Form:
    """One path form: who owns the mailbox and how much of it the path narrows to."""

    owner: Owner
    scope: Scope = "mailbox"


@fast_init
@dataclass(frozen=True, slots=True)
class Mailbox:
    kind: Literal["user", "group"]
    id: str
    address: str
    name: str

    @property
    def context(self) -> str:
        """The OData context segment: `users('id')` or `groups('id')`."""
        return f"{self.kind}s('{self.id}')"

    def recipient(self) -> dict[str, dict[str, str]]:
        return {"emailAddress": {"name": self.name, "address": self.address}}


@lru_cache(maxsize=256)  # parameter names come from the spec: a handful
def _plain(text: str) -> str:
    return "".join(char for char in text.lower() if char.isalnum())


def param(params: Mapping[str, str], name: str) -> str:
    """A path parameter by its spec name (`calendarGroup-id`), whatever spelling the HTTP layer used."""
    wanted = _plain(name)
    for key, value in params.items():
        if _plain(key) == wanted:
            return str(value)
    return ""


def _user_mailbox(user: Mapping[str, Any]) -> Mailbox:
    address = str(user.get("mail") or user["userPrincipalName"])
    return Mailbox("user", str(user["id"]), address, str(user.get("displayName") or address))


def find_user(records: Records, ref: str) -> Mapping[str, Any] | None:
    """A user by id or userPrincipalName (case-insensitive, as Graph)."""
    found = records.read("users", ref)
    if found is not None:
        return found
    wanted = ref.lower()
    matches = records.find(
        "users",
        lambda user: (
            str(user.get("userPrincipalName", "")).lower() == wanted
            or str(user.get("id", "")).lower() == wanted
        ),
    )
    return matches[0] if matches else None


def find_user_by_address(records: Records, address: str) -> Mapping[str, Any] | None:
    wanted = address.strip().lower()
    found = records.find(
        "users",
        lambda user: (
            wanted in (str(user.get("mail") or "").lower(), str(user.get("userPrincipalName", "")).lower())
        ),
    )
    return found[0] if found else None


def resolve(form: Form, call: Call, records: Records) -> Mailbox:
    """The mailbox the path names, if the caller may use it."""
    at = errors.trace(call)
    principal: Principal = call.principal
    if form.owner == "me":
        if principal.application or not principal.user_id:
            raise errors.me_needs_delegated(at)
        user = records.read("users", principal.user_id)
        if user is None:
            raise errors.invalid_user(principal.user_id, at)
        return _user_mailbox(user)
    if form.owner == "users":
        ref = param(call.path_params, "user-id")
        user = find_user(records, ref)
        if user is None:
            raise errors.invalid_user(ref, at)
        if not principal.application and principal.user_id != user["id"]:
            raise errors.access_denied(at)  # no delegate access to other mailboxes in the mock
        return _user_mailbox(user)
    ref = param(call.path_params, "group-id")
    group = records.read("groups", ref)
    if group is None:
        raise errors.group_not_found(ref, at)
    if principal.application or principal.user_id not in (group.get("x-mock-members") or []):
        raise errors.access_denied(at)
    address = str(group.get("mail") or group["id"])
    return Mailbox("group", str(group["id"]), address, str(group.get("displayName") or address))


def default_calendar(records: Records, mailbox: Mailbox) -> str | None:
    found = [
        calendar
        for calendar in records.find_by("calendars", "x-mock-owner", mailbox.id)
        if calendar.get("isDefaultCalendar")
    ]
    return str(found[0]["id"]) if found else None


def calendar_of(event: Mapping[str, Any], records: Records, mailbox: Mailbox) -> str | None:
    return str(event.get("x-mock-calendar") or "") or default_calendar(records, mailbox)


def find_event(form: Form, call: Call, records: Records, mailbox: Mailbox) -> Mapping[str, Any]:
    """The event the path names, in that mailbox and (if the path says so) that calendar: else 404."""
    at = errors.trace(call)
    event = records.read("events", param(call.path_params, "event-id"))
    if event is None or event.get("x-mock-mailbox") != mailbox.id:
        raise errors.item_not_found(at)
    if form.scope == "mailbox":
        return event
    if form.scope == "default":
        wanted = default_calendar(records, mailbox)
    else:
        wanted = param(call.path_params, "calendar-id")
        calendar = records.read("calendars", wanted)
        if calendar is None or calendar.get("x-mock-owner") != mailbox.id:
            raise errors.item_not_found(at)
        group = param(call.path_params, "calendarGroup-id")
        if form.scope == "calendarGroup" and calendar.get("x-mock-calendarGroup") != group:
            raise errors.item_not_found(at)
    if calendar_of(event, records, mailbox) != wanted:
        raise errors.item_not_found(at)
    return event


def events_in(records: Records, mailbox: Mailbox) -> list[Mapping[str, Any]]:
    return records.find_by("events", "x-mock-mailbox", mailbox.id)
