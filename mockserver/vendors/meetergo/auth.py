"""Who is calling: `Authorization: Bearer <API key or PAT>` plus `x-meetergo-api-user-id`.

Documented: a Platform API key (`ak_live:<uuid>:<secret>`) needs `x-meetergo-api-user-id` naming
the user to act as; missing, unknown and expired keys get their documented 401s. From meetergo's
MCP server: a personal access token (PAT) belongs to one user and the API rejects the user-id
header with it (status inferred: 400). Inferred: a user-id naming no user of the key's company is
refused with NestJS's default 403, and a non-Bearer Authorization is "Invalid API key".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mockserver.core.clock import parse_instant
from mockserver.core.exchange import Call
from mockserver.core.store import Records
from mockserver.core.values import fast_init
from mockserver.vendors.meetergo import errors

API_KEY = "api_key"
PAT = "pat"


@fast_init
@dataclass(frozen=True, slots=True)
class Principal:
    """The acting user and the credential they act with."""

    user_id: str
    company_id: str
    role: str  # "admin" may act on every appointment of the company; "member" on those they host
    kind: str  # API_KEY | PAT
    name: str = ""
    email: str = ""


def bearer(header: str | None) -> str | None:
    """The token of `Bearer <token>`; None when the header is absent or blank."""
    if header is None or not header.strip():
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise errors.invalid_api_key()  # inferred: anything but a Bearer token is not a valid key
    return token.strip()


def expired(key: Mapping[str, Any], now: datetime) -> bool:
    if key.get("expired") is True:
        return True
    expires = key.get("expiresAt")
    if isinstance(expires, str) and expires:
        try:
            return parse_instant(expires) <= now
        except ValueError:
            return False
    return False


def _principal(user: Mapping[str, Any], kind: str) -> Principal:
    name = " ".join(part for part in (user.get("firstname"), user.get("lastname")) if part)
    return Principal(
        user_id=str(user["id"]),
        company_id=str(user.get("companyId", "")),
        role=str(user.get("role", "member")),
        kind=kind,
        name=name,
        email=str(user.get("email", "")),
    )


def authenticate(call: Call, records: Records) -> Any:
    token = bearer(call.header("authorization"))
    if token is None:
        raise errors.missing_authorization()
    key = records.read("api_keys", token)
    if key is None:
        raise errors.invalid_api_key()
    if expired(key, call.now):
        raise errors.api_key_expired()
    mock_error = errors.MOCK_ERRORS.get(str(key.get("x-mock-error", "")))
    if mock_error is not None:
        raise mock_error()
    user_header = call.header(errors.USER_ID_HEADER)
    if key.get("kind", API_KEY) == PAT:
        if user_header is not None:
            raise errors.user_id_header_with_pat()
        user = records.read("users", str(key.get("userId", "")))
        if user is None:
            raise errors.invalid_api_key()  # a PAT whose user is gone is no valid credential
        return _principal(user, PAT)
    if user_header is None or not user_header.strip():
        raise errors.missing_user_id_header()
    user = records.read("users", user_header.strip())
    if user is None or user.get("companyId") != key.get("companyId"):
        raise errors.forbidden()  # inferred: the key's company has no such user
    return _principal(user, API_KEY)
