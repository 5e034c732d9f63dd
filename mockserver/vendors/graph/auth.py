"""Bearer tokens from the `tokens` fixture collection.

A token record: `token`, then either `user_id` (a delegated token acting as that user, permissions in
`scopes`, like the JWT's `scp`) or `app: true` (an application token, permissions in `roles`).
Optional: `expires_at` (a past instant → 401 expired) and `x-mock-error` (THROTTLED,
INTERNAL_ERROR, SERVICE_UNAVAILABLE: every request with the token fails that way).

The 401 messages are Graph's as observed from the live service (inferred: not in the vendor document).
"""

from __future__ import annotations

from dataclasses import dataclass

from mockserver.core.clock import parse_instant
from mockserver.core.exchange import Call
from mockserver.core.store import Records
from mockserver.core.values import fast_init
from mockserver.vendors.graph import errors

READ_WRITE = frozenset({"Calendars.ReadWrite"})
READ = frozenset({"Calendars.ReadBasic", "Calendars.Read", "Calendars.ReadWrite"})


@fast_init
@dataclass(frozen=True, slots=True)
class Principal:
    """Who a token acts as: a user (delegated) or the application itself (app-only)."""

    token: str
    user_id: str | None
    application: bool
    permissions: frozenset[str]

    def allows(self, any_of: frozenset[str]) -> bool:
        return bool(self.permissions & any_of)


def bearer_token(call: Call) -> str:
    header = (call.header("authorization") or "").strip()
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def authenticate(call: Call, records: Records) -> Principal:
    at = errors.trace(call)
    token = bearer_token(call)
    if not token:
        raise errors.token_empty(at)
    record = records.read("tokens", token)
    if record is None:
        raise errors.token_invalid(at) if "." in token else errors.token_not_jwt(at)
    expires = record.get("expires_at")
    if isinstance(expires, str) and parse_instant(expires) <= call.now:
        raise errors.token_expired(at)
    failure = record.get("x-mock-error")
    if isinstance(failure, str) and failure:
        raise errors.mock_error(failure, at, _retry_after(record.get("x-mock-retry-after")))
    application = bool(record.get("app", False))
    granted = record.get("roles" if application else "scopes") or []
    return Principal(
        token=token,
        user_id=None if application else str(record.get("user_id", "")) or None,
        application=application,
        permissions=frozenset(str(name) for name in granted),
    )


def require(principal: Principal, any_of: frozenset[str], at: errors.Trace) -> None:
    """403 ErrorAccessDenied unless the token holds one of the permissions (inferred message)."""
    if not principal.allows(any_of):
        raise errors.access_denied(at)


def _retry_after(value: object) -> str | None:
    return None if value is None else str(value)
