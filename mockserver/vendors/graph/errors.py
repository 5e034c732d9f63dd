"""Every Microsoft Graph error body the mock sends, and the mapping of framework failures to them.

Graph's envelope: `{"error": {"code", "message", "innerError": {"date", "request-id",
"client-request-id"}}}`; `request-id` and `client-request-id` are also response headers.
`client-request-id` echoes the request's header of that name when sent, else equals `request-id`.

Documented (vendor document): only the attendee refusal's status and message. Everything else here
is inferred (Graph/Exchange/OData behaviour as observed from the live service); see `specs/graph.yaml`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from mockserver.core.clock import format_instant, utcnow
from mockserver.core.errors import Failure, FailureKind, VendorError
from mockserver.core.exchange import Call, Reply
from mockserver.core.randomness import random_uuid
from mockserver.core.values import fast_init

NOT_ORGANIZER = "Your request can't be completed. You need to be an organizer to cancel a meeting."
ITEM_NOT_FOUND = "The specified object was not found in the store."
ACCESS_DENIED = "Access is denied. Check credentials and try again."
TOKEN_EMPTY = "Access token is empty."
TOKEN_NOT_JWT = (
    "IDX14100: JWT is not well formed, there are no dots (.). The token needs to be in JWS or JWE "
    "Compact Serialization Format. (JWS): 'EncodedHeader.EndcodedPayload.EncodedSignature'. (JWE): "
    "'EncodedProtectedHeader.EncodedEncryptedKey.EncodedInitializationVector.EncodedCiphertext."
    "EncodedAuthenticationTag'."
)
TOKEN_INVALID = "Access token validation failure."
TOKEN_EXPIRED = "Lifetime validation failed, the token is expired."
THROTTLED = "Application is over its MailboxConcurrency limit."
GENERAL_EXCEPTION = "General exception while processing."
UNAVAILABLE = "The service is temporarily unavailable. Please try again later."
UNREADABLE_JSON = (
    "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of "
    "valid JSON format."
)
EMPTY_PAYLOAD = "Empty Payload. JSON content expected."
ME_NEEDS_DELEGATED = "/me request is only valid with delegated authentication flow."
DEFAULT_RETRY_AFTER = "30"  # seconds; inferred (Graph sends a value per throttling decision)

# Values of `x-mock-error` (on an event: its cancel fails; on a token: every request with it fails).
MOCK_ERRORS = ("THROTTLED", "INTERNAL_ERROR", "SERVICE_UNAVAILABLE")


@fast_init
@dataclass(frozen=True, slots=True)
class Trace:
    """What an error body needs from its request: the time and the client's request id."""

    now: datetime = field(default_factory=utcnow)
    client_request_id: str | None = None


def trace(call: Call) -> Trace:
    return Trace(call.now, call.header("client-request-id") or None)


def new_request_id() -> str:
    """The per-request random part of every Graph answer (`request-id`): the only place it is made."""
    return random_uuid()


def reply(status: int, code: str, message: str, at: Trace, headers: dict[str, str] | None = None) -> Reply:
    request_id = new_request_id()
    client_request_id = at.client_request_id or request_id
    body = {
        "error": {
            "code": code,
            "message": message,
            "innerError": {
                "date": format_instant(at.now),
                "request-id": request_id,
                "client-request-id": client_request_id,
            },
        }
    }
    all_headers = {"request-id": request_id, "client-request-id": client_request_id, **(headers or {})}
    return Reply(status, body, "application/json", all_headers)


def success_headers(at: Trace) -> dict[str, str]:
    request_id = new_request_id()
    return {"request-id": request_id, "client-request-id": at.client_request_id or request_id}


def _error(status: int, code: str, message: str, at: Trace, name: str, **headers: str) -> VendorError:
    return VendorError(reply(status, code, message, at, dict(headers)), name)


# ---------------------------------------------------------------- rule refusals


def not_organizer(at: Trace) -> VendorError:
    # Documented status and message; the code is not documented (inferred: Exchange's ErrorInvalidRequest).
    return _error(400, "ErrorInvalidRequest", NOT_ORGANIZER, at, "not_organizer")


def item_not_found(at: Trace) -> VendorError:
    return _error(404, "ErrorItemNotFound", ITEM_NOT_FOUND, at, "item_not_found")


def invalid_user(user: str, at: Trace) -> VendorError:
    return _error(404, "ErrorInvalidUser", f"The requested user '{user}' is invalid.", at, "invalid_user")


def group_not_found(group: str, at: Trace) -> VendorError:
    message = (
        f"Resource '{group}' does not exist or one of its queried reference-property objects are not present."
    )
    return _error(404, "Request_ResourceNotFound", message, at, "group_not_found")


def access_denied(at: Trace) -> VendorError:
    return _error(403, "ErrorAccessDenied", ACCESS_DENIED, at, "access_denied")


