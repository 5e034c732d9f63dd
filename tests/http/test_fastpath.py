"""The compiled lane (`mockserver.http.fastpath`) is invisible: the same requests, sent to an app
with the lane and to one without it (Connexion's stack only), get byte-identical answers.

Both apps start from the same fixtures and see every request in the same order, so their states
move in lockstep. Ids and clocks are the only thing each app makes up on its own: while a request
runs, `uuid.uuid4`, the random bytes of `mockserver.core.randomness` and the wall clock come from a
per-app deterministic source (the same sequence
for both), so nothing needs masking — status, every header and every body byte are compared.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import random
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from cancel_contracts import specs
from conformance.playback import play
from conformance.scenario import Scenario, load
from mockserver.core import clock, randomness
from mockserver.http import fastpath
from mockserver.http.app import create_app
from mockserver.vendors import NAMES

ROOT = Path(__file__).resolve().parents[2]
PROFILE = yaml.safe_load((ROOT / "conformance" / "profiles" / "mock.yaml").read_text())
SCENARIOS = [scenario for vendor in NAMES for scenario in load(vendor)]
LANE: contextvars.ContextVar[str | None] = contextvars.ContextVar("lane", default=None)
_REAL_UUID4 = uuid.uuid4
_REAL_ENTROPY = randomness.entropy
_REAL_DATETIME = clock.datetime


@dataclass
class Source:
    """What one app may make up: ids from a seeded generator; the time is the request's number."""

    ids: random.Random = field(default_factory=lambda: random.Random(7))
    request: int = 0


class _Clock(datetime):
    sources: dict[str, Source] = {}

    @classmethod
    def now(cls, tz: Any = None) -> Any:
        lane = LANE.get()
        if lane is None:
            return _REAL_DATETIME.now(tz)
        # one instant per request, however often an app asks for the time while serving it
        return datetime(2026, 11, 21, 9, 0, tzinfo=UTC) + timedelta(milliseconds=cls.sources[lane].request)


def _uuid4(sources: dict[str, Source]) -> Any:
    def make() -> uuid.UUID:
        lane = LANE.get()
        if lane is None:
            return _REAL_UUID4()
        return uuid.UUID(int=sources[lane].ids.getrandbits(128), version=4)

    return make


def _entropy(sources: dict[str, Source]) -> Any:
    def make(count: int) -> bytes:
        lane = LANE.get()
        if lane is None:
            return _REAL_ENTROPY(count)
        return sources[lane].ids.randbytes(count)

    return make


@dataclass
class Mismatch:
    request: str
    fast: tuple[int, list[tuple[str, str]], bytes]
    reference: tuple[int, list[tuple[str, str]], bytes]

    def __str__(self) -> str:
        return f"{self.request}\n  fast lane: {self.fast}\n  Connexion: {self.reference}"


class Twin(httpx.AsyncBaseTransport):
    """Sends every request to both apps, records any difference, answers with the fast lane's."""

    def __init__(self) -> None:
        self.fast = httpx.ASGITransport(create_app())  # type: ignore[arg-type]
        self.reference = httpx.ASGITransport(create_app(fast_path=False))  # type: ignore[arg-type]
        self.mismatches: list[Mismatch] = []
        self.requests = 0

    async def _one(self, lane: str, transport: httpx.ASGITransport, request: httpx.Request) -> Any:
        _Clock.sources[lane].request += 1
        token = LANE.set(lane)
        try:
            copy = httpx.Request(
                request.method, request.url, headers=request.headers, content=request.content
            )
            response = await transport.handle_async_request(copy)
            body = await response.aread()
        finally:
            LANE.reset(token)
        return response.status_code, list(response.headers.multi_items()), body, response

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        self.requests += 1
        fast = await self._one("fast", self.fast, request)
        reference = await self._one("reference", self.reference, request)
        if fast[:3] != reference[:3]:
            self.mismatches.append(Mismatch(f"{request.method} {request.url}", fast[:3], reference[:3]))
        status, headers, body, _ = fast
        return httpx.Response(status, headers=headers, content=body)


@pytest.fixture(scope="module")
def lanes() -> Iterator[tuple[Twin, list[str]]]:
    """One pair of apps for the module (every request reaches both, so they stay in lockstep),
    deterministic ids and clocks per app, and the operations the fast lane answered."""
    sources = {"fast": Source(), "reference": Source()}
    answered: list[str] = []
    original = fastpath.FastPath._serve

    async def counting(self: fastpath.FastPath, scope: Any, vendor: str, plan: Any, *args: Any) -> Any:
        answered.append(f"{vendor}.{plan.operation_id}")
        return await original(self, scope, vendor, plan, *args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_Clock, "sources", sources)
        patch.setattr(clock, "datetime", _Clock)
        patch.setattr(uuid, "uuid4", _uuid4(sources))
        patch.setattr(randomness, "entropy", _entropy(sources))
        patch.setattr(fastpath.FastPath, "_serve", counting)
        yield Twin(), answered


