"""Cronofy: cancelling scheduled and Integrated Meeting Agents (specs/cronofy.yaml)."""

from __future__ import annotations

from pathlib import Path

from mockserver.vendors.cronofy import auth, errors, faults, handlers
from mockserver.vendors.plugin import Collection, Vendor

_TOKEN_SCHEMA = {
    "type": "object",
    "required": ["token", "kind"],
    "properties": {
        "token": {"type": "string", "minLength": 1},
        "kind": {"type": "string", "enum": [auth.API_KEY, auth.ACCESS_TOKEN]},
        "scopes": {"type": "array", "items": {"type": "string"}},
        "plan": {"type": "string", "enum": ["starter", "emerging", "growth", "enterprise"]},
        "account_id": {"type": "string"},
        "description": {"type": "string"},
    },
    "patternProperties": {"^x-mock-": {}},
    "additionalProperties": False,
}

VENDOR = Vendor(
    name="cronofy",
    title="Cronofy",
    spec="cronofy.yaml",
    collections={
        "tokens": Collection(
            key="token",
            schema=_TOKEN_SCHEMA,
            description="Bearer credentials: API keys and access tokens, their scopes and plan",
        ),
        "meeting_agents": Collection(
            key="sub",
            schema={"$ref": "#/components/schemas/MeetingAgentRecord"},
            description="Scheduled, dispatched and Integrated Meeting Agents",
        ),
        "calendars": Collection(
            key="calendar_id",
            schema={"$ref": "#/components/schemas/Calendar"},
            description="Calendars events live in",
        ),
        "events": Collection(
            key="event_id",
            schema={"$ref": "#/components/schemas/Event"},
            description="Calendar events, with their Meeting Agent; deleted ones kept with deleted: true",
        ),
    },
    operations=handlers.OPERATIONS,
    authenticate=auth.authenticate,
    failure=errors.failure,
    fault=faults.fault,
    fault_names=faults.CATALOG.names,
    fixtures=Path(__file__).with_name("fixtures.yaml"),
)