def me_needs_delegated(at: Trace) -> VendorError:
    return _error(400, "BadRequest", ME_NEEDS_DELEGATED, at, "me_needs_delegated")


def token_empty(at: Trace) -> VendorError:
    return _error(401, "InvalidAuthenticationToken", TOKEN_EMPTY, at, "token_empty")


def token_not_jwt(at: Trace) -> VendorError:
    return _error(401, "InvalidAuthenticationToken", TOKEN_NOT_JWT, at, "token_not_jwt")


def token_invalid(at: Trace) -> VendorError:
    return _error(401, "InvalidAuthenticationToken", TOKEN_INVALID, at, "token_invalid")


def token_expired(at: Trace) -> VendorError:
    return _error(401, "InvalidAuthenticationToken", TOKEN_EXPIRED, at, "token_expired")


def unknown_parameter(name: str, at: Trace) -> VendorError:
    message = (
        f"The parameter '{name}' in the request payload is not a valid parameter for the operation 'cancel'."
    )
    return _error(400, "RequestBodyRead", message, at, "unknown_parameter")


def duplicate_parameter(name: str, at: Trace) -> VendorError:
    message = f"Multiple parameters with the name '{name}' were found in the request payload."
    return _error(400, "RequestBodyRead", message, at, "duplicate_parameter")


def wrong_type(edm_type: str, at: Trace) -> VendorError:
    message = (
        f"Cannot convert a primitive value to the expected type '{edm_type}'. "
        "See the inner exception for more details."
    )
    return _error(400, "RequestBodyRead", message, at, "wrong_type")


def unexpected_node(found: str, at: Trace, expected: str = "StartObject") -> VendorError:
    message = (
        f"An unexpected '{found}' node was found when reading from the JSON reader. "
        f"A '{expected}' node was expected."
    )
    return _error(400, "RequestBodyRead", message, at, "unexpected_node")


def throttled(at: Trace, retry_after: str | None = None) -> VendorError:
    wait = retry_after or DEFAULT_RETRY_AFTER
    return _error(429, "ApplicationThrottled", THROTTLED, at, "throttled", **{"Retry-After": wait})


def service_unavailable(at: Trace, retry_after: str | None = None) -> VendorError:
    wait = retry_after or DEFAULT_RETRY_AFTER
    return _error(503, "ServiceNotAvailable", UNAVAILABLE, at, "unavailable", **{"Retry-After": wait})


def general_exception(at: Trace) -> VendorError:
    return _error(500, "generalException", GENERAL_EXCEPTION, at, "general_exception")


def mock_error(kind: str, at: Trace, retry_after: str | None = None) -> VendorError:
    """The failure an `x-mock-error` value stands for (THROTTLED, INTERNAL_ERROR, SERVICE_UNAVAILABLE)."""
    if kind == "THROTTLED":
        return throttled(at, retry_after)
    if kind == "SERVICE_UNAVAILABLE":
        return service_unavailable(at, retry_after)
    return general_exception(at)


# ---------------------------------------------------------------- request errors (framework failures)


def unknown_segment_error(segment: str, at: Trace) -> Reply:
    return reply(400, "BadRequest", f"Resource not found for the segment '{segment}'.", at)


def method_not_allowed(verb: str, allow: str | None, at: Trace) -> Reply:
    message = f"The requested resource does not support http method '{verb}'."
    return reply(405, "BadRequest", message, at, {"Allow": allow} if allow else None)


def unsupported_media_type(media_type: str | None, at: Trace) -> Reply:
    message = (
        f"The content type '{media_type}' is not supported."
        if media_type
        else "The content type is not supported. Send application/json."
    )
    return reply(415, "UnsupportedMediaType", message, at)


def malformed_json(at: Trace) -> Reply:
    return reply(400, "BadRequest", UNREADABLE_JSON, at)


def too_large(at: Trace) -> Reply:
    return reply(413, "RequestEntityTooLarge", "The request body is too large.", at)


def empty_payload(at: Trace) -> Reply:
    return reply(400, "BadRequest", EMPTY_PAYLOAD, at)


def missing_property(name: str, at: Trace) -> Reply:
    message = f"The property '{name}' is required but was not found in the request payload."
    return reply(400, "RequestBodyRead", message, at)


def invalid_query(name: str, at: Trace) -> Reply:
    return reply(400, "BadRequest", f"Invalid value for query option '{name}'.", at)


# ---------------------------------------------------------------- framework failures

_EDM_TYPES = {
    "string": "Edm.String",
    "boolean": "Edm.Boolean",
    "integer": "Edm.Int32",
    "number": "Edm.Double",
}
_NOT_OF_TYPE = re.compile(r"is not of type '(\w+)'")
_NOT_ONE_OF = re.compile(r"^'?(.*?)'? is not one of")
_METHOD = re.compile(r"\b(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|TRACE)\b")
_MEDIA_TYPE = re.compile(r"[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+")
_PATH = re.compile(r"(/[^\s'\"]*)")