@pytest.fixture
def served(lanes: tuple[Twin, list[str]]) -> list[str]:
    answered = lanes[1]
    answered.clear()
    return answered


@pytest.fixture
async def twin(lanes: tuple[Twin, list[str]]) -> AsyncIterator[tuple[Twin, httpx.AsyncClient]]:
    transport = lanes[0]
    transport.mismatches.clear()
    transport.requests = 0
    async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
        yield transport, client


def _report(transport: Twin) -> str:
    return "\n".join(str(m) for m in transport.mismatches[:5])


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
async def test_every_scenario_gets_the_same_answers(
    twin: tuple[Twin, httpx.AsyncClient], served: list[str], scenario: Scenario
) -> None:
    transport, client = twin
    await play(client, scenario, base_url=f"http://mock/{scenario.vendor}", admin_url="http://mock/__admin")
    assert transport.requests > 0
    assert not transport.mismatches, _report(transport)


async def test_the_scenarios_reach_the_fast_lane_for_every_vendor(
    twin: tuple[Twin, httpx.AsyncClient], served: list[str]
) -> None:
    """Guards against a lane that silently declines everything (correct, but slow)."""
    transport, client = twin
    for scenario in SCENARIOS:
        await play(
            client, scenario, base_url=f"http://mock/{scenario.vendor}", admin_url="http://mock/__admin"
        )
    vendors = {name.split(".", 1)[0] for name in served}
    assert vendors == set(NAMES)
    assert len(served) > transport.requests / 4, (len(served), transport.requests)


