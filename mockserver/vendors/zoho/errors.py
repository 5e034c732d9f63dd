"""Every Zoho CRM error body the mock sends, and the mapping of framework failures onto them.

Zoho's error object is `{"code", "details", "message", "status": "error"}`. Errors about one record
or one of its fields go inside `data` (one entry per input record); errors about the request as a
whole (token, scope, URL, method, the body as a whole) are sent bare. Messages are the vendor
document's, except where a comment says inferred.
"""

from __future__ import annotations

import re
from typing import Any

from mockserver.core.errors import Failure, FailureKind, VendorError
from mockserver.core.exchange import Reply

# Documented messages (vendor document "Meeting Cancel API", Possible Errors).
INVALID_REQUEST_METHOD = "The http request method type is not a valid one"
INVALID_ID = "The id given seems to be invalid"
MANDATORY_NOT_FOUND = "Required field not found"
ALREADY_CANCELLED = "The event is already cancelled"
NO_PARTICIPANTS = "You cannot cancel the event without inviting participants"
AFTER_END = "You cannot cancel the meeting after the meeting end time"
CANNOT_PERFORM_ACTION = "no permission to perform an action on this record"
NO_PERMISSION = "permission denied"
DAILY_LIMIT_EXCEEDED = "Daily limit reached"
OAUTH_SCOPE_MISMATCH = "Unauthorized"
INVALID_URL_PATTERN = "Please check if the URL trying to access is a correct one"
INTERNAL_ERROR = "Internal Server Error"
# Inferred: not in the vendor document; Zoho's usual wording for these.
INVALID_TOKEN = "invalid oauth token"
INVALID_DATA = "invalid data"
# Inferred: the vendor document lists no rate-limit error. TOO_MANY_REQUESTS is the code Zoho CRM
# answers when an API or concurrency limit is exceeded (Zoho's API-limit notes); the message is ours.
TOO_MANY_REQUESTS = "too many requests"

# JSON-Schema type names → Zoho's `expected_data_type` words (inferred from Zoho's usual answers).
_ZOHO_TYPES = {
    "boolean": "boolean",
    "string": "string",
    "integer": "integer",
    "number": "double",
    "array": "jsonarray",
    "object": "jsonobject",
    "date-time": "datetime",
}
MAIL_FIELD: tuple[str | int, ...] = ("data", 0, "send_cancelling_mail")
_TYPE_IN_MESSAGE = re.compile(r"is not (?:of type|a) '([\w-]+)'")


