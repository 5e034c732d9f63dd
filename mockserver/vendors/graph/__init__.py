"""Microsoft Graph `event: cancel` (v1.0): all ten path forms, per-mailbox events, bearer tokens."""

from __future__ import annotations

from pathlib import Path

from mockserver.vendors.graph import auth, errors, faults, handlers
from mockserver.vendors.plugin import Collection, Vendor

_TOKEN_SCHEMA = {
    "type": "object",
    "required": ["token"],
    "properties": {
        "token": {"type": "string", "minLength": 1},
        "user_id": {"type": "string", "description": "delegated token: the user it acts as"},
        "app": {"type": "boolean", "description": "application (app-only) token"},
        "scopes": {
            "type": "array",
            "items": {"type": "string"},
            "description": "delegated permissions (scp)",
        },
        "roles": {"type": "array", "items": {"type": "string"}, "description": "application permissions"},
        "expires_at": {"type": "string", "description": "RFC 3339 or relative (-1h); past → 401"},
        "description": {"type": "string"},
    },
    "additionalProperties": False,
}

VENDOR = Vendor(
    name="graph",
    title="Microsoft Graph",
    spec="graph.yaml",
    collections={
        "users": Collection("id", {"$ref": "#/components/schemas/microsoft.graph.user"}, "users (mailboxes)"),
        "groups": Collection(
            "id",
            {"$ref": "#/components/schemas/microsoft.graph.group"},
            "Microsoft 365 groups; x-mock-members lists the user ids that may use the group calendar",
        ),
        "calendars": Collection(
            "id",
            {"$ref": "#/components/schemas/microsoft.graph.calendar"},
            "calendars; x-mock-owner is the user or group id, x-mock-calendarGroup the calendar group id",
        ),
        "events": Collection(
            "id",
            {"$ref": "#/components/schemas/microsoft.graph.event"},
            "one record per mailbox copy; x-mock-mailbox (user or group id), x-mock-calendar "
            "(absent: the default calendar), x-mock-error (THROTTLED, INTERNAL_ERROR, SERVICE_UNAVAILABLE)",
        ),
        "deleted_items": Collection(
            "id",
            {"$ref": "#/components/schemas/microsoft.graph.event"},
            "the Deleted Items folder: organizer events moved there by a cancel",
        ),
        "tokens": Collection(
            "token",
            _TOKEN_SCHEMA,
            "bearer tokens: user_id + scopes (delegated) or app: true + roles (application); "
            "x-mock-error fails every request with the token",
        ),
    },
    operations=handlers.OPERATIONS,
    authenticate=auth.authenticate,
    failure=errors.failure,
    fault=faults.fault,
    fault_names=faults.CATALOG.names,
    fixtures=Path(__file__).with_name("fixtures.yaml"),
)
