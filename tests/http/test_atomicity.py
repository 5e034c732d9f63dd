"""200 concurrent cancels of one meeting → exactly one success; the rest get the vendor's answer
for an already-cancelled meeting. Same for every vendor, against the real vendor rules."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from mockserver.http.app import create_app, service_of


@dataclass(frozen=True)
class Case:
    path: str
    headers: dict[str, str]
    body: Any
    success: int
    refusal: int  # the vendor's answer to cancelling an already-cancelled meeting
    method: str = "POST"


CASES = {
    "zoho": Case(
        "/zoho/crm/v8/Events/4876876000001081142/actions/cancel",
        {"Authorization": "Zoho-oauthtoken 1000.mock.zoho.all"},
        {"data": [{"send_cancelling_mail": True}]},
        200,
        400,
    ),
    "graph": Case(
        "/graph/v1.0/me/events/AAMkAdeleSync=/cancel",
        {"Authorization": "Bearer mock.adele.readwrite"},
        {"Comment": "bye"},
        202,
        404,
    ),
    "meetbit": Case(
        "/meetbit/api/public/v2.0/calendars/1001/events/2001/cancel",
        {"X-Access-Key-Id": "mbk_default", "X-Access-Key-Secret": "mbs_default_secret"},
        {"cancel_note": "bye"},
        200,
        404,
    ),
    "meetergo": Case(
        "/meetergo/v4/appointment/a0000000-0000-4000-8000-000000000001/cancel",
        {
            "Authorization": "Bearer ak_live:00000000-0000-4000-8000-000000000001:mocksecret",
            "x-meetergo-api-user-id": "0a000000-0000-4000-8000-000000000001",
        },
        {"reason": "bye"},
        200,
        400,
    ),
}


@pytest.mark.parametrize("vendor", list(CASES))
async def test_two_hundred_concurrent_cancels(vendor: str) -> None:
    case = CASES[vendor]
    app = create_app([vendor])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://mock") as client:
        responses = await asyncio.gather(
            *(
                client.request(case.method, case.path, json=case.body, headers=case.headers)
                for _ in range(200)
            )
        )
    statuses = [response.status_code for response in responses]
    assert statuses.count(case.success) == 1, sorted(set(statuses))
    assert statuses.count(case.refusal) == 199, sorted(set(statuses))
    mails = [m for m in service_of(app).store.outbox("default") if m.kind == "mail.cancellation"]
    assert len(mails) <= 1  # the notification is sent once, by the one cancel that happened


async def test_cronofy_concurrent_cancels_cancel_once() -> None:
    # Cronofy answers 202 to every cancel (documented), so the proof is in the state and outbox.
    app = create_app(["cronofy"])
    headers = {"Authorization": "Bearer cronofy-api-key"}
    body = {"scheduling_key": "your-identifier-for-this-unique-meeting"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://mock") as client:
        responses = await asyncio.gather(
            *(
                client.request("DELETE", "/cronofy/v1/meeting_agents", json=body, headers=headers)
                for _ in range(200)
            )
        )
    assert {response.status_code for response in responses} == {202}
    cancelled = [m for m in service_of(app).store.outbox("default") if m.kind == "meeting_agent.cancelled"]
    assert len(cancelled) == 1