# Graph's URL grammar for the paths this spec serves: state -> {segment (lower case) -> next state};
# "*" accepts any key segment. Used to name the segment Graph would not resolve.
_GRAMMAR: dict[str, dict[str, str]] = {
    "start": {"v1.0": "root"},
    "root": {"me": "owner", "users": "users", "groups": "groups"},
    "users": {"*": "owner"},
    "groups": {"*": "group"},
    "owner": {"events": "events", "calendar": "calendar", "calendars": "calendars", "calendargroups": "cgs"},
    "group": {"events": "events", "calendar": "calendar"},
    "calendar": {"events": "events"},
    "calendars": {"*": "calendar"},
    "cgs": {"*": "cg"},
    "cg": {"calendars": "calendars"},
    "events": {"*": "event"},
    "event": {"cancel": "end"},
    "end": {},
}


# The methods the spec serves at the end state of a path (the `Allow` header of a 405).
_ALLOWED = {"end": "POST", "events": "GET, POST", "event": "GET"}


def _walk(path: str) -> tuple[str, str | None]:
    """(end state, first unresolved segment or None) of `path` in Graph's URL grammar."""
    segments = [part for part in path.split("/") if part]
    if segments[:1] == ["graph"]:
        segments = segments[1:]  # the mock's mount point, not part of Graph's path
    state = "start"
    for segment in segments:
        moves = _GRAMMAR[state]
        following = moves.get(segment.lower()) or moves.get("*")
        if following is None:
            return state, segment
        state = following
    return state, None


def unknown_segment(path: str) -> str:
    """The first segment of `path` that Graph's URL grammar (for these resources) does not resolve."""
    _, unresolved = _walk(path)
    if unresolved is not None:
        return unresolved
    segments = [part for part in path.split("/") if part]
    return segments[-1] if segments else ""


def allowed_methods(path: str) -> str | None:
    state, unresolved = _walk(path)
    return None if unresolved is not None else _ALLOWED.get(state)


def _request_path(failure: Failure) -> str:
    if failure.field and all(isinstance(part, str) for part in failure.field):
        return "/" + "/".join(str(part) for part in failure.field)
    match = _PATH.search(failure.message)
    return match.group(1) if match else ""


def _invalid_body(failure: Failure, at: Trace) -> Reply:
    name = failure.field_name
    if failure.reason == "required":
        return missing_property(name, at)
    if failure.reason == "type":
        expected = _NOT_OF_TYPE.search(failure.message)
        kind = expected.group(1) if expected else ""
        if kind in _EDM_TYPES:
            return wrong_type(_EDM_TYPES[kind], at).reply
        found = failure.message.lstrip()[:1]
        node = {"[": "StartArray", "{": "StartObject"}.get(found, "PrimitiveValue")
        return unexpected_node(node, at, "StartArray" if kind == "array" else "StartObject").reply
    if failure.reason == "additionalProperties":
        # Only the cancel parameters refuse extra properties: an unknown action parameter (OData).
        return unknown_parameter(name, at).reply
    if failure.reason == "maxProperties":
        return duplicate_parameter("Comment", at).reply
    if failure.reason == "enum":
        value = _NOT_ONE_OF.search(failure.message)
        literal = value.group(1) if value else ""
        return reply(400, "RequestBodyRead", f"Requested value '{literal}' was not found.", at)
    where = failure.dotted or "the request body"
    return reply(400, "RequestBodyRead", f"The value of '{where}' is not valid: {failure.message}", at)


def failure(problem: Failure) -> Reply:
    """A framework failure (before any rule ran) as Graph would answer it. All inferred."""
    at = Trace()
    kind = problem.kind
    if kind is FailureKind.UNKNOWN_PATH:
        return unknown_segment_error(unknown_segment(_request_path(problem)), at)
    if kind is FailureKind.METHOD_NOT_ALLOWED:
        method = _METHOD.search(problem.message)
        verb = method.group(1) if method else "this"
        return method_not_allowed(verb, allowed_methods(_request_path(problem)), at)
    if kind is FailureKind.UNSUPPORTED_MEDIA_TYPE:
        types = [found for found in _MEDIA_TYPE.findall(problem.message) if found != "application/json"]
        return unsupported_media_type(types[0] if types else None, at)
    if kind is FailureKind.MALFORMED_BODY:
        return malformed_json(at)
    if kind is FailureKind.BODY_TOO_LARGE:
        return too_large(at)
    if kind is FailureKind.MISSING_BODY:
        return empty_payload(at)
    if kind is FailureKind.INVALID_BODY:
        return _invalid_body(problem, at)
    if kind is FailureKind.INVALID_PARAMETER:
        name = problem.field_name or "parameter"
        if problem.location == "query":
            return invalid_query(name, at)
        return reply(400, "BadRequest", f"Invalid value for {problem.location} parameter '{name}'.", at)
    return general_exception(at).reply
