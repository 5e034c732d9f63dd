"""meetergo vendor tests without HTTP: a store seeded from the default fixtures at a fixed instant."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from mockserver.core.errors import VendorError
from mockserver.core.exchange import Call, Reply
from mockserver.core.store import MemoryStore, OutboxEntry, Records, Transaction
from mockserver.vendors.meetergo import VENDOR
from tests.vendors import seeding

NOW = datetime(2030, 5, 6, 7, 8, 9, tzinfo=UTC)
SESSION = "meetergo-tests"
API_KEY = "ak_live:00000000-0000-4000-8000-000000000001:mocksecret"
HOST = "0a000000-0000-4000-8000-000000000001"
ADMIN = "0a000000-0000-4000-8000-000000000002"
DEFAULT_HEADERS = {"authorization": f"Bearer {API_KEY}", "x-meetergo-api-user-id": HOST}
SINGLE = "a0000000-0000-4000-8000-000000000001"
GROUP = "a0000000-0000-4000-8000-000000000010"
SERIES = [f"a0000000-0000-4000-8000-0000000000{n}" for n in (20, 21, 22, 23)]


def seeded_store() -> MemoryStore:
    return seeding.seeded_store(VENDOR, NOW, SESSION)


class Client:
    """Authenticates and runs one meetergo operation the way the HTTP layer does, minus HTTP."""

    def __init__(self, store: MemoryStore) -> None:
        self.store = store

    def call(
        self,
        operation_id: str,
        appointment_id: str,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        suffix = "/cancel" if operation_id == "cancelAppointment" else ""
        call = Call(
            vendor="meetergo",
            operation_id=operation_id,
            method="POST" if suffix else "GET",
            path=f"/v4/appointment/{appointment_id}{suffix}",
            path_params={"id": appointment_id},
            query={},
            headers=dict(DEFAULT_HEADERS if headers is None else headers),
            body=body,
            session=SESSION,
            now=NOW,
        )
        try:
            principal = self.store.transact(
                SESSION, lambda tx: VENDOR.authenticate(call, Records(tx, "meetergo"))
            )
            authed = replace(call, principal=principal)
            handler = VENDOR.operations[operation_id]

            def run(tx: Transaction) -> Reply:
                return handler(authed, Records(tx, "meetergo"))

            return self.store.transact(SESSION, run)
        except VendorError as error:
            return error.reply

    def cancel(
        self, appointment_id: str, body: Any = None, headers: Mapping[str, str] | None = None
    ) -> Reply:
        return self.call("cancelAppointment", appointment_id, body, headers)

    def get(self, appointment_id: str, headers: Mapping[str, str] | None = None) -> Reply:
        return self.call("getAppointment", appointment_id, None, headers)

    def record(self, appointment_id: str) -> dict[str, Any]:
        found: dict[str, Any] = self.store.snapshot(SESSION, "meetergo")["meetergo"]["appointments"][
            appointment_id
        ]
        return found

    def outbox(self) -> list[OutboxEntry]:
        return self.store.outbox(SESSION)


@pytest.fixture
def client() -> Client:
    return Client(seeded_store())