def error(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    """One Zoho error object."""
    return {"code": code, "details": dict(details or {}), "message": message, "status": "error"}


def bare(status: int, code: str, message: str, details: dict[str, Any] | None = None) -> Reply:
    return Reply(status, error(code, message, details))


def in_data(status: int, code: str, message: str, details: dict[str, Any] | None = None) -> Reply:
    return Reply(status, {"data": [error(code, message, details)]})


# Request-level errors (bare).


def invalid_token() -> VendorError:
    return VendorError(bare(401, "INVALID_TOKEN", INVALID_TOKEN), "INVALID_TOKEN")


def scope_mismatch() -> VendorError:
    return VendorError(bare(401, "OAUTH_SCOPE_MISMATCH", OAUTH_SCOPE_MISMATCH), "OAUTH_SCOPE_MISMATCH")


def invalid_url() -> VendorError:
    return VendorError(bare(404, "INVALID_URL_PATTERN", INVALID_URL_PATTERN), "INVALID_URL_PATTERN")


def invalid_method() -> VendorError:
    return VendorError(bare(400, "INVALID_REQUEST_METHOD", INVALID_REQUEST_METHOD), "INVALID_REQUEST_METHOD")


def internal_error() -> VendorError:
    return VendorError(bare(500, "INTERNAL_ERROR", INTERNAL_ERROR), "INTERNAL_ERROR")


def too_many_requests() -> VendorError:
    """429 TOO_MANY_REQUESTS (inferred, see TOO_MANY_REQUESTS): bare, without rate-limit headers."""
    return VendorError(bare(429, "TOO_MANY_REQUESTS", TOO_MANY_REQUESTS), "TOO_MANY_REQUESTS")


# Body-level errors (framework failures, also forced by faults): bare, or inside `data` when they
# point into one input record.


def mandatory(field: tuple[str | int, ...]) -> Reply:
    """MANDATORY_NOT_FOUND for the missing property at `field`."""
    wrap = in_data if _in_record(field) else bare
    return wrap(400, "MANDATORY_NOT_FOUND", MANDATORY_NOT_FOUND, _field(field))


def invalid_data(field: tuple[str | int, ...] = (), expected_type: str | None = None) -> Reply:
    """INVALID_DATA for the value at `field` (naming Zoho's expected type), or for the body as a whole."""
    details = _field(field)
    if details and expected_type:
        details = {"expected_data_type": expected_type, **details}
    wrap = in_data if _in_record(field) else bare
    return wrap(400, "INVALID_DATA", INVALID_DATA, details)


# Record-level errors (inside `data`). `details: {id}` on the rule refusals is inferred.


def invalid_id(event_id: str) -> VendorError:
    return VendorError(in_data(400, "INVALID_DATA", INVALID_ID, {"id": event_id}), "INVALID_DATA")


def already_cancelled(event_id: str) -> VendorError:
    return VendorError(in_data(400, "NOT_ALLOWED", ALREADY_CANCELLED, {"id": event_id}), "NOT_ALLOWED")


def no_participants(event_id: str) -> VendorError:
    return VendorError(in_data(400, "NOT_ALLOWED", NO_PARTICIPANTS, {"id": event_id}), "NOT_ALLOWED")


def after_end(event_id: str) -> VendorError:
    return VendorError(in_data(400, "NOT_ALLOWED", AFTER_END, {"id": event_id}), "NOT_ALLOWED")


def cannot_perform_action(event_id: str) -> VendorError:
    reply = in_data(400, "CANNOT_PERFORM_ACTION", CANNOT_PERFORM_ACTION, {"id": event_id})
    return VendorError(reply, "CANNOT_PERFORM_ACTION")


def no_permission(permission: str) -> VendorError:
    # details {permissions: [...]} as crm-oas PermissionError; the permission names are inferred.
    reply = in_data(400, "NO_PERMISSION", NO_PERMISSION, {"permissions": [permission]})
    return VendorError(reply, "NO_PERMISSION")


def daily_limit() -> VendorError:
    return VendorError(in_data(400, "DAILY_LIMIT_EXCEEDED", DAILY_LIMIT_EXCEEDED), "DAILY_LIMIT_EXCEEDED")


def forced(code: str, event_id: str) -> VendorError:
    """The error a record's `x-mock-error` asks for (any documented code; unknown → INTERNAL_ERROR)."""
    makers = {
        "INVALID_REQUEST_METHOD": invalid_method,
        "INVALID_DATA": lambda: invalid_id(event_id),
        "MANDATORY_NOT_FOUND": lambda: VendorError(mandatory(MAIL_FIELD), "MANDATORY_NOT_FOUND"),
        "NOT_ALLOWED": lambda: already_cancelled(event_id),
        "CANNOT_PERFORM_ACTION": lambda: cannot_perform_action(event_id),
        "NO_PERMISSION": lambda: no_permission("Crm_Implied_Cancel_Meetings"),
        "DAILY_LIMIT_EXCEEDED": daily_limit,
        "OAUTH_SCOPE_MISMATCH": scope_mismatch,
        "INVALID_TOKEN": invalid_token,
        "INVALID_URL_PATTERN": invalid_url,
        "TOO_MANY_REQUESTS": too_many_requests,
    }
    return makers.get(code.strip().upper(), internal_error)()


# Framework failures → documented errors.


def json_path(field: tuple[str | int, ...]) -> str:
    """("data", 0, "send_cancelling_mail") → "$.data[0].send_cancelling_mail" (Zoho's json_path)."""
    text = "$"
    for part in field:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def _field(field: tuple[str | int, ...]) -> dict[str, Any]:
    names = [part for part in field if isinstance(part, str)]
    return {"api_name": names[-1], "json_path": json_path(field)} if names else {}


def _in_record(field: tuple[str | int, ...]) -> bool:
    """A failure inside `data[i]` belongs to that record, so it goes inside `data`."""
    return len(field) >= 2 and field[0] == "data" and isinstance(field[1], int)


def _body_failure(failure: Failure) -> Reply:
    if failure.reason == "required":
        return mandatory(failure.field)
    found = _TYPE_IN_MESSAGE.search(failure.message)
    expected = _ZOHO_TYPES.get(found.group(1)) if found and failure.reason in ("type", "format") else None
    return invalid_data(failure.field, expected)


def _parameter_failure(failure: Failure) -> Reply:
    if failure.location == "path" and failure.field_name == "version":
        return invalid_url().reply
    return bare(400, "INVALID_DATA", INVALID_DATA, {"api_name": failure.field_name} if failure.field else {})


def failure(failure: Failure) -> Reply:
    """Render a framework failure as Zoho would answer it (mapping partly inferred, see each case)."""
    kind = failure.kind
    if kind is FailureKind.UNKNOWN_PATH:
        return invalid_url().reply
    if kind is FailureKind.METHOD_NOT_ALLOWED:
        return invalid_method().reply
    if kind is FailureKind.MISSING_BODY:
        # Inferred: no body is a body without its mandatory `data`.
        return mandatory(("data",))
    if kind in (FailureKind.MALFORMED_BODY, FailureKind.UNSUPPORTED_MEDIA_TYPE, FailureKind.BODY_TOO_LARGE):
        # Inferred: Zoho's answer to unreadable bodies is not documented.
        return invalid_data()
    if kind is FailureKind.INVALID_BODY:
        return _body_failure(failure)
    if kind is FailureKind.INVALID_PARAMETER:
        return _parameter_failure(failure)
    return internal_error().reply