# Requests at the edges of what the lane accepts: each must get Connexion's answer exactly.
ZOHO = dict(PROFILE["zoho"]["headers"])
GRAPH = dict(PROFILE["graph"]["headers"])
MEETBIT = dict(PROFILE["meetbit"]["headers"])
MEETERGO = dict(PROFILE["meetergo"]["headers"])
CRONOFY = dict(PROFILE["cronofy"]["headers"])
ZOHO_CANCEL = "/zoho/crm/v8/Events/4876876000001081142/actions/cancel"
ZOHO_BODY = b'{"data":[{"send_cancelling_mail":false}]}'
GRAPH_EVENT = "/graph/v1.0/me/events/AAMkAdeleSync="
MEETBIT_EVENT = "/meetbit/api/public/v2.0/calendars/1001/events/2001"
MEETERGO_CANCEL = "/meetergo/v4/appointment/a0000000-0000-4000-8000-000000000001/cancel"
JSON = {"Content-Type": "application/json"}
EDGES: list[tuple[str, str, str, dict[str, str], bytes]] = [
    ("zoho plain", "POST", ZOHO_CANCEL, {**ZOHO, **JSON}, ZOHO_BODY),
    (
        "zoho charset",
        "POST",
        ZOHO_CANCEL,
        {**ZOHO, "Content-Type": "application/json; charset=utf-8"},
        ZOHO_BODY,
    ),
    (
        "zoho charset no space",
        "POST",
        ZOHO_CANCEL,
        {**ZOHO, "Content-Type": "application/json;charset=UTF-8"},
        ZOHO_BODY,
    ),
    (
        "zoho latin-1 charset",
        "POST",
        ZOHO_CANCEL,
        {**ZOHO, "Content-Type": "application/json; charset=latin-1"},
        ZOHO_BODY,
    ),
    (
        "zoho upper-case media type",
        "POST",
        ZOHO_CANCEL,
        {**ZOHO, "Content-Type": "Application/JSON"},
        ZOHO_BODY,
    ),
    ("zoho no content type", "POST", ZOHO_CANCEL, ZOHO, ZOHO_BODY),
    ("zoho text body", "POST", ZOHO_CANCEL, {**ZOHO, "Content-Type": "text/plain"}, b"cancel it"),
    ("zoho media type without slash", "POST", ZOHO_CANCEL, {**ZOHO, "Content-Type": "json"}, ZOHO_BODY),
    ("zoho empty body", "POST", ZOHO_CANCEL, {**ZOHO, **JSON}, b""),
    ("zoho null body", "POST", ZOHO_CANCEL, {**ZOHO, **JSON}, b"null"),
    ("zoho malformed body", "POST", ZOHO_CANCEL, {**ZOHO, **JSON}, b'{"data": ['),
    ("zoho BOM body", "POST", ZOHO_CANCEL, {**ZOHO, **JSON}, b"\xef\xbb\xbf" + ZOHO_BODY),
    ("zoho not UTF-8", "POST", ZOHO_CANCEL, {**ZOHO, **JSON}, b'{"data":"\xff"}'),
    ("zoho wrong body", "POST", ZOHO_CANCEL, {**ZOHO, **JSON}, b'{"data":{}}'),
    ("zoho no credentials", "POST", ZOHO_CANCEL, JSON, ZOHO_BODY),
    ("zoho bad version enum", "GET", "/zoho/crm/v1/Events/4876876000001081142", ZOHO, b""),
    ("zoho trailing slash", "GET", "/zoho/crm/v8/Events/4876876000001081142/", ZOHO, b""),
    ("zoho HEAD", "HEAD", "/zoho/crm/v8/Events/4876876000001081142", ZOHO, b""),
    ("zoho wrong method", "PUT", "/zoho/crm/v8/Events/4876876000001081142", ZOHO, b""),
    ("zoho GET with JSON garbage", "GET", "/zoho/crm/v8/Events/4876876000001081142", {**ZOHO, **JSON}, b"{"),
    ("zoho GET with a body", "GET", "/zoho/crm/v8/Events/4876876000001081142", {**ZOHO, **JSON}, b"{}"),
    ("zoho encoded newline", "GET", "/zoho/crm/v8/Events/4876876000001081142%0A", ZOHO, b""),
    (
        "zoho fault header",
        "GET",
        "/zoho/crm/v8/Events/4876876000001081142",
        {**ZOHO, "X-Mock-Fault": "error=429"},
        b"",
    ),
    (
        "zoho bad fault header",
        "GET",
        "/zoho/crm/v8/Events/4876876000001081142",
        {**ZOHO, "X-Mock-Fault": "nonsense"},
        b"",
    ),
    ("graph cancel", "POST", GRAPH_EVENT + "/cancel", {**GRAPH, **JSON}, b'{"Comment":"bye"}'),
    ("graph cancel empty", "POST", GRAPH_EVENT + "/cancel", {**GRAPH, **JSON}, b""),
    (
        "graph cancel client-request-id",
        "POST",
        GRAPH_EVENT + "/cancel",
        {**GRAPH, **JSON, "client-request-id": "abc"},
        b"{}",
    ),
    ("graph percent-encoded id", "GET", "/graph/v1.0/me/events/AAMk%41deleSync%3D", GRAPH, b""),
    ("graph encoded slash", "GET", "/graph/v1.0/me/events/AAMk%2FdeleSync", GRAPH, b""),
    ("graph list top", "GET", "/graph/v1.0/me/events?$top=2", GRAPH, b""),
    ("graph list top twice", "GET", "/graph/v1.0/me/events?$top=2&$top=abc", GRAPH, b""),
    ("graph list top spaces", "GET", "/graph/v1.0/me/events?$top=%202%20", GRAPH, b""),
    ("graph list top underscore", "GET", "/graph/v1.0/me/events?$top=1_0", GRAPH, b""),
    ("graph list top too big", "GET", "/graph/v1.0/me/events?$top=100000", GRAPH, b""),
    ("graph list top not a number", "GET", "/graph/v1.0/me/events?$top=two", GRAPH, b""),
    ("graph list unknown query", "GET", "/graph/v1.0/me/events?$select=subject", GRAPH, b""),
    ("meetbit get", "GET", MEETBIT_EVENT, MEETBIT, b""),
    ("meetbit plus id", "GET", "/meetbit/api/public/v2.0/calendars/1001/events/+2001", MEETBIT, b""),
    ("meetbit zero-padded id", "GET", "/meetbit/api/public/v2.0/calendars/01001/events/02001", MEETBIT, b""),
    ("meetbit non-numeric id", "GET", "/meetbit/api/public/v2.0/calendars/1001/events/abc", MEETBIT, b""),
    ("meetbit cancel", "POST", MEETBIT_EVENT + "/cancel", {**MEETBIT, **JSON}, b'{"cancel_note":"bye"}'),
    ("meetbit wrong secret", "GET", MEETBIT_EVENT, {**MEETBIT, "X-Access-Key-Secret": "nope"}, b""),
    (
        "cronofy delete",
        "DELETE",
        "/cronofy/v1/meeting_agents",
        {**CRONOFY, **JSON},
        b'{"scheduling_key":"k"}',
    ),
    ("cronofy delete no body", "DELETE", "/cronofy/v1/meeting_agents", {**CRONOFY, **JSON}, b""),
    ("meetergo cancel", "POST", MEETERGO_CANCEL, {**MEETERGO, **JSON}, b'{"reason":"bye"}'),
    ("meetergo cancel twice", "POST", MEETERGO_CANCEL, {**MEETERGO, **JSON}, b'{"reason":"bye"}'),
    (
        "meetergo no user header",
        "POST",
        MEETERGO_CANCEL,
        {"Authorization": MEETERGO["Authorization"], **JSON},
        b"{}",
    ),
    ("meetergo session", "POST", MEETERGO_CANCEL, {**MEETERGO, **JSON, "X-Mock-Session": "other"}, b"{}"),
    ("admin health", "GET", "/__admin/health", {}, b""),
    ("vendor root", "GET", "/zoho", {}, b""),
    ("unknown vendor", "GET", "/nobody/here", {}, b""),
]


