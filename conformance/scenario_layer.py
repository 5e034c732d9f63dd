"""Layer 3: the named scenarios of one vendor, played over HTTP (see playback.py)."""

from __future__ import annotations

import asyncio
import time

import httpx

from conformance.events import Layer, Problem, Result, Status
from conformance.playback import Outcome, play
from conformance.scenario import Scenario, load
from conformance.setup.fixtures_map import VendorProfile


def _result(scenario: Scenario, outcome: Outcome, seconds: float) -> Result:
    problems = tuple(Problem("scenario", message, outcome.curl) for message in outcome.problems)
    return Result(
        scenario.vendor,
        Layer.SCENARIOS,
        scenario.name,
        Status(outcome.status),
        problems,
        outcome.reason,
        seconds,
    )


async def _one(
    client: httpx.AsyncClient,
    scenario: Scenario,
    base_url: str,
    admin_url: str | None,
    profile: VendorProfile,
    headers: dict[str, str],
    limit: asyncio.Semaphore,
) -> Result:
    mapped = profile.scenarios.get(scenario.name)
    if admin_url is None and mapped is None:
        why = "it seeds records (setup)" if scenario.setup else "its ids are the mock's"
        reason = f"no admin API to seed records and the fixtures map names no ids for it ({why})"
        return Result(scenario.vendor, Layer.SCENARIOS, scenario.name, Status.SKIPPED, reason=reason)
    async with limit:
        started = time.monotonic()
        outcome = await play(
            client, scenario, base_url=base_url, admin_url=admin_url, variables=mapped, extra_headers=headers
        )
        return _result(scenario, outcome, time.monotonic() - started)


async def run_scenarios(
    vendor: str,
    base_url: str,
    admin_url: str | None,
    profile: VendorProfile,
    headers: dict[str, str],
    concurrency: int = 8,
    transport: httpx.AsyncBaseTransport | None = None,
) -> list[Result]:
    limit = asyncio.Semaphore(max(1, concurrency))
    async with httpx.AsyncClient(transport=transport, timeout=15) as client:
        jobs = [_one(client, s, base_url, admin_url, profile, headers, limit) for s in load(vendor)]
        return list(await asyncio.gather(*jobs))
