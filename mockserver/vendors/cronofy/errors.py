"""Every error Cronofy answers, and the mapping of framework failures onto them.

docs.cronofy.com "Errors": only 422 has a body, `{"errors": {"<param>": [{"key", "description"}]}}`
(documented key: `errors.required` / `required`). 401, 402, 403, 404, 423, 429 and 5xx carry no body.
"""

from __future__ import annotations

from mockserver.core.errors import Failure, FailureKind, VendorError
from mockserver.core.exchange import Reply

REQUIRED = ("errors.required", "required")  # documented
INVALID = ("errors.invalid", "invalid")  # inferred: the mock's key for every other violation

# Inferred (RFC 6750 practice): Cronofy documents 401 without describing its headers.
_CHALLENGE = {"WWW-Authenticate": "Bearer"}

# JSON-Schema keywords that mean "the parameter is missing or blank" → errors.required. A blank
# string breaks `minLength: 1` in the spec; Rails-style validation calls that "required" (inferred).
_REQUIRED_REASONS = frozenset({"required", "minLength"})

# Where the mock puts an error about the body as a whole (not JSON, wrong media type, too large,
# absent) — Cronofy documents no such case; inferred.
BODY_FIELD = "body"


def errors_body(*fields: str, key: tuple[str, str] = REQUIRED) -> dict[str, dict[str, list[dict[str, str]]]]:
    """Cronofy's errors object: one entry per parameter, all with the same key."""
    return {"errors": {field: [{"key": key[0], "description": key[1]}] for field in fields}}


def unprocessable(field: str, key: tuple[str, str] = REQUIRED) -> VendorError:
    """422 with Cronofy's errors object for one parameter."""
    return VendorError(Reply(422, errors_body(field, key=key)), f"422 {key[0]} {field}")


def required(*fields: str) -> VendorError:
    """422 naming every missing parameter, as Cronofy lists all invalid parameters together."""
    return VendorError(Reply(422, errors_body(*fields)), "422 errors.required " + ",".join(fields))


def unauthorized() -> VendorError:
    return VendorError(Reply.empty(401, _CHALLENGE), "401 unauthorized")


def payment_required() -> VendorError:
    return VendorError(Reply.empty(402), "402 plan lacks Meeting Agents")


def forbidden(scope: str) -> VendorError:
    return VendorError(Reply.empty(403), f"403 missing scope {scope}")


def not_found() -> VendorError:
    """404 without a body: no route (Rails routing), inferred."""
    return VendorError(Reply.empty(404), "404 no route")


def calendar_not_found() -> VendorError:
    return VendorError(Reply.empty(404), "404 calendar not recognised")


def locked() -> VendorError:
    return VendorError(Reply.empty(423), "423 provider credentials unavailable")


def too_many_requests(retry_after: int | None = None) -> VendorError:
    """429 without a body; `Retry-After` only when a throttle says how long (inferred header)."""
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    return VendorError(Reply.empty(429, headers), "429 rate limited")


def server_error() -> VendorError:
    return VendorError(Reply.empty(500), "500 server error")


# `x-mock-error` values a record or credential may carry, and the error each provokes.
MOCK_ERRORS = {
    "RATE_LIMITED": too_many_requests,
    "INTERNAL_ERROR": server_error,
    "LOCKED": locked,
}


def mock_error(name: object) -> VendorError | None:
    """The error an `x-mock-error` value asks for (unknown values are ignored → None)."""
    factory = MOCK_ERRORS.get(str(name)) if name else None
    return factory() if factory else None


def _field_of(failure: Failure) -> str:
    return failure.dotted or failure.field_name or BODY_FIELD


def failure(found: Failure) -> Reply:
    """A framework failure as Cronofy would answer it (all inferred except the 422 body shape).

    - unknown path, wrong method (Rails routing has no route) → 404 without body;
    - a path parameter that breaks the spec → 404 (the calendar is not recognised);
    - a missing or blank parameter → 422 `errors.required` (documented);
    - any other invalid parameter → 422 `errors.invalid`;
    - a body that is absent, not JSON, not UTF-8, of another media type or too large → 422 on
      `body` (Cronofy answers 400 only for its token endpoints);
    - an internal failure → 500 without body.
    """
    kind = found.kind
    if kind in (FailureKind.UNKNOWN_PATH, FailureKind.METHOD_NOT_ALLOWED):
        return not_found().reply
    if kind is FailureKind.INTERNAL:
        return server_error().reply
    if kind is FailureKind.INVALID_PARAMETER and found.location == "path":
        return calendar_not_found().reply
    if kind in (FailureKind.INVALID_BODY, FailureKind.INVALID_PARAMETER):
        key = REQUIRED if found.reason in _REQUIRED_REASONS else INVALID
        return unprocessable(_field_of(found), key).reply
    if kind is FailureKind.MISSING_BODY:
        return unprocessable(BODY_FIELD, REQUIRED).reply
    # MALFORMED_BODY, UNSUPPORTED_MEDIA_TYPE, BODY_TOO_LARGE
    return unprocessable(BODY_FIELD, INVALID).reply
