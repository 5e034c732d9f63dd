"""Every documented behaviour of every vendor, against the in-process mock, from one table."""

from __future__ import annotations

import httpx
import pytest

from conformance.playback import play
from conformance.scenario import Scenario, load
from mockserver.http.app import create_app
from mockserver.vendors import NAMES

SCENARIOS = [scenario for vendor in NAMES for scenario in load(vendor)]


@pytest.fixture(scope="module")
def app() -> object:
    return create_app()


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
async def test_scenario(app: object, scenario: Scenario) -> None:
    transport = httpx.ASGITransport(app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
        outcome = await play(
            client, scenario, base_url=f"http://mock/{scenario.vendor}", admin_url="http://mock/__admin"
        )
    assert outcome.status == "passed", "\n".join([*outcome.problems, outcome.reason, outcome.curl])
