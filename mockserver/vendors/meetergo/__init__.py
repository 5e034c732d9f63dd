"""meetergo Platform API v4: cancel an appointment (NestJS-style errors, bearer + user-id header)."""

from __future__ import annotations

from pathlib import Path

from mockserver.vendors.meetergo import auth, errors, faults, handlers
from mockserver.vendors.plugin import Collection, Vendor

_TIME = {"type": "string", "minLength": 1}

USERS_SCHEMA = {
    "type": "object",
    "required": ["id", "email", "companyId"],
    "properties": {
        "id": {"type": "string", "minLength": 1},
        "email": {"type": "string", "minLength": 1},
        "firstname": {"type": "string"},
        "lastname": {"type": "string"},
        "companyId": {"type": "string", "minLength": 1},
        "role": {"type": "string", "enum": ["admin", "member"]},
    },
}

API_KEYS_SCHEMA = {
    "type": "object",
    "required": ["key", "kind"],
    "properties": {
        "key": {"type": "string", "minLength": 1},
        "kind": {"type": "string", "enum": [auth.API_KEY, auth.PAT]},
        "companyId": {"type": "string", "description": "the company an API key belongs to"},
        "userId": {"type": "string", "description": "the user a PAT belongs to"},
        "expired": {"type": "boolean"},
        "expiresAt": _TIME,
        "description": {"type": "string"},
    },
}

VENDOR = Vendor(
    name="meetergo",
    title="meetergo",
    spec="meetergo.yaml",
    collections={
        "appointments": Collection(
            key="id",
            schema={"$ref": "#/components/schemas/Appointment"},
            description="Appointments as GET /v4/appointment/{id} shows them. Mock-only fields: "
            "`x-mock-series` (recurring series id), `x-mock-sequence` (iCalendar SEQUENCE), "
            "`x-mock-error` (INTERNAL_ERROR, BAD_GATEWAY, SERVICE_UNAVAILABLE, RATE_LIMITED, "
            "NOT_ACCEPTABLE: every cancel fails that way). `ics` is re-rendered from the state.",
        ),
        "users": Collection(
            key="id",
            schema=USERS_SCHEMA,
            description="Users of a company; `x-meetergo-api-user-id` names one. Admins may cancel "
            "any appointment of their company, members the ones they host.",
        ),
        "api_keys": Collection(
            key="key",
            schema=API_KEYS_SCHEMA,
            description="Bearer credentials: Platform API keys (kind api_key, with companyId) and "
            "personal access tokens (kind pat, with userId). `expired: true` or a past `expiresAt` "
            "gives 401 'API key has expired'; `x-mock-error: RATE_LIMITED` gives 429.",
        ),
    },
    operations=handlers.OPERATIONS,
    authenticate=auth.authenticate,
    failure=errors.failure,
    fault=faults.fault,
    fault_names=faults.CATALOG.names,
    fixtures=Path(__file__).with_name("fixtures.yaml"),
)
