"""Forced errors (issue #6): `fault(name, call, throttle)` → the meetergo error a rule would send.

`name` is matched case-insensitively, first against the spec's example names of the operation's
error responses (`APPOINTMENT_NOT_FOUND`, `VALIDATION_FAILED_reason_too_long`), then against the
NestJS `error` field, the reason phrase (the first documented example with it: "Bad Request" →
VALIDATION_FAILED on cancel, MISSING_USER_ID_HEADER on get; "Not Found" → APPOINTMENT_NOT_FOUND),
then against an HTTP status (the first documented error with it: "404" → APPOINTMENT_NOT_FOUND).
`throttled` is the NestJS ThrottlerException 429 (inferred body) with `Retry-After` from the
throttle (else the throttler's default 60 s, as the organic 429).

Every reply comes from the builder in `errors.py` that the rules and the failure mapping use, so a
forced error is the organic one for the same call. ROUTE_NOT_FOUND names the call's own method and
path ("Cannot POST /v4/appointment/<id>/cancel"); the other errors about a malformed request (the
documented VALIDATION_FAILED, whose field is another endpoint's, MALFORMED_JSON's position) are the
spec example's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from mockserver.core.exchange import Call, Reply
from mockserver.vendors.catalog import ErrorCatalog
from mockserver.vendors.meetergo import errors
from mockserver.vendors.plugin import Throttle

SPEC = "meetergo"

Builder = Callable[[Call, "Throttle | None"], Reply]

# The documented 400's example (a field of another endpoint) and MALFORMED_JSON's position.
DOCUMENTED_PROBLEM: errors.FieldProblem = ("email", "Invalid email format")
EXAMPLE_JSON_POSITION = 1


def _problem(field: str, reason: str) -> errors.FieldProblem:
    return (field, errors.field_message(field, reason))


BUILDERS: Mapping[str, Builder] = {
    "VALIDATION_FAILED": lambda call, _: errors.validation_failed([DOCUMENTED_PROBLEM]).reply,
    "VALIDATION_FAILED_reason_too_long": lambda call, _: (
        errors.validation_failed([_problem("reason", "maxLength")]).reply
    ),
    "VALIDATION_FAILED_attendee_id_not_uuid": lambda call, _: (
        errors.validation_failed([_problem("attendeeId", "format")]).reply
    ),
    "MISSING_USER_ID_HEADER": lambda call, _: errors.missing_user_id_header().reply,
    "USER_ID_HEADER_WITH_PAT": lambda call, _: errors.user_id_header_with_pat().reply,
    "GROUP_BOOKING_NEEDS_TARGET": lambda call, _: errors.group_needs_target().reply,
    "ALREADY_CANCELLED": lambda call, _: errors.already_cancelled().reply,
    "MALFORMED_JSON": lambda call, _: errors.malformed_json(EXAMPLE_JSON_POSITION).reply,
    "MISSING_AUTHORIZATION_HEADER": lambda call, _: errors.missing_authorization().reply,
    "INVALID_API_KEY": lambda call, _: errors.invalid_api_key().reply,
    "API_KEY_EXPIRED": lambda call, _: errors.api_key_expired().reply,
    "FORBIDDEN": lambda call, _: errors.forbidden().reply,
    "APPOINTMENT_NOT_FOUND": lambda call, _: errors.appointment_not_found().reply,
    "ATTENDEE_NOT_FOUND": lambda call, _: errors.attendee_not_found().reply,
    "ROUTE_NOT_FOUND": lambda call, _: errors.route_not_found(f"{call.method} {call.path}").reply,
    "NOT_ACCEPTABLE": lambda call, _: errors.not_acceptable().reply,
    "PAYLOAD_TOO_LARGE": lambda call, _: errors.payload_too_large().reply,
    "UNSUPPORTED_MEDIA_TYPE": lambda call, _: errors.unsupported_media_type().reply,
    "TOO_MANY_REQUESTS": lambda call, throttle: (
        errors.too_many_requests(throttle.retry_after if throttle else None).reply
    ),
    "INTERNAL_SERVER_ERROR": lambda call, _: errors.internal_error().reply,
    "BAD_GATEWAY": lambda call, _: errors.bad_gateway().reply,
    "SERVICE_UNAVAILABLE": lambda call, _: errors.service_unavailable().reply,
}


def code_of(value: Any) -> str | None:
    """The NestJS `error` field: the HTTP reason phrase (absent on a 500)."""
    return str(value["error"]) if isinstance(value, dict) and "error" in value else None


CATALOG = ErrorCatalog(SPEC, code_of, throttled="TOO_MANY_REQUESTS")


def fault(name: str, call: Call, throttle: Throttle | None) -> Reply | None:
    """The `FaultRenderer` (see plugin.py): meetergo's answer for `name` on `call`, or None."""
    row = CATALOG.find(name, call.operation_id)
    build = BUILDERS.get(row.name or str(row.status)) if row else None
    return build(call, throttle) if build else None
