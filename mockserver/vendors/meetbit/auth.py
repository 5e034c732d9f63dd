"""Meetbit access keys: `X-Access-Key-Id` + `X-Access-Key-Secret`, checked against `access_keys`.

Order (inferred from Laravel's middleware priority): keys → rate limit → permission.
Missing or wrong keys → 401 "Invalid or missing access key."; an exhausted limit → 429
"Too many requests." with `Retry-After: 60`; a key without the operation's permission →
401 "Access Denied.".

The rate-limit state of a key is a fixture fact (`rate_limit: {limit, remaining, reset}`), not a
counter: the mock does not count requests, so `RateLimit-*` headers stay as the fixture says
(inferred; the default is 60 per minute).
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mockserver.core.exchange import Call
from mockserver.core.store import Records
from mockserver.core.values import fast_init
from mockserver.vendors.meetbit import errors, rules

DEFAULT_LIMIT = 60
DEFAULT_RESET = 60


@fast_init
@dataclass(frozen=True, slots=True)
class Principal:
    """The access key a request acts as."""

    key_id: str
    user_id: int
    permissions: tuple[str, ...]
    limit: int = DEFAULT_LIMIT
    remaining: int = DEFAULT_LIMIT - 1
    reset: int = DEFAULT_RESET

    @property
    def exhausted(self) -> bool:
        return self.remaining <= 0

    def headers(self) -> dict[str, str]:
        """The `RateLimit-*` headers every answer to this key carries (inferred on success)."""
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(max(self.remaining, 0)),
            "RateLimit-Reset": str(self.reset),
        }


def _principal(record: Mapping[str, Any]) -> Principal:
    limits = record.get("rate_limit") or {}
    limit = int(limits.get("limit", DEFAULT_LIMIT))
    return Principal(
        key_id=str(record["id"]),
        user_id=int(record["user_id"]),
        permissions=tuple(str(item) for item in record.get("permissions") or []),
        limit=limit,
        remaining=int(limits.get("remaining", limit - 1)),
        reset=int(limits.get("reset", DEFAULT_RESET)),
    )


def authenticate(call: Call, records: Records) -> Principal | None:
    if call.operation_id not in rules.PERMISSIONS:
        # No route matched (unknown path, wrong method): Laravel answers 404/405 before any route
        # middleware, so keys are not checked (inferred).
        return None
    key_id = (call.header("x-access-key-id") or "").strip()
    secret = call.header("x-access-key-secret") or ""
    record = records.read("access_keys", key_id) if key_id else None
    if record is None or not secret:
        raise errors.unauthorized()
    expected = str(record.get("secret", ""))
    if not hmac.compare_digest(secret.encode("utf-8"), expected.encode("utf-8")):
        raise errors.unauthorized()
    principal = _principal(record)
    if principal.exhausted:
        raise errors.rate_limited(principal.headers())
    if not rules.permitted(list(principal.permissions), rules.PERMISSIONS[call.operation_id]):
        raise errors.access_denied()
    return principal
