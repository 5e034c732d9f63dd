"""Meetbit's error answers: the only place that builds them.

Documented (meetbit.mintlify.app basics/responses, basics/auth, basics/rate-limiting): text/plain
bodies for 401, 404 and 429 (`Retry-After: 60`), Laravel's `{"message", "errors"}` JSON for 400.
Inferred (marked `x-inferred` in specs/meetbit.yaml): the `cancel_note` messages (Laravel's
defaults with the raw attribute name, as the vendor's own example writes `first_name`), the 500
body, 405 and 413.
"""

from __future__ import annotations

from collections.abc import Mapping

from mockserver.core.errors import Failure, FailureKind, VendorError
from mockserver.core.exchange import Reply

INVALID_KEY = "Invalid or missing access key."  # the auth page's wording (the mock sends this one)
INVALID_KEYS = "Invalid or missing access keys."  # the responses page's rendering (only forced by faults)
ACCESS_DENIED = "Access Denied."
NOT_FOUND = "Resource object does not exist."
TOO_MANY_REQUESTS = "Too many requests."
SERVER_ERROR = "Server Error."  # inferred: the 500 body is not documented
METHOD_NOT_ALLOWED = "Method Not Allowed."  # inferred
CONTENT_TOO_LARGE = "Content Too Large."  # inferred
RETRY_AFTER_SECONDS = 60

NOTE = "cancel_note"


def required(field: str) -> str:
    return f"The {field} field is required."


def not_string(field: str) -> str:
    return f"The {field} field must be a string."


def too_long(field: str, limit: int) -> str:
    return f"The {field} field must not be greater than {limit} characters."


def invalid(field: str) -> str:
    return f"The {field} field is invalid."


def validation(errors: Mapping[str, list[str]]) -> VendorError:
    """400 in Laravel's format: the first message, plus " (and N more error[s])" for the rest."""
    messages = [message for field_messages in errors.values() for message in field_messages]
    message = messages[0] if messages else "The given data was invalid."
    more = len(messages) - 1
    if more > 0:
        message += f" (and {more} more error{'s' if more > 1 else ''})"
    body = {"message": message, "errors": {field: list(items) for field, items in errors.items()}}
    return VendorError(Reply(400, body, "application/json"), "VALIDATION")


def unauthorized(message: str = INVALID_KEY) -> VendorError:
    return VendorError(Reply.text(401, message), "INVALID_KEY")


def access_denied() -> VendorError:
    return VendorError(Reply.text(401, ACCESS_DENIED), "ACCESS_DENIED")


def not_found(headers: Mapping[str, str] | None = None) -> VendorError:
    return VendorError(Reply.text(404, NOT_FOUND, headers), "NOT_FOUND")


def rate_limited(
    headers: Mapping[str, str] | None = None, retry_after: int = RETRY_AFTER_SECONDS
) -> VendorError:
    """429: the key's `RateLimit-*` headers (`headers`) with none remaining, and `Retry-After`."""
    merged = {**(headers or {}), "RateLimit-Remaining": "0", "Retry-After": str(retry_after)}
    return VendorError(Reply.text(429, TOO_MANY_REQUESTS, merged), "RATE_LIMITED")


def content_too_large() -> VendorError:
    return VendorError(Reply.text(413, CONTENT_TOO_LARGE), "CONTENT_TOO_LARGE")


def server_error() -> VendorError:
    return VendorError(Reply.text(500, SERVER_ERROR), "INTERNAL_ERROR")


def _body_message(failure: Failure) -> str:
    """The Laravel message for a request body that broke the schema (or was not JSON at all)."""
    name = failure.field_name or NOTE
    if failure.kind is not FailureKind.INVALID_BODY or not failure.field:
        # Not JSON / no body / another media type / not an object: Laravel reads no input, so the
        # required rule fails (inferred).
        return required(NOTE)
    if failure.reason in ("required", "minLength", "pattern"):
        # Laravel trims input and turns "" into null, so a blank note fails `required` (inferred).
        return required(name)
    if failure.reason == "type":
        # null fails Laravel's implicit `required` rule, which stops the attribute's other rules.
        return required(name) if failure.value is None else not_string(name)
    if failure.reason == "maxLength":
        return too_long(name, 255)
    return invalid(name)


def method_not_allowed() -> VendorError:
    """405 text/plain (inferred: Laravel); the HTTP layer adds `Allow` with the path's methods."""
    return VendorError(Reply.text(405, METHOD_NOT_ALLOWED), "method_not_allowed")


def failure(problem: Failure) -> Reply:
    """A framework failure in Meetbit's own format."""
    kind = problem.kind
    if kind is FailureKind.UNKNOWN_PATH:
        return not_found().reply
    if kind is FailureKind.METHOD_NOT_ALLOWED:
        return method_not_allowed().reply
    if kind is FailureKind.BODY_TOO_LARGE:
        return content_too_large().reply
    if kind is FailureKind.INTERNAL:
        return server_error().reply
    if kind is FailureKind.INVALID_PARAMETER:
        if problem.location == "path":
            # Integer route constraints: a non-integer id matches no route (inferred).
            return not_found().reply
        name = problem.field_name or "parameter"
        return validation({name: [invalid(name)]}).reply
    # MALFORMED_BODY, MISSING_BODY, UNSUPPORTED_MEDIA_TYPE, INVALID_BODY
    name = problem.field_name if problem.kind is FailureKind.INVALID_BODY and problem.field else NOTE
    return validation({name: [_body_message(problem)]}).reply
