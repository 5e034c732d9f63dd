"""Zoho CRM: cancel a meeting (a record of the Events module)."""

from __future__ import annotations

from pathlib import Path

from mockserver.vendors.plugin import Collection, Vendor
from mockserver.vendors.zoho import auth, errors, faults, handlers

_TOKEN = {
    "type": "object",
    "required": ["token", "user_id", "scopes"],
    "additionalProperties": False,
    "properties": {
        "token": {"type": "string", "minLength": 1},
        "user_id": {"type": "string", "pattern": "^[0-9]{1,19}$"},
        "scopes": {"type": "array", "items": {"type": "string"}},
        "expired": {"type": "boolean"},
        "description": {"type": "string"},
    },
}
_USER = {
    "type": "object",
    "required": ["id", "name", "email"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": "^[0-9]{1,19}$"},
        "name": {"type": "string"},
        "email": {"type": "string"},
        "permissions": {"type": "array", "items": {"type": "string"}},
        "record_access": {"enum": ["all", "own"]},
        "mails_left_today": {"type": "integer", "minimum": 0},
        "description": {"type": "string"},
    },
}

VENDOR = Vendor(
    name="zoho",
    title="Zoho CRM",
    spec="zoho.yaml",
    collections={
        "events": Collection(
            key="id",
            schema={"$ref": "#/components/schemas/Event"},
            description="Events (Meetings) records; `x-mock-error: <CODE>` makes each cancel of one fail so.",
        ),
        "users": Collection(
            key="id",
            schema=_USER,
            description=(
                "CRM users: `permissions` (absent = all; cancel needs Crm_Implied_Cancel_Meetings), "
                "`record_access` (all | own), `mails_left_today` (daily mail quota left)."
            ),
        ),
        "tokens": Collection(
            key="token",
            schema=_TOKEN,
            description="OAuth access tokens: the user they act as, their scopes, `expired`.",
        ),
    },
    operations=handlers.OPERATIONS,
    authenticate=auth.authenticate,
    failure=errors.failure,
    fault=faults.fault,
    fault_names=faults.CATALOG.names,
    fixtures=Path(__file__).with_name("fixtures.yaml"),
)
