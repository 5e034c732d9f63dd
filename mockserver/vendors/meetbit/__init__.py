"""Meetbit (MeetBit Public API v2.0): cancel an event, see an event."""

from __future__ import annotations

from pathlib import Path

from mockserver.vendors.meetbit import auth, errors, faults, handlers
from mockserver.vendors.plugin import Collection, Vendor

_ACCESS_KEY = {
    "type": "object",
    "required": ["id", "secret", "user_id", "permissions"],
    "properties": {
        "id": {"type": "string", "minLength": 1, "description": "sent as X-Access-Key-Id"},
        "secret": {"type": "string", "minLength": 1, "description": "sent as X-Access-Key-Secret"},
        "user_id": {"type": "integer", "description": "the user the key acts as (canceled_by_id)"},
        "permissions": {
            "type": "array",
            "items": {"type": "string"},
            "description": "e.g. events.delete.*, events.*, *",
        },
        "rate_limit": {
            "type": "object",
            "properties": {
                "limit": {"type": "integer", "minimum": 0},
                "remaining": {"type": "integer", "minimum": 0},
                "reset": {"type": "integer", "minimum": 0},
            },
            "additionalProperties": False,
            "description": "RateLimit-* header values; remaining 0 → every request answers 429",
        },
        "description": {"type": "string"},
    },
    "additionalProperties": False,
}

_CALENDAR = {
    "type": "object",
    "required": ["id"],
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "user_id": {"type": "integer"},
    },
}

VENDOR = Vendor(
    name="meetbit",
    title="Meetbit",
    spec="meetbit.yaml",
    collections={
        "access_keys": Collection(
            key="id",
            schema=_ACCESS_KEY,
            description="Access keys (X-Access-Key-Id / X-Access-Key-Secret), their user and permissions",
        ),
        "calendars": Collection(
            key="id", schema=_CALENDAR, description="Calendars; an event must be in the calendar of its path"
        ),
        "events": Collection(
            key="id",
            schema={"$ref": "#/components/schemas/Event"},
            description="Events; x-mock-error: INTERNAL_ERROR | RATE_LIMITED makes a cancel fail that way",
        ),
    },
    operations=handlers.OPERATIONS,
    authenticate=auth.authenticate,
    failure=errors.failure,
    fault=faults.fault,
    fault_names=faults.CATALOG.names,
    fixtures=Path(__file__).with_name("fixtures.yaml"),
)
