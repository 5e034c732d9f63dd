"""The workload every target gets: per vendor, a pool of cancellable meetings and one request pair.

An iteration is "cancel meeting i, then read meeting i back" (Cronofy has no read of a Meeting
Agent, so its second call re-schedules one fixed agent, the other documented write). Ids cycle
through a pool of POOL meetings (a CI test session's size: several vendor handlers scan a whole
collection, as the vendors' rules require); each pass over the pool uses a new mock session
(`X-Mock-Session: bench-<pass>`), seeded from the fixtures on first use, so every cancel is a real
state change. The ceiling keeps its state per session the same way; Prism has no state.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
VENDORS = ("zoho", "graph", "meetbit", "cronofy", "meetergo")
POOL = 64


@dataclass(frozen=True)
class Step:
    method: str
    path: str  # `%s` = the meeting id
    body: str | None  # `%s` = the meeting id (Cronofy's scheduling_key)


@dataclass(frozen=True)
class Workload:
    vendor: str
    id_format: str  # printf format of the n-th pool id
    pool: int
    headers: dict[str, str]
    first: Step  # the cancel
    second: Step  # the read-back (Cronofy: a re-schedule)

    def ids(self) -> list[str]:
        return [self.id_format % n for n in range(self.pool)]


def workloads(pool: int) -> dict[str, Workload]:
    json_type = {"Content-Type": "application/json"}
    return {
        "zoho": Workload(
            "zoho",
            "48768769%011d",
            pool,
            {**json_type, "Authorization": "Zoho-oauthtoken 1000.mock.zoho.all"},
            Step("POST", "/crm/v8/Events/%s/actions/cancel", '{"data":[{"send_cancelling_mail":false}]}'),
            Step("GET", "/crm/v8/Events/%s", None),
        ),
        "graph": Workload(
            "graph",
            "AAMkBench%07d=",
            pool,
            {**json_type, "Authorization": "Bearer mock.adele.readwrite"},
            Step("POST", "/v1.0/me/events/%s/cancel", '{"Comment":"bye"}'),
            Step("GET", "/v1.0/me/events/%s", None),
        ),
        "meetbit": Workload(
            "meetbit",
            "1%05d",
            pool,
            {**json_type, "X-Access-Key-Id": "mbk_default", "X-Access-Key-Secret": "mbs_default_secret"},
            Step("POST", "/api/public/v2.0/calendars/1001/events/%s/cancel", '{"cancel_note":"bye"}'),
            Step("GET", "/api/public/v2.0/calendars/1001/events/%s", None),
        ),
        "cronofy": Workload(
            "cronofy",
            "bench-%d",
            pool,
            {**json_type, "Authorization": "Bearer cronofy-api-key"},
            Step("DELETE", "/v1/meeting_agents", '{"scheduling_key":"%s"}'),
            Step(
                "POST",
                "/v1/meeting_agents",
                '{"scheduling_key":"bench-rescheduled","join_time":"2099-01-25T15:30:00Z",'
                '"join_url":"https://teams.microsoft.com/meet/00000000000000?p=abcdefg"}',
            ),
        ),
        "meetergo": Workload(
            "meetergo",
            "a1000000-0000-4000-8000-%012d",
            pool,
            {
                **json_type,
                "Authorization": "Bearer ak_live:00000000-0000-4000-8000-000000000001:mocksecret",
                "x-meetergo-api-user-id": "0a000000-0000-4000-8000-000000000001",
            },
            Step("POST", "/v4/appointment/%s/cancel", '{"reason":"bye"}'),
            Step("GET", "/v4/appointment/%s", None),
        ),
    }


def _default(vendor: str, collection: str, key: str, value: Any) -> dict[str, Any]:
    document = yaml.safe_load((ROOT / "mockserver" / "vendors" / vendor / "fixtures.yaml").read_text())
    for record in document[vendor][collection]:
        if str(record.get(key)) == str(value):
            return dict(record)
    raise LookupError(f"{vendor}.{collection}: no {key}={value} in the default fixtures")


def pool_fixtures(pool: int) -> dict[str, Any]:
    """Fixture records (the mock's format) for every pool id: copies of a cancellable default."""
    load = workloads(pool)
    zoho = _default("zoho", "events", "id", "4876876000001081142")
    graph = _default("graph", "events", "id", "AAMkAdeleSync=")
    meetbit = _default("meetbit", "events", "id", 2001)
    agent = _default("cronofy", "meeting_agents", "sub", "agt_692702a100ccd07000000000")
    meetergo = _default("meetergo", "appointments", "id", "a0000000-0000-4000-8000-000000000001")
    return {
        "zoho": {"events": [{**zoho, "id": i} for i in load["zoho"].ids()]},
        "graph": {
            "events": [
                {**graph, "id": i, "iCalUId": f"BENCH{n:011d}"} for n, i in enumerate(load["graph"].ids())
            ]
        },
        "meetbit": {
            "events": [
                {**meetbit, "id": int(i), "public_id": f"evt_bench_{i}"} for i in load["meetbit"].ids()
            ]
        },
        "cronofy": {
            "meeting_agents": [
                {**agent, "sub": f"agt_bench{n:019d}", "scheduling_key": key}
                for n, key in enumerate(load["cronofy"].ids())
            ]
        },
        "meetergo": {"appointments": [{**meetergo, "id": i} for i in load["meetergo"].ids()]},
    }


def write_pool(path: Path, pool: int) -> Path:
    """A `.json` fixture file (JSON is YAML, and the mock reads `.json` files with the JSON parser)."""
    path.write_text(json.dumps(pool_fixtures(pool)))
    return path
