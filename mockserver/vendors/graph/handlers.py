"""Graph operations: operationId → handler `(call, records) -> Reply`.

Every cancel form runs the same steps: permission → body → mailbox → event → rules → state.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from mockserver.core.exchange import Call, Reply
from mockserver.core.store import Records
from mockserver.vendors.graph import auth, errors, mailboxes, meetings, rules, views
from mockserver.vendors.graph.mailboxes import Form
from mockserver.vendors.plugin import Handler

DEFAULT_PAGE = 10  # Graph's default page size for events
LISTED_TYPES = ("singleInstance", "seriesMaster")  # /events lists no occurrences or exceptions

CANCEL_FORMS: Mapping[str, Form] = {
    "me.events.cancel": Form("me"),
    "users.events.cancel": Form("users"),
    "groups.events.cancel": Form("groups"),
    "me.calendar.events.cancel": Form("me", "default"),
    "users.calendar.events.cancel": Form("users", "default"),
    "groups.calendar.events.cancel": Form("groups", "default"),
    "me.calendars.events.cancel": Form("me", "calendar"),
    "users.calendars.events.cancel": Form("users", "calendar"),
    "me.calendarGroups.calendars.events.cancel": Form("me", "calendarGroup"),
    "users.calendarGroups.calendars.events.cancel": Form("users", "calendarGroup"),
}


def cancel_handler(form: Form) -> Handler:
    def cancel(call: Call, records: Records) -> Reply:
        at = errors.trace(call)
        auth.require(call.principal, auth.READ_WRITE, at)
        comment = rules.comment_of(call.body, at)
        mailbox = mailboxes.resolve(form, call, records)
        event = mailboxes.find_event(form, call, records, mailbox)
        rules.check_cancel(event, at)
        meetings.cancel(records, event, comment, call.now)
        return Reply.empty(202, errors.success_headers(at))

    return cancel


def get_handler(form: Form) -> Handler:
    def get(call: Call, records: Records) -> Reply:
        at = errors.trace(call)
        auth.require(call.principal, auth.READ, at)
        mailbox = mailboxes.resolve(form, call, records)
        event = mailboxes.find_event(form, call, records, mailbox)
        return Reply(200, views.entity(event, mailbox), headers=errors.success_headers(at))

    return get


def _number(text: str | None, default: int) -> int:
    try:
        return int(text) if text not in (None, "") else default
    except ValueError:
        return default


def _next_link(call: Call, top: int, skip: int) -> str:
    host = call.header("host")
    origin = f"{call.header('x-forwarded-proto') or 'http'}://{host}/{call.vendor}" if host else ""
    return f"{origin or 'https://graph.microsoft.com'}{call.path}?{urlencode({'$top': top, '$skip': skip})}"


def list_handler(form: Form) -> Handler:
    def list_events(call: Call, records: Records) -> Reply:
        at = errors.trace(call)
        auth.require(call.principal, auth.READ, at)
        mailbox = mailboxes.resolve(form, call, records)
        top = _number(call.query.get("$top"), DEFAULT_PAGE)
        skip = _number(call.query.get("$skip"), 0)
        listed = [
            event
            for event in mailboxes.events_in(records, mailbox)
            if event.get("type", "singleInstance") in LISTED_TYPES
        ]
        listed.sort(key=lambda event: (str((event.get("start") or {}).get("dateTime", "")), str(event["id"])))
        page = listed[skip : skip + top]
        more = _next_link(call, top, skip + top) if skip + top < len(listed) else None
        return Reply(200, views.collection(page, mailbox, more), headers=errors.success_headers(at))

    return list_events


def create_handler(form: Form) -> Handler:
    def create(call: Call, records: Records) -> Reply:
        at = errors.trace(call)
        auth.require(call.principal, auth.READ_WRITE, at)
        mailbox = mailboxes.resolve(form, call, records)
        created = meetings.create(records, mailbox, dict(call.body or {}), call.now)
        return Reply(201, views.entity(created, mailbox), headers=errors.success_headers(at))

    return create


OPERATIONS: dict[str, Handler] = {
    **{operation_id: cancel_handler(form) for operation_id, form in CANCEL_FORMS.items()},
    "me.events.get": get_handler(Form("me")),
    "users.events.get": get_handler(Form("users")),
    "me.events.list": list_handler(Form("me")),
    "users.events.list": list_handler(Form("users")),
    "me.events.create": create_handler(Form("me")),
    "users.events.create": create_handler(Form("users")),
}
