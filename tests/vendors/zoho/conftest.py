"""Zoho vendor tests without HTTP: a store seeded from the default fixtures at a fixed instant."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from mockserver.core.errors import VendorError
from mockserver.core.exchange import Call, Reply
from mockserver.core.store import MemoryStore, Records
from mockserver.vendors.zoho import VENDOR
from tests.vendors import seeding

NOW = datetime(2030, 5, 6, 7, 8, 9, tzinfo=UTC)
SESSION = "zoho-tests"
ALL = "1000.mock.zoho.all"
CANCELLABLE = "4876876000001081142"


def seeded_store() -> MemoryStore:
    return seeding.seeded_store(VENDOR, NOW, SESSION)


class Client:
    """Authenticates and runs one Zoho operation the way the HTTP layer does, minus HTTP."""

    def __init__(self, store: MemoryStore) -> None:
        self.store = store

    def call(
        self,
        operation_id: str,
        event_id: str | None = None,
        body: Any = None,
        token: str | None = ALL,
        now: datetime = NOW,
    ) -> Reply:
        headers = {"authorization": f"Zoho-oauthtoken {token}"} if token is not None else {}
        params = {"version": "v8", **({"event_id": event_id} if event_id is not None else {})}
        call = Call("zoho", operation_id, "POST", "/crm/v8/Events", params, {}, headers, body, SESSION, now)
        try:
            principal = self.store.transact(
                SESSION, lambda tx: VENDOR.authenticate(call, Records(tx, "zoho"))
            )
            handler = VENDOR.operations[operation_id]
            authed = call.with_principal(principal)
            return self.store.transact(SESSION, lambda tx: handler(authed, Records(tx, "zoho")))
        except VendorError as error:
            return error.reply

    def cancel(self, event_id: str, send_mail: bool = False, token: str | None = ALL) -> Reply:
        return self.call("cancelMeeting", event_id, {"data": [{"send_cancelling_mail": send_mail}]}, token)

    def get(self, event_id: str, token: str | None = ALL) -> Reply:
        return self.call("getMeeting", event_id, None, token)

    def state(self, collection: str) -> dict[str, Any]:
        return self.store.snapshot(SESSION, "zoho")["zoho"][collection]


@pytest.fixture
def client() -> Client:
    return Client(seeded_store())