async def test_edge_requests_get_the_same_answers(twin: tuple[Twin, httpx.AsyncClient]) -> None:
    transport, client = twin
    for _name, method, url, headers, body in EDGES:
        await client.request(method, url, headers=headers, content=body)
    assert not transport.mismatches, _report(transport)


async def test_a_body_in_pieces_and_a_duplicate_header_take_the_connexion_lane(
    twin: tuple[Twin, httpx.AsyncClient], served: list[str]
) -> None:
    transport, client = twin

    async def pieces() -> AsyncIterator[bytes]:
        for index in range(0, len(ZOHO_BODY), 7):
            yield ZOHO_BODY[index : index + 7]

    fresh = {**ZOHO, **JSON, "X-Mock-Session": "in-pieces"}
    response = await client.post(ZOHO_CANCEL, headers=fresh, content=pieces())
    assert response.status_code == 200
    assert served == ["zoho.cancelMeeting"]  # read in full, then served by the lane
    headers = httpx.Headers(
        [*ZOHO.items(), ("Content-Type", "application/json"), ("Content-Type", "text/plain")]
    )
    await client.post(ZOHO_CANCEL, headers=headers, content=ZOHO_BODY)
    assert served == ["zoho.cancelMeeting"]
    assert not transport.mismatches, _report(transport)


def _generated(vendor: str) -> list[tuple[str, Any]]:
    schema = schemathesis.openapi.from_dict(specs.load(vendor))
    return [
        (
            f"{vendor} {result.ok().method.upper()} {result.ok().path} {mode.value}",
            result.ok().as_strategy(mode),
        )
        for result in schema.get_all_operations()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    ]


@pytest.mark.parametrize("vendor", NAMES)
def test_generated_requests_get_the_same_answers(vendor: str, lanes: tuple[Twin, list[str]]) -> None:
    """Schemathesis-generated requests, valid and invalid, with and without working credentials."""
    transport = lanes[0]
    transport.mismatches.clear()
    strategies = _generated(vendor)
    credentials = {k: str(v) for k, v in PROFILE[vendor]["headers"].items()}

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(st.one_of(*[strategy for _, strategy in strategies]), st.booleans())
    def check(case: Any, authenticated: bool) -> None:
        kwargs = case.as_transport_kwargs(base_url=f"http://mock/{vendor}")
        headers = {**kwargs.get("headers", {}), **(credentials if authenticated else {})}
        content = kwargs.get("data") if "json" not in kwargs else json.dumps(kwargs["json"]).encode()
        if isinstance(content, str):
            content = content.encode()
        request = httpx.Request(
            kwargs["method"], kwargs["url"], params=kwargs.get("params"), headers=headers, content=content
        )
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(transport.handle_async_request(request))
        finally:
            loop.close()

    check()
    assert not transport.mismatches, _report(transport)


async def test_both_lanes_journal_the_same_requests(twin: tuple[Twin, httpx.AsyncClient]) -> None:
    transport, client = twin
    session = {"X-Mock-Session": "journal"}
    for _name, method, url, headers, body in EDGES:
        await client.request(method, url, headers={**headers, **session}, content=body)
    journals, times = [], []
    for lane in (transport.fast, transport.reference):
        response = await lane.handle_async_request(
            httpx.Request("GET", "http://mock/__admin/requests", headers=session)
        )
        entries = json.loads(await response.aread())["requests"]
        journals.append(
            [{k: v for k, v in entry.items() if k not in ("duration_ms", "time")} for entry in entries]
        )
        times.append([clock.parse_instant(entry["time"]) for entry in entries])
    assert journals[0] == journals[1]
    assert len(journals[0]) == sum(1 for edge in EDGES if not edge[2].startswith("/__admin"))
    # each lane stamps the second it answered in: the twins of a request may straddle a second
    assert all(abs(fast - ref) <= timedelta(seconds=1) for fast, ref in zip(*times, strict=True))
