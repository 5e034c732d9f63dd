"""`Authorization: Zoho-oauthtoken <token>` → the acting user and the token's scopes.

Tokens and users are fixture collections (`tokens`, `users`). A missing, unknown or expired token
is INVALID_TOKEN (inferred: not in the vendor document); a token without a scope the operation
accepts is OAUTH_SCOPE_MISMATCH (documented). Zoho scopes are compared case-insensitively
(Zoho's docs spell them both `ZohoCRM.modules.ALL` and `ZohoCRM.Modules.ALL`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mockserver.core.exchange import Call
from mockserver.core.store import Records
from mockserver.core.values import fast_init
from mockserver.vendors.zoho import errors

PREFIX = "zoho-oauthtoken"

# operationId → the scopes any one of which lets a token call it (the spec's `security`).
SCOPES: dict[str, tuple[str, ...]] = {
    "cancelMeeting": ("ZohoCRM.Modules.ALL", "ZohoCRM.Modules.Events.ALL", "ZohoCRM.Modules.Events.UPDATE"),
    "getMeeting": ("ZohoCRM.Modules.ALL", "ZohoCRM.Modules.Events.ALL", "ZohoCRM.Modules.Events.READ"),
    "createMeeting": ("ZohoCRM.Modules.ALL", "ZohoCRM.Modules.Events.ALL", "ZohoCRM.Modules.Events.CREATE"),
}


@fast_init
@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the token, its scopes and the CRM user it acts as (read at authentication)."""

    token: str
    user_id: str
    scopes: frozenset[str]
    user: Mapping[str, Any]  # as stored: look only


def token_of(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != PREFIX or not token.strip():
        return None
    return token.strip()


def allows(scopes: frozenset[str], operation_id: str) -> bool:
    accepted = {scope.lower() for scope in SCOPES.get(operation_id, ("ZohoCRM.Modules.ALL",))}
    return any(scope.lower() in accepted for scope in scopes)


def authenticate(call: Call, records: Records) -> Principal:
    token = token_of(call.header("authorization"))
    if token is None:
        raise errors.invalid_token()
    found = records.read("tokens", token)
    if found is None or found.get("expired", False):
        raise errors.invalid_token()
    user = records.read("users", str(found["user_id"]))
    if user is None:
        raise errors.invalid_token()
    scopes = frozenset(str(scope) for scope in found.get("scopes", []))
    if not allows(scopes, call.operation_id):
        raise errors.scope_mismatch()
    return Principal(token=token, user_id=str(user["id"]), scopes=scopes, user=user)
