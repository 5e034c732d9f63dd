"""Forced errors and throttling through the real app, for every vendor.

A forced error must be the organically provoked one, byte for byte: same request, once without
and once with `X-Mock-Fault` naming the error the rules produce. Graph's `innerError.request-id`
is a fresh uuid per answer on the real service and here, so it is the one field masked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from mockserver.http.app import create_app

ZOHO = {"Authorization": "Zoho-oauthtoken 1000.mock.zoho.all"}
# Graph echoes client-request-id and makes a fresh one when none is sent: send one.
GRAPH = {
    "Authorization": "Bearer mock.adele.readwrite",
    "client-request-id": "11111111-2222-4333-8444-555555555555",
}
MEETBIT = {"X-Access-Key-Id": "mbk_default", "X-Access-Key-Secret": "mbs_default_secret"}
CRONOFY = {"Authorization": "Bearer cronofy-api-key"}
MEETERGO = {
    "Authorization": "Bearer ak_live:00000000-0000-4000-8000-000000000001:mocksecret",
    "x-meetergo-api-user-id": "0a000000-0000-4000-8000-000000000001",
}


@dataclass(frozen=True)
class Organic:
    vendor: str
    method: str
    path: str
    headers: dict[str, str]
    body: Any
    fault: str
    status: int


ORGANIC = [
    Organic(
        "zoho",
        "POST",
        "/crm/v8/Events/4876876000001081143/actions/cancel",
        ZOHO,
        {"data": [{"send_cancelling_mail": False}]},
        "NOT_ALLOWED_already_cancelled",
        400,
    ),
    Organic(
        "zoho",
        "POST",
        "/crm/v8/Events/4876876000009999999/actions/cancel",
        ZOHO,
        {"data": [{"send_cancelling_mail": False}]},
        "INVALID_DATA",
        400,
    ),
    Organic("graph", "POST", "/v1.0/me/events/AAMkNoSuchEvent=/cancel", GRAPH, {}, "item_not_found", 404),
    Organic(
        "graph",
        "POST",
        "/v1.0/me/events/AAMkAlexSync=/cancel",
        {**GRAPH, "Authorization": "Bearer mock.alex.readwrite"},
        {},
        "not_organizer",
        400,
    ),
    Organic(
        "meetbit",
        "POST",
        "/api/public/v2.0/calendars/1001/events/999999/cancel",
        MEETBIT,
        {"cancel_note": "x"},
        "resource_object_does_not_exist",
        404,
    ),
    Organic("cronofy", "DELETE", "/v1/meeting_agents", CRONOFY, {}, "errors.required", 422),
    Organic(
        "meetergo",
        "POST",
        "/v4/appointment/a0000000-0000-4000-8000-00000000ffff/cancel",
        MEETERGO,
        {},
        "APPOINTMENT_NOT_FOUND",
        404,
    ),
    Organic(
        "meetergo",
        "POST",
        "/v4/appointment/a0000000-0000-4000-8000-000000000010/cancel",
        MEETERGO,
        {},
        "GROUP_BOOKING_NEEDS_TARGET",
        400,
    ),
]


def _masked(response: httpx.Response) -> bytes:
    if response.headers.get("content-type", "").startswith("application/json"):
        body = response.json()
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            inner = body["error"].get("innerError")
            if isinstance(inner, dict) and "request-id" in inner:
                inner["request-id"] = "<masked>"
                return json.dumps(body, ensure_ascii=False).encode()
    return response.content


@pytest.fixture(scope="module")
def app() -> Any:
    return create_app()


async def _send(client: httpx.AsyncClient, case: Organic, session: str, fault: str | None) -> httpx.Response:
    headers = {**case.headers, "X-Mock-Session": session}
    if fault:
        headers["X-Mock-Fault"] = f"error={fault}"
    await client.put(
        "/__admin/clock", json={"now": "2030-01-01T00:00:00Z"}, headers={"X-Mock-Session": session}
    )
    return await client.request(case.method, f"/{case.vendor}{case.path}", json=case.body, headers=headers)


@pytest.mark.parametrize("case", ORGANIC, ids=[f"{c.vendor}-{c.fault}" for c in ORGANIC])
async def test_forced_error_is_the_organic_one_byte_for_byte(app: Any, case: Organic) -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://mock") as client:
        organic = await _send(client, case, f"organic-{case.vendor}-{case.fault}", None)
        forced = await _send(client, case, f"forced-{case.vendor}-{case.fault}", case.fault)
    assert organic.status_code == case.status, organic.text
    assert forced.status_code == organic.status_code
    assert forced.headers.get("content-type") == organic.headers.get("content-type")
    assert _masked(forced) == _masked(organic)


THROTTLED = {
    "zoho": ("/crm/v8/Events/4876876000001081142", "GET", ZOHO, 429, "application/json", []),
    "graph": ("/v1.0/me/events/AAMkAdeleSync=", "GET", GRAPH, 429, "application/json", ["Retry-After"]),
    "meetbit": (
        "/api/public/v2.0/calendars/1001/events/2001",
        "GET",
        MEETBIT,
        429,
        "text/plain",
        ["Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"],
    ),
    "cronofy": ("/v1/meeting_agents", "DELETE", CRONOFY, 429, None, []),
    "meetergo": (
        "/v4/appointment/a0000000-0000-4000-8000-000000000001",
        "GET",
        MEETERGO,
        429,
        "application/json",
        ["Retry-After"],
    ),
}


@pytest.mark.parametrize("vendor", list(THROTTLED))
async def test_throttling_answers_as_each_vendor_documents(app: Any, vendor: str) -> None:
    path, method, headers, status, media, wanted_headers = THROTTLED[vendor]
    session = {"X-Mock-Session": f"throttle-{vendor}"}
    body = {"scheduling_key": "agent-already-joining"} if vendor == "cronofy" else None
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://mock") as client:
        rule = {"vendor": vendor, "throttle": {"limit": 1, "window_seconds": 30}}
        assert (await client.post("/__admin/faults", json=rule, headers=session)).status_code == 201
        first = await client.request(method, f"/{vendor}{path}", json=body, headers={**headers, **session})
        second = await client.request(method, f"/{vendor}{path}", json=body, headers={**headers, **session})
        other = await client.request(
            method, f"/{vendor}{path}", json=body, headers={**headers, "X-Mock-Session": "calm"}
        )
    assert first.status_code < 400, first.text
    assert second.status_code == status, second.text
    assert other.status_code < 400  # faults never leak into another session
    if media is None:
        assert second.content == b""
    else:
        assert second.headers["content-type"].startswith(media)
    for name in wanted_headers:
        assert name in second.headers, (name, dict(second.headers))
    if "Retry-After" in wanted_headers:
        assert 0 < int(second.headers["Retry-After"]) <= 30


async def _seeded_statuses(client: httpx.AsyncClient, vendor: str, seed: int, session: str) -> list[int]:
    path, method, headers, _, _, _ = THROTTLED[vendor]
    body = {"scheduling_key": "agent-already-joining"} if vendor == "cronofy" else None
    s = {"X-Mock-Session": session}
    rule = {"vendor": vendor, "error": "429", "percent": 50, "seed": seed, "latency_ms": 1}
    added = await client.post("/__admin/faults", json=rule, headers=s)
    assert added.status_code == 201, added.text
    statuses = []
    for _ in range(24):
        response = await client.request(method, f"/{vendor}{path}", json=body, headers={**headers, **s})
        statuses.append(response.status_code)
    return statuses


@pytest.mark.parametrize("vendor", list(THROTTLED))
async def test_seeded_rules_repeat_exactly_for_every_vendor(app: Any, vendor: str) -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://mock") as client:
        first = await _seeded_statuses(client, vendor, 11, f"seed-{vendor}-1")
        again = await _seeded_statuses(client, vendor, 11, f"seed-{vendor}-2")
        other = await _seeded_statuses(client, vendor, 12, f"seed-{vendor}-3")
    assert first == again  # same seed, same calls: the same outcomes
    assert first != other
    assert 0 < first.count(429) < len(first)  # the rule really draws: some fail, some pass
