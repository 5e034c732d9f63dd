"""Every meetergo error body, and the mapping of framework failures to them.

meetergo's Platform API is NestJS: errors are `{"statusCode", "message", "error"}` where `error` is
the HTTP reason phrase, and validation failures add `errors[]` of `{field, message}` (documented
on developer.meetergo.com "Error handling"). Wording that the documents do not give is marked
"inferred" next to the constructor; specs/meetergo.yaml carries the same examples.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from mockserver.core.errors import Failure, FailureKind, VendorError
from mockserver.core.exchange import Reply

VENDOR_PREFIX = "/meetergo"
USER_ID_HEADER = "x-meetergo-api-user-id"
RETRY_AFTER_SECONDS = "60"  # inferred: the NestJS throttler's default ttl is 60 s

REASON_PHRASES: Mapping[int, str] = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    406: "Not Acceptable",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
    502: "Bad Gateway",
    503: "Service Unavailable",
}

# The request body's fields with the facts class-validator's default messages need.
_STRING_FIELDS: Mapping[str, int | None] = {"reason": 500, "attendeeId": None}
_BOOLEAN_FIELDS = ("cancelAll", "cancelEntireSeries")
_UUID_FIELDS = ("attendeeId",)

FieldProblem = tuple[str, str]  # (field, message)


def body(
    status: int, message: str | list[str], errors: Sequence[FieldProblem] | None = None
) -> dict[str, Any]:
    """A NestJS error body; a 500 has no `error` (NestJS's default for unhandled exceptions)."""
    result: dict[str, Any] = {"statusCode": status, "message": message}
    if status in REASON_PHRASES:
        result["error"] = REASON_PHRASES[status]
    if errors is not None:
        result["errors"] = [{"field": field, "message": text} for field, text in errors]
    return result


def reply(
    status: int,
    message: str | list[str],
    errors: Sequence[FieldProblem] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Reply:
    return Reply(
        status, body(status, message, errors), "application/json; charset=utf-8", dict(headers or {})
    )


def error(
    status: int,
    message: str,
    name: str,
    errors: Sequence[FieldProblem] | None = None,
    headers: Mapping[str, str] | None = None,
) -> VendorError:
    return VendorError(reply(status, message, errors, headers), name)


# --- documented -------------------------------------------------------------------------------------


def missing_authorization() -> VendorError:
    return error(401, "Missing authorization header", "MISSING_AUTHORIZATION_HEADER")


def invalid_api_key() -> VendorError:
    return error(401, "Invalid API key", "INVALID_API_KEY")


def api_key_expired() -> VendorError:
    return error(401, "API key has expired", "API_KEY_EXPIRED")


def missing_user_id_header() -> VendorError:
    message = f"Missing required header '{USER_ID_HEADER}' for API key authentication"
    return error(400, message, "MISSING_USER_ID_HEADER")


def validation_failed(problems: Sequence[FieldProblem]) -> VendorError:
    return error(400, "Validation failed", "VALIDATION_FAILED", problems)


# --- documented statuses, inferred wording ----------------------------------------------------------


def user_id_header_with_pat() -> VendorError:
    # inferred: meetergo's MCP server says the API rejects the header with a PAT; wording is ours
    message = f"The '{USER_ID_HEADER}' header is not allowed with personal access token authentication"
    return error(400, message, "USER_ID_HEADER_WITH_PAT")


def group_needs_target() -> VendorError:
    # documented: "omitting both returns a 400 error"; the wording is inferred
    message = "For group bookings, provide attendeeId to remove one attendee or set cancelAll to true"
    return error(400, message, "GROUP_BOOKING_NEEDS_TARGET")


def already_cancelled() -> VendorError:
    return error(400, "Appointment is already cancelled", "ALREADY_CANCELLED")  # inferred


def forbidden() -> VendorError:
    return error(403, "Forbidden resource", "FORBIDDEN")  # inferred: NestJS's default guard refusal


def appointment_not_found() -> VendorError:
    return error(404, "Appointment not found", "APPOINTMENT_NOT_FOUND")  # inferred wording


def attendee_not_found() -> VendorError:
    return error(404, "Attendee not found", "ATTENDEE_NOT_FOUND")  # inferred wording


def not_acceptable() -> VendorError:
    return error(406, "Not Acceptable", "NOT_ACCEPTABLE")  # inferred body


def too_many_requests(retry_after: int | None = None) -> VendorError:
    # inferred body: the NestJS throttler's default; Retry-After its ttl, or the throttle's wait
    wait = RETRY_AFTER_SECONDS if retry_after is None else str(retry_after)
    return error(
        429, "ThrottlerException: Too Many Requests", "TOO_MANY_REQUESTS", headers={"Retry-After": wait}
    )


def internal_error() -> VendorError:
    return error(500, "Internal server error", "INTERNAL_SERVER_ERROR")  # inferred: NestJS default


def bad_gateway() -> VendorError:
    return error(502, "Bad Gateway", "BAD_GATEWAY")  # inferred body


def service_unavailable() -> VendorError:
    return error(503, "Service Unavailable", "SERVICE_UNAVAILABLE")  # inferred body


# --- request errors (framework failures; wording inferred) ------------------------------------------


def route_not_found(route: str) -> VendorError:
    """NestJS's default for no route (and for an unmatched method): 404 "Cannot GET /path"."""
    return error(404, f"Cannot {route}", "ROUTE_NOT_FOUND")


def malformed_json(position: int) -> VendorError:
    """body-parser's SyntaxError, passed through by NestJS as a 400."""
    return error(400, f"Unexpected token in JSON at position {position}", "MALFORMED_JSON")


def payload_too_large() -> VendorError:
    return error(413, "request entity too large", "PAYLOAD_TOO_LARGE")


def unsupported_media_type() -> VendorError:
    return error(415, "Unsupported Media Type", "UNSUPPORTED_MEDIA_TYPE")


# `x-mock-error` values a fixture record (appointment or API key) may carry.
MOCK_ERRORS = {
    "INTERNAL_ERROR": internal_error,
    "BAD_GATEWAY": bad_gateway,
    "SERVICE_UNAVAILABLE": service_unavailable,
    "RATE_LIMITED": too_many_requests,
    "NOT_ACCEPTABLE": not_acceptable,
}


# --- class-validator messages (inferred: its default wording) ---------------------------------------


def field_message(field: str, reason: str) -> str:
    """class-validator's default message for `field` failing the JSON-Schema keyword `reason`."""
    if reason == "maxLength" and _STRING_FIELDS.get(field):
        return f"{field} must be shorter than or equal to {_STRING_FIELDS[field]} characters"
    if reason in ("format", "pattern") and field in _UUID_FIELDS:
        return f"{field} must be a UUID"
    if reason == "type" and field in _BOOLEAN_FIELDS:
        return f"{field} must be a boolean value"
    if reason == "type" and field in _STRING_FIELDS:
        return f"{field} must be a string"
    if reason == "type" and not field:
        return "body must be an object"
    if reason == "additionalProperties":
        return f"property {field} should not exist"
    if reason == "required":
        return f"{field} should not be empty"
    return f"{field or 'body'} is invalid"


# --- framework failures -----------------------------------------------------------------------------

_ROUTE = re.compile(r"(?P<method>[A-Z]+) (is not allowed on |)(?P<path>/\S*)")


def _route(failure: Failure) -> str:
    """`POST /v4/x` from the failure's message, our `/meetergo` prefix removed."""
    text = failure.message.removeprefix("no operation at ")
    match = _ROUTE.search(text)
    if not match:
        return "route"
    path = match.group("path")
    if path == VENDOR_PREFIX or path.startswith(VENDOR_PREFIX + "/"):
        path = path[len(VENDOR_PREFIX) :] or "/"
    return f"{match.group('method')} {path}"


def _json_position(message: str) -> int:
    found = re.search(r"\(char (\d+)\)", message)
    return int(found.group(1)) if found else 0


def failure(problem: Failure) -> Reply:
    """A framework failure as meetergo (NestJS on Express) would answer it."""
    kind = problem.kind
    if kind in (FailureKind.UNKNOWN_PATH, FailureKind.METHOD_NOT_ALLOWED):
        # NestJS's default: an unmatched method is an unknown route too (404 "Cannot GET /path")
        return route_not_found(_route(problem)).reply
    if kind is FailureKind.UNSUPPORTED_MEDIA_TYPE:
        return unsupported_media_type().reply
    if kind is FailureKind.MALFORMED_BODY:
        return malformed_json(_json_position(problem.message)).reply
    if kind is FailureKind.BODY_TOO_LARGE:
        return payload_too_large().reply
    if kind in (FailureKind.INVALID_BODY, FailureKind.INVALID_PARAMETER, FailureKind.MISSING_BODY):
        field = problem.field_name
        if kind is FailureKind.INVALID_BODY and not problem.reason:
            return validation_failed([("body", problem.message)]).reply
        return validation_failed([(field or "body", field_message(field, problem.reason))]).reply
    return internal_error().reply
