from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest

from mockserver.core.errors import VendorError
from mockserver.core.exchange import Call, Reply
from mockserver.core.store import Record
from mockserver.service import MockService

ADELE = "87d349ed-44d7-43e1-9a83-5f2406dee5bd"
ALEX = "4782e723-f4f4-4af3-a76e-25e3bab0d896"
MEGAN = "48d31887-5fad-4d73-a9f5-3c356e68a038"
GROUP = "02bd9fd6-8f93-4758-87c3-1fb73740a315"
ADELE_TOKEN = "mock.adele.readwrite"
ALEX_TOKEN = "mock.alex.readwrite"
APP_TOKEN = "mock.app.readwrite"

_ROUTES = {
    "me.events.cancel": ("POST", "/v1.0/me/events/{event-id}/cancel"),
    "users.events.cancel": ("POST", "/v1.0/users/{user-id}/events/{event-id}/cancel"),
    "groups.events.cancel": ("POST", "/v1.0/groups/{group-id}/events/{event-id}/cancel"),
    "me.calendar.events.cancel": ("POST", "/v1.0/me/calendar/events/{event-id}/cancel"),
    "users.calendar.events.cancel": ("POST", "/v1.0/users/{user-id}/calendar/events/{event-id}/cancel"),
    "groups.calendar.events.cancel": ("POST", "/v1.0/groups/{group-id}/calendar/events/{event-id}/cancel"),
    "me.calendars.events.cancel": ("POST", "/v1.0/me/calendars/{calendar-id}/events/{event-id}/cancel"),
    "users.calendars.events.cancel": (
        "POST",
        "/v1.0/users/{user-id}/calendars/{calendar-id}/events/{event-id}/cancel",
    ),
    "me.calendarGroups.calendars.events.cancel": (
        "POST",
        "/v1.0/me/calendarGroups/{calendarGroup-id}/calendars/{calendar-id}/events/{event-id}/cancel",
    ),
    "users.calendarGroups.calendars.events.cancel": (
        "POST",
        "/v1.0/users/{user-id}/calendarGroups/{calendarGroup-id}/calendars/{calendar-id}/events/{event-id}/cancel",
    ),
    "me.events.get": ("GET", "/v1.0/me/events/{event-id}"),
    "users.events.get": ("GET", "/v1.0/users/{user-id}/events/{event-id}"),
    "me.events.list": ("GET", "/v1.0/me/events"),
    "users.events.list": ("GET", "/v1.0/users/{user-id}/events"),
    "me.events.create": ("POST", "/v1.0/me/events"),
    "users.events.create": ("POST", "/v1.0/users/{user-id}/events"),
}


class Graph:
    """The graph vendor over the default fixtures (validated against the spec on load):
    authenticate, then handle — each in one store transaction, as the HTTP layer does.

    Path parameters are passed by their spec names (`event-id`) and handed to the handler the way
    Connexion's router names them (`event_id`, `calendarGroup_id`)."""

    def __init__(self) -> None:
        self.service = MockService(["graph"])
        self.session = "unit"

    def call(
        self,
        operation_id: str,
        body: Any = None,
        token: str | None = ADELE_TOKEN,
        headers: dict[str, str] | None = None,
        query: dict[str, str] | None = None,
        **params: str,
    ) -> Reply:
        method, template = _ROUTES[operation_id]
        named = {name.replace("_", "-"): value for name, value in params.items()}
        path = re.sub(r"\{([^}]+)\}", lambda m: named[m.group(1)], template)
        all_headers = {"authorization": f"Bearer {token}"} if token else {}
        all_headers.update({k.lower(): v for k, v in (headers or {}).items()})
        call = Call(
            vendor="graph",
            operation_id=operation_id,
            method=method,
            path=path,
            path_params={name.replace("-", "_"): value for name, value in named.items()},
            query=query or {},
            headers=all_headers,
            body=None,
            session=self.session,
            now=self.service.now(self.session),
        )
        try:
            principal = self.service.authenticate(call)
            return self.service.handle(replace(call, body=body, principal=principal))
        except VendorError as error:
            return error.reply

    def records(self, collection: str) -> dict[str, Record]:
        return self.service.state(self.session, "graph")["graph"].get(collection, {})

    def event(self, event_id: str) -> Record:
        return self.records("events")[event_id]

    def outbox(self) -> list[dict[str, Any]]:
        return [entry.as_dict() for entry in self.service.store.outbox(self.session)]


def error_of(reply: Reply) -> tuple[int, str, str]:
    body = reply.body
    assert isinstance(body, dict), body
    return reply.status, body["error"]["code"], body["error"]["message"]


@pytest.fixture
def graph() -> Graph:
    return Graph()
