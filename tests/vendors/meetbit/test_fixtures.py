from __future__ import annotations

import yaml

from mockserver.service import MockService
from mockserver.vendors.meetbit import VENDOR


def test_default_fixtures_load_against_the_spec() -> None:
    service = MockService(["meetbit"])
    state = service.state("fixture-check", "meetbit")["meetbit"]
    assert set(state["access_keys"]) == {"mbk_default", "mbk_events_all", "mbk_read_only", "mbk_rate_limited"}
    assert set(state["events"]) == {"2001", "2002", "2003", "2004", "2005"}


def test_every_event_references_a_known_calendar() -> None:
    document = yaml.safe_load(VENDOR.fixtures.read_text(encoding="utf-8"))["meetbit"]
    calendars = {calendar["id"] for calendar in document["calendars"]}
    assert {event["calendar_id"] for event in document["events"]} <= calendars
