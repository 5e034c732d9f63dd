"""Default fixtures and scenarios: valid against the spec, and every documented error reachable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from mockserver.service import MockService
from tests.documented.zoho import ERRORS

SCENARIOS = Path(__file__).resolve().parents[3] / "conformance" / "scenarios" / "zoho.yaml"


def scenarios() -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = yaml.safe_load(SCENARIOS.read_text(encoding="utf-8"))
    return loaded


def strings(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(strings(item) for item in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(strings(item) for item in value)) if value else set()
    return set()


def test_default_fixtures_load_and_match_the_spec() -> None:
    state = MockService(["zoho"]).state("check", "zoho")["zoho"]
    assert len(state["events"]) >= 12
    for token in state["tokens"].values():
        assert token["user_id"] in state["users"]


def test_every_documented_error_is_expected_by_a_scenario() -> None:
    expected = [
        (step["expect"]["status"], strings(step["expect"].get("json")))
        for s in scenarios()
        for step in s["steps"]
    ]
    for row in ERRORS:
        assert any(
            status == row.status and row.code in found and row.message in found for status, found in expected
        ), f"no scenario expects {row.status} {row.code} {row.message!r}"


def test_scenarios_use_fixture_ids_and_tokens() -> None:
    state = MockService(["zoho"]).state("check", "zoho")["zoho"]
    for scenario in scenarios():
        assert scenario["name"].startswith("zoho."), scenario["name"]
        assert scenario["source"].startswith(("documented", "inferred: ")), scenario["name"]
        variables = scenario.get("vars", {})
        if "token" in variables:
            assert variables["token"] in state["tokens"], scenario["name"]
        event_id = variables.get("event_id")
        if event_id is not None and scenario["name"] not in (
            "zoho.cancel.invalid_id",
            "zoho.cancel.non_numeric_id",
        ):
            assert event_id in state["events"], scenario["name"]
