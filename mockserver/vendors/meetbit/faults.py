"""Forced errors (issue #6): `fault(name, call, throttle)` → the Meetbit error a rule would send.

`name` is matched case-insensitively, first against the spec's example names of the operation's
error responses (`resource_object_does_not_exist`), then against the error's text, Meetbit having
no error codes (the text/plain body, or the JSON `message`: `Too many requests.`), then against an
HTTP status (the first documented error with it: "400" → documented_example, "401" →
invalid_or_missing_access_key). `throttled` is the documented 429: text/plain "Too many requests."
with `Retry-After` and `RateLimit-Limit`/`-Reset` from the throttle (`RateLimit-Remaining: 0`, as
every 429 of the mock); without a throttle, the calling key's limits (or, before authentication, a
default key's: 60 per 60 s) and `Retry-After: 60`, as the organic 429.

Every reply comes from the builder in `errors.py` that the rules use, and gets the calling key's
`RateLimit-*` headers the way the operations add them (`handlers.with_rate_headers`), so a forced
error is the organic one for the same call. A call rendered before authentication has no key, so
its forced errors other than the 429 carry no `RateLimit-*` headers, like every answer to an
unauthenticated request. The responses page's 400 example (fields of another endpoint) and its
"keys." wording of the 401 are sent only when forced by their example names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from mockserver.core.exchange import Call, Reply
from mockserver.vendors.catalog import ErrorCatalog
from mockserver.vendors.meetbit import auth, errors, handlers, rules
from mockserver.vendors.plugin import Throttle

SPEC = "meetbit"

Builder = Callable[[Call, "Throttle | None"], Reply]

# The responses page's 400 example, verbatim (fields of another endpoint).
DOCUMENTED_EXAMPLE = {
    "first_name": [errors.too_long("first_name", 255)],
    "email": [errors.required("email")],
}
NOTE = errors.NOTE


def _rate_limited(call: Call, throttle: Throttle | None) -> Reply:
    """The 429 with the throttle's numbers, else the calling key's, else a default key's (60 per 60 s)."""
    if throttle is not None:
        limits = {"RateLimit-Limit": str(throttle.limit), "RateLimit-Reset": str(throttle.reset_seconds)}
        return errors.rate_limited(limits, throttle.retry_after).reply
    default = {"RateLimit-Limit": str(auth.DEFAULT_LIMIT), "RateLimit-Reset": str(auth.DEFAULT_RESET)}
    return errors.rate_limited(handlers.rate_headers(call) or default).reply


BUILDERS: Mapping[str, Builder] = {
    "documented_example": lambda call, _: errors.validation(DOCUMENTED_EXAMPLE).reply,
    "cancel_note_required": lambda call, _: errors.validation({NOTE: [errors.required(NOTE)]}).reply,
    "cancel_note_too_long": lambda call, _: (
        errors.validation({NOTE: [errors.too_long(NOTE, rules.NOTE_MAX_LENGTH)]}).reply
    ),
    "cancel_note_not_string": lambda call, _: errors.validation({NOTE: [errors.not_string(NOTE)]}).reply,
    "invalid_or_missing_access_key": lambda call, _: errors.unauthorized().reply,
    "invalid_or_missing_access_keys": lambda call, _: errors.unauthorized(errors.INVALID_KEYS).reply,
    "access_denied": lambda call, _: errors.access_denied().reply,
    "resource_object_does_not_exist": lambda call, _: errors.not_found().reply,
    "content_too_large": lambda call, _: errors.content_too_large().reply,
    "method_not_allowed": lambda call, _: errors.method_not_allowed().reply,
    "too_many_requests": _rate_limited,
    "server_error": lambda call, _: errors.server_error().reply,
}


def code_of(value: Any) -> str | None:
    """Meetbit has no codes: the text/plain body, or the JSON `message`, names the error."""
    if isinstance(value, dict):
        value = value.get("message")
    return value if isinstance(value, str) else None


CATALOG = ErrorCatalog(SPEC, code_of, throttled="too_many_requests")


def fault(name: str, call: Call, throttle: Throttle | None) -> Reply | None:
    """The `FaultRenderer` (see plugin.py): Meetbit's answer for `name` on `call`, or None."""
    row = CATALOG.find(name, call.operation_id)
    build = BUILDERS.get(row.name or str(row.status)) if row else None
    return handlers.with_rate_headers(call, build(call, throttle)) if build else None
