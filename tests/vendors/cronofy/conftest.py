from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest

from mockserver.core.errors import VendorError
from mockserver.core.exchange import Call, Reply
from mockserver.core.store import Record
from mockserver.service import MockService

CALENDAR = "cal_n23kjnwrw2_jsdfjksn234"
_ROUTES = {
    "scheduleMeetingAgent": ("POST", "/v1/meeting_agents"),
    "cancelMeetingAgent": ("DELETE", "/v1/meeting_agents"),
    "upsertEvent": ("POST", "/v1/calendars/{calendar_id}/events"),
    "deleteEvent": ("DELETE", "/v1/calendars/{calendar_id}/events"),
}


class Cronofy:
    """The cronofy vendor over the default fixtures (validated against the spec on load):
    authenticate, then handle — each in one store transaction, as the HTTP layer does."""

    def __init__(self) -> None:
        self.service = MockService(["cronofy"])
        self.session = "unit"

    def freeze(self, instant: datetime) -> None:
        self.service.store.freeze(self.session, instant)

    def call(
        self, operation_id: str, body: Any, token: str | None = None, calendar_id: str = CALENDAR
    ) -> Reply:
        if token is None:
            token = "cronofy-access-token" if "Event" in operation_id else "cronofy-api-key"
        method, path = _ROUTES[operation_id]
        call = Call(
            vendor="cronofy",
            operation_id=operation_id,
            method=method,
            path=path.format(calendar_id=calendar_id),
            path_params={"calendar_id": calendar_id} if "{" in path else {},
            query={},
            headers={"authorization": f"Bearer {token}"} if token else {},
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
        return self.service.state(self.session, "cronofy")["cronofy"][collection]

    def agent(self, sub: str) -> Record:
        return self.records("meeting_agents")[sub]

    def agents_with_key(self, scheduling_key: str) -> list[Record]:
        return [
            a for a in self.records("meeting_agents").values() if a.get("scheduling_key") == scheduling_key
        ]

    def event(self, event_id: str) -> Record:
        return self.records("events")[event_id]

    def outbox(self) -> list[dict[str, Any]]:
        return [entry.as_dict() for entry in self.service.store.outbox(self.session)]


@pytest.fixture
def cronofy() -> Cronofy:
    return Cronofy()
