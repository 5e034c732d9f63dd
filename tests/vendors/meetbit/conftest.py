from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from mockserver.core.exchange import Call, Reply
from mockserver.core.store import MemoryStore, Records, Transaction
from mockserver.vendors.meetbit import VENDOR, auth
from tests.vendors import seeding

NOW = datetime(2030, 5, 6, 7, 8, 9, tzinfo=UTC)
DEFAULT_KEYS = {"x-access-key-id": "mbk_default", "x-access-key-secret": "mbs_default_secret"}


def seeded_store() -> MemoryStore:
    return seeding.seeded_store(VENDOR, NOW, "s")


def make_call(
    operation_id: str = "cancelEvent",
    calendar_id: str = "1001",
    event_id: str = "2001",
    body: Any = None,
    headers: dict[str, str] | None = None,
    principal: Any = None,
) -> Call:
    suffix = "/cancel" if operation_id == "cancelEvent" else ""
    return Call(
        vendor="meetbit",
        operation_id=operation_id,
        method="POST" if operation_id == "cancelEvent" else "GET",
        path=f"/api/public/v2.0/calendars/{calendar_id}/events/{event_id}{suffix}",
        path_params={"calendar_id": calendar_id, "event_id": event_id},
        query={},
        headers=DEFAULT_KEYS if headers is None else headers,
        body=body,
        session="s",
        now=NOW,
        principal=principal,
    )


class Mock:
    """The meetbit vendor over a seeded store: authenticate, then handle, each in one transaction."""

    def __init__(self) -> None:
        self.store = seeded_store()

    def run(self, fn: Callable[[Records], Any]) -> Any:
        def body(tx: Transaction) -> Any:
            return fn(Records(tx, "meetbit"))

        return self.store.transact("s", body)

    def send(self, call: Call) -> Reply:
        principal = self.run(lambda records: auth.authenticate(call, records))
        authed = call.with_principal(principal)
        handler = VENDOR.operations[call.operation_id]
        reply: Reply = self.run(lambda records: handler(authed, records))
        return reply

    def event(self, event_id: int) -> dict[str, Any]:
        found: dict[str, Any] = self.store.snapshot("s", "meetbit")["meetbit"]["events"][str(event_id)]
        return found


@pytest.fixture
def mock() -> Mock:
    return Mock()
